import 'server-only';
import { sharedStateHealth } from '@/lib/shared-state/redis';
import { getConfig } from '@/lib/config';
import { asAdminSession, requireAdminSession, type AdminSession } from '@/lib/dal/session';
import { AppError } from '@/lib/errors';
import type { SessionState } from '@/lib/session';
import { describeCachedToken } from '@/lib/tokens/client-credentials';
import { fingerprint } from '@/lib/tokens/keys';
import { loginActivity, refreshTotals, serviceTokenActivity, timelineLastHour, upstreamHealth } from '@/lib/observability/store';
import { newestKnownState } from '@/lib/tokens/user-tokens';
import { getUpstream } from '@/lib/upstreams/registry';
import type { UpstreamName } from '@/lib/upstreams/types';
import {
  tokenStatusSchema,
  type ServiceStatus,
  type TokenStatus,
  type UpstreamStatus,
} from '@/lib/admin/token-status-schema';
import { lastCheck } from '@/lib/observability/upstream-checks';

/**
 * The admin token-status report: whether every credential is healthy, never a token or secret;
 * tokens appear only as fingerprints (first 8 hex of their SHA-256). Counters are this
 * instance's; cached tokens are read from the shared token store.
 */

const toIso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

/** A URL fit to show: no user info or query, where an operator might have put a credential. */
function shownUrl(value: string): string {
  try {
    const url = new URL(value);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString();
  } catch {
    return '(not a valid URL)';
  }
}

const unconfigured: ServiceStatus = {
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

/** The status of one service's client token, shaped as `services.<name>`; for admins only. */
export async function serviceStatus(_admin: AdminSession, name: 'events' | 'meti'): Promise<ServiceStatus> {
  const definition = getUpstream(name);
  if (!definition || definition.auth.kind !== 'client') return unconfigured;
  const { spec } = definition.auth;
  const counters = serviceTokenActivity(name);
  const cached = await describeCachedToken(spec);
  return {
    configured: true,
    cached: cached !== null,
    issuedAt: toIso(cached?.issuedAt),
    expiresAt: toIso(cached?.expiresAt),
    tokenRequests: counters.tokenRequests,
    fingerprint: cached?.fingerprint ?? null,
    scope: cached?.scope ?? null,
    audience: cached?.audience ?? spec.audience ?? null,
    tokenUrl: shownUrl(spec.tokenUrl),
    lastError: counters.lastError
      ? {
          code: counters.lastError.code,
          message: counters.lastError.message,
          at: new Date(counters.lastError.at).toISOString(),
        }
      : null,
  };
}

function upstreamStatus(name: UpstreamName): UpstreamStatus {
  const health = upstreamHealth(name);
  const check = lastCheck(name);
  const now = Date.now();
  return {
    configured: getUpstream(name) !== null,
    healthy: health.healthy,
    lastStatus: health.lastStatus,
    latencyMs: health.latencyMs,
    lastCallAt: toIso(health.lastCallAt),
    callsLastMinute: health.recentCalls.lastMinute(now),
    rateLimited: health.rateLimited,
    unauthorized: health.unauthorized,
    checkedAt: toIso(check.at),
    checkNote: check.note,
  };
}

/** The last refresh of this login: a failure seen here, or the success its cookie records. */
function lastRefreshOutcome(session: SessionState['session']): TokenStatus['session']['lastRefreshOutcome'] {
  const seen = loginActivity(session.sid)?.lastRefresh ?? null;
  const succeeded =
    session.lastRefreshAt === null
      ? null
      : { outcome: 'succeeded' as const, code: null, at: session.lastRefreshAt };
  // The session knows of successes on every instance; only this instance knows of a later failure.
  const failedSince = seen?.outcome === 'failed' && (!succeeded || seen.at > succeeded.at) ? seen : null;
  const latest = failedSince ?? succeeded ?? seen;
  return latest ? { ...latest, at: new Date(latest.at).toISOString() } : null;
}

/** Whether token state and rate limits are shared, and whether that works now. */
function sharedStateStatus(): TokenStatus['sharedState'] {
  const health = sharedStateHealth();
  return { kind: health.mode, healthy: health.healthy ?? true, lastError: health.lastError, fallbacks: health.fallbacks };
}

/**
 * Builds the whole report for an admin's session (pass the newest known state of it). Only a
 * session checked to be an admin's is accepted, so no caller can build it for anyone else.
 */
export async function buildTokenStatus(state: AdminSession): Promise<TokenStatus> {
  const config = getConfig();
  const { session, access } = state;
  const limiter = getUpstream('wellview')?.limiter;
  const [events, meti] = await Promise.all([serviceStatus(state, 'events'), serviceStatus(state, 'meti')]);
  const report: TokenStatus = {
    generatedAt: new Date().toISOString(),
    session: {
      user: { sub: session.user.sub, email: session.user.email, name: session.user.name },
      signedInAt: new Date(session.createdAt).toISOString(),
      lastSeenAt: new Date(session.lastSeenAt).toISOString(),
      idleExpiresAt: new Date(session.lastSeenAt + config.session.idleTimeoutSeconds * 1000).toISOString(),
      absoluteExpiresAt: new Date(
        session.createdAt + config.session.absoluteTimeoutSeconds * 1000,
      ).toISOString(),
      accessTokenIssuedAt: toIso(access?.issuedAt),
      accessTokenExpiresAt: toIso(access?.expiresAt),
      accessTokenFingerprint: access ? fingerprint(access.accessToken) : null,
      refreshTokenPresent: session.refreshToken !== null,
      rotations: session.rotations,
      lastRefreshAt: toIso(session.lastRefreshAt),
      lastRefreshOutcome: lastRefreshOutcome(session),
      servedFromSharedRefresh: loginActivity(session.sid)?.sharedRefreshes ?? 0,
    },
    services: { events, meti },
    upstreams: {
      wellview: upstreamStatus('wellview'),
      events: upstreamStatus('events'),
      meti: upstreamStatus('meti'),
    },
    rateLimit: {
      wellview: limiter?.stats() ?? {
        limitPerSecond: config.wellview.rateLimitPerSecond,
        currentPerSecond: 0,
        queued: 0,
        throttled: 0,
      },
    },
    refreshes: refreshTotals(),
    sharedState: sharedStateStatus(),
    timeline: timelineLastHour().map((point) => ({ ...point, minute: new Date(point.minute).toISOString() })),
  };
  // Parsing drops anything the shared schema does not name, so nothing unplanned is ever sent.
  return tokenStatusSchema.parse(report);
}

/**
 * The report for the admin page's first render. It checks the caller itself (layouts render in
 * parallel with pages, so theirs protects nothing): a non-admin gets 403 and no data.
 */
export async function initialTokenStatus(): Promise<TokenStatus | null> {
  const state = await requireAdminSession();
  try {
    return await buildTokenStatus(asAdminSession(await newestKnownState(state)));
  } catch (error) {
    // An ended login (say, a copy of a signed-out cookie): the page's first fetch gets the 401
    // and sends the browser to sign in.
    if (error instanceof AppError) return null;
    throw error;
  }
}
