import 'server-only';
import { processSingleton } from '@/lib/runtime';
import type { UpstreamName } from '@/lib/upstreams/types';
import {
  CallsPerSecond,
  LoginActivities,
  Timeline,
  type LoginActivity,
  type ServiceTokenActivity,
  type TimelinePoint,
} from '@/lib/observability/activity';
import { dashboardMetrics } from '@/lib/observability/metrics';
import { methodLabel, routeGroup } from '@/lib/observability/route-group';

/**
 * The observability store: the one place every part of the app reports what happened, and the
 * one place both readers read from, the admin page (`lib/admin/token-status.ts`) and Prometheus
 * (`/api/metrics`). Each `record*` function updates the admin page's state and the metric
 * families together, so the two can never disagree about what was counted. Everything here is
 * per instance (Prometheus sums instances; the admin page says "this instance").
 */

/** What the admin page shows about one upstream, from real calls and its own checks. */
export interface UpstreamHealth {
  /** `null` until the first call. */
  healthy: boolean | null;
  lastStatus: number | null;
  latencyMs: number | null;
  lastCallAt: number | null;
  recentCalls: CallsPerSecond;
  rateLimited: number;
  unauthorized: number;
}

/** The admin page's own check of one upstream (`lib/observability/upstream-checks.ts`). */
export interface UpstreamCheck {
  at: number | null;
  note: string | null;
  running: Promise<void> | null;
}

class ObservabilityStore {
  readonly timeline = new Timeline();
  readonly logins = new LoginActivities();
  readonly services = new Map<string, ServiceTokenActivity>();
  readonly upstreams = new Map<UpstreamName, UpstreamHealth>();
  readonly checks = new Map<UpstreamName, UpstreamCheck>();
  userRefreshes = 0;
  sharedRefreshes = 0;

  service(name: string): ServiceTokenActivity {
    let found = this.services.get(name);
    if (!found) {
      found = { tokenRequests: 0, lastError: null };
      this.services.set(name, found);
    }
    return found;
  }

  upstream(name: UpstreamName): UpstreamHealth {
    let found = this.upstreams.get(name);
    if (!found) {
      found = { healthy: null, lastStatus: null, latencyMs: null, lastCallAt: null, recentCalls: new CallsPerSecond(), rateLimited: 0, unauthorized: 0 };
      this.upstreams.set(name, found);
    }
    return found;
  }

  check(name: UpstreamName): UpstreamCheck {
    let found = this.checks.get(name);
    if (!found) {
      found = { at: null, note: null, running: null };
      this.checks.set(name, found);
    }
    return found;
  }
}

const store = () => processSingleton('observability.store', () => new ObservabilityStore());

// --- Token requests and refreshes -----------------------------------------------------------

export type TokenGrant = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** The OAuth error codes of RFC 6749 §5.2: the only ones kept as label values. */
const OAUTH_ERRORS = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'access_denied']);

/** A failure code as a bounded label value: a standard OAuth error, `unavailable`, or `error`. */
export function tokenOutcome(code: string | null): string {
  if (code === null) return 'success';
  if (OAUTH_ERRORS.has(code)) return code;
  if (code === 'unavailable' || code === 'provider_unavailable') return 'unavailable';
  return 'error';
}

/**
 * Records one token request to an identity provider. `error` is null when it succeeded; its
 * `code` is the OAuth error or failure kind. Client-credentials requests also feed the admin
 * page's per-service count and last error.
 */
export function recordTokenRequest(
  provider: string,
  grant: TokenGrant,
  error: { code: string; message: string } | null,
  seconds: number,
): void {
  const metrics = dashboardMetrics();
  const outcome = tokenOutcome(error?.code ?? null);
  metrics.tokenRequests.inc({ provider, grant, outcome });
  metrics.tokenRequestDuration.observe({ provider, grant }, seconds);
  if (outcome === 'invalid_grant') metrics.invalidGrants.inc({ grant });
  if (grant !== 'client_credentials') return;
  const state = store();
  const service = state.service(provider);
  service.tokenRequests += 1;
  service.lastError = error ? { ...error, at: Date.now() } : null;
  state.timeline.count('tokenRequests');
  if (error) state.timeline.count('errors');
}

/**
 * Records a refresh of a user's token that this instance performed at the provider (the token
 * request included): `code` is the OAuth error or failure kind when it failed.
 */
export function recordRefresh(sid: string, outcome: 'success' | 'invalid_grant' | 'failed', code: string | null, seconds: number): void {
  const metrics = dashboardMetrics();
  recordTokenRequest('peloton', 'refresh_token', outcome === 'success' ? null : { code: code ?? 'error', message: '' }, seconds);
  metrics.refreshes.inc({ outcome });
  const state = store();
  state.timeline.count('refreshes');
  if (outcome !== 'success') state.timeline.count('errors');
  if (outcome === 'success') state.userRefreshes += 1;
  // An invalid_grant either ends the login or lost a race to a newer rotation: neither is a
  // "last refresh failed" worth showing.
  if (outcome !== 'invalid_grant') {
    state.logins.touch(sid).lastRefresh = { outcome: outcome === 'success' ? 'succeeded' : 'failed', code, at: Date.now() };
  }
}

