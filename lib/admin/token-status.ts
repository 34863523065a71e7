import 'server-only';
import { sharedStateHealth } from '@/lib/shared-state/redis';
import { getConfig } from '@/lib/config';
import { upstreamHealth } from '@/lib/gateway/upstream-health';
import type { SessionState } from '@/lib/session';
import { getMetrics } from '@/lib/tokens/metrics';
import { getUpstream } from '@/lib/upstreams/registry';
import type { UpstreamName } from '@/lib/upstreams/types';
import type { ServiceStatus, TokenStatus } from '@/lib/admin/token-status-schema';

/**
 * The admin token-status report: whether every credential is healthy, never a token or secret;
 * tokens appear only as fingerprints (first 8 hex of their SHA-256).
 */

const toIso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

/** The status of one service's client token, shaped as `services.<name>`. */
export function serviceStatus(name: 'events' | 'meti'): ServiceStatus {
  const definition = getUpstream(name);
  if (!definition || definition.auth.kind !== 'client') {
    return {
      configured: false,
      cached: false,
      issuedAt: null,
      expiresAt: null,
      tokenRequests: 0,
      fingerprint: null,
      scope: null,
      audience: null,
      tokenUrl: null,
      lastError: null,
    };
  }
  const status = getMetrics().service(name, definition.auth.spec.tokenUrl);
  const live = status.cached && status.expiresAt !== null && status.expiresAt > Date.now();
  return {
    configured: true,
    cached: live,
    issuedAt: toIso(status.issuedAt),
    expiresAt: toIso(status.expiresAt),
    tokenRequests: status.tokenRequests,
    fingerprint: live ? status.fingerprint : null,
    scope: status.scope,
    audience: definition.auth.spec.audience ?? null,
    tokenUrl: definition.auth.spec.tokenUrl,
    lastError: status.lastError
      ? { code: status.lastError.code, message: status.lastError.message, at: toIso(status.lastError.at) as string }
      : null,
  };
}

function upstreamStatus(name: UpstreamName) {
  const health = upstreamHealth(name);
  const now = Date.now();
  return {
    configured: getUpstream(name) !== null,
    healthy: health.healthy,
    lastStatus: health.lastStatus,
    latencyMs: health.latencyMs,
    lastCallAt: toIso(health.lastCallAt),
    callsLastMinute: health.recentCalls.filter((at) => at > now - 60_000).length,
    rateLimited: health.rateLimited,
    unauthorized: health.unauthorized,
  };
}

/** Builds the whole report for the signed-in admin's session. */
export function buildTokenStatus(state: SessionState, fingerprintOf: (token: string) => string): TokenStatus {
  const config = getConfig();
  const { session, access } = state;
  const metrics = getMetrics();
  const limiter = getUpstream('wellview')?.limiter;
  return {
    generatedAt: new Date().toISOString(),
    session: {
      user: { sub: session.user.sub, email: session.user.email, name: session.user.name },
      signedInAt: toIso(session.createdAt) as string,
      lastSeenAt: toIso(session.lastSeenAt) as string,
      idleExpiresAt: toIso(session.lastSeenAt + config.session.idleTimeoutSeconds * 1000) as string,
      absoluteExpiresAt: toIso(session.createdAt + config.session.absoluteTimeoutSeconds * 1000) as string,
      accessTokenIssuedAt: toIso(access?.issuedAt),
      accessTokenExpiresAt: toIso(access?.expiresAt),
      accessTokenFingerprint: access ? fingerprintOf(access.accessToken) : null,
      refreshTokenPresent: session.refreshToken !== null,
      rotations: session.rotations,
      lastRefreshAt: toIso(session.lastRefreshAt),
    },
    services: { events: serviceStatus('events'), meti: serviceStatus('meti') },
    upstreams: { wellview: upstreamStatus('wellview'), events: upstreamStatus('events'), meti: upstreamStatus('meti') },
    rateLimit: {
      wellview: limiter?.stats() ?? {
        limitPerSecond: config.wellview.rateLimitPerSecond,
        currentPerSecond: 0,
        queued: 0,
        throttled: 0,
      },
    },
    refreshes: { performed: metrics.userRefreshes, servedFromSharedRefresh: metrics.sharedRefreshes },
    sharedState: sharedStateStatus(),
    timeline: metrics.lastHour().map((point) => ({ ...point, minute: toIso(point.minute) as string })),
  };
}

/** Whether token state and rate limits are shared through Redis, and whether that works now. */
function sharedStateStatus() {
  const health = sharedStateHealth();
  return { kind: health.mode, healthy: health.healthy ?? true, lastError: health.lastError, fallbacks: health.fallbacks };
}