/** Records a request that was served by a concurrent refresh of its login. */
export function recordSharedRefresh(sid: string): void {
  dashboardMetrics().sharedRefreshes.inc();
  const state = store();
  state.sharedRefreshes += 1;
  state.logins.touch(sid).sharedRefreshes += 1;
}

/** Records a rotated-out refresh token presented again; the login it belongs to is ended. */
export function recordRefreshTokenReuse(): void {
  dashboardMetrics().refreshTokenReuse.inc();
  store().timeline.count('errors');
  recordSessionEnded('refresh_token_reuse');
}

/** Records a lookup of a cached service token. */
export function recordClientTokenLookup(service: string, hit: boolean): void {
  dashboardMetrics().clientTokenCache.inc({ service, result: hit ? 'hit' : 'miss' });
}

// --- Sessions -------------------------------------------------------------------------------

export type SessionEndReason = 'signed_out' | 'backchannel_logout' | 'provider_ended' | 'refresh_token_reuse';

/** Records a completed sign-in. */
export function recordSessionStarted(): void {
  dashboardMetrics().sessionsStarted.inc();
}

/** Records a login ended here (idle and absolute timeouts are not: nothing notices them reliably). */
export function recordSessionEnded(reason: SessionEndReason): void {
  dashboardMetrics().sessionsEnded.inc({ reason });
}

// --- Requests, upstream calls, caches, rate limit ---------------------------------------------

/** Records one API answer under its route group (never its path), method and status. */
export function recordApiRequest(pathname: string, method: string, status: number, seconds: number): void {
  dashboardMetrics().httpRequestDuration.observe({ route: routeGroup(pathname), method: methodLabel(method), status: String(status) }, seconds);
}

/** Records one upstream call's outcome: `status` null when the upstream could not be reached. */
export function recordUpstreamCall(name: UpstreamName, status: number | null, latencyMs: number): void {
  dashboardMetrics().upstreamRequestDuration.observe({ upstream: name, status: status === null ? 'error' : String(status) }, latencyMs / 1000);
  const state = store();
  const health = state.upstream(name);
  const now = Date.now();
  health.lastStatus = status;
  health.latencyMs = Math.round(latencyMs * 10) / 10;
  health.lastCallAt = now;
  health.healthy = status !== null && status < 500;
  if (status === 429) health.rateLimited += 1;
  if (status === 401) health.unauthorized += 1;
  health.recentCalls.add(now);
}

/**
 * Records a refusal the gateway acted on (a 401 it renews a token for, a 429 it waits out or
 * passes on), for the admin page's timeline; every upstream status is in the call histogram.
 */
export function recordGatewayRefusal(kind: 'unauthorized' | 'rateLimited'): void {
  store().timeline.count(kind);
}

/** Records a gateway response-cache lookup (bytes and entries held are sampled at scrape time). */
export function recordResponseCacheLookup(hit: boolean): void {
  dashboardMetrics().responseCache.inc({ result: hit ? 'hit' : 'miss' });
}

/** Records how a WellView call's wait for a rate-limit slot ended, and how long it waited. */
export function recordRateLimitWait(outcome: 'delivered' | 'turned_away' | 'abandoned', seconds: number): void {
  const metrics = dashboardMetrics();
  metrics.rateLimitCalls.inc({ outcome });
  if (outcome === 'delivered') metrics.rateLimitWait.observe(seconds);
}

/** Records an operation served by a per-instance fallback because Redis was unavailable. */
export function recordSharedStateFallback(): void {
  dashboardMetrics().sharedStateFallbacks.inc();
}

// --- Reads, for the admin page --------------------------------------------------------------

/** This instance's token requests and last failure for one service. */
export function serviceTokenActivity(service: string): ServiceTokenActivity {
  const { tokenRequests, lastError } = store().service(service);
  return { tokenRequests, lastError };
}

/** What this instance saw of a login, or null when nothing. */
export function loginActivity(sid: string): LoginActivity | null {
  return store().logins.find(sid);
}

/** Refreshes performed here, and requests served by another request's refresh. */
export function refreshTotals(): { performed: number; servedFromSharedRefresh: number } {
  const state = store();
  return { performed: state.userRefreshes, servedFromSharedRefresh: state.sharedRefreshes };
}

/** The per-minute timeline of the last hour. */
export function timelineLastHour(now = Date.now()): TimelinePoint[] {
  return store().timeline.lastHour(now);
}

/** One upstream's health as real calls and checks left it. */
export function upstreamHealth(name: UpstreamName): Readonly<UpstreamHealth> {
  return store().upstream(name);
}

/** The admin page's check record of one upstream (mutable: the checker keeps it). */
export function upstreamCheck(name: UpstreamName): UpstreamCheck {
  return store().check(name);
}
