import 'server-only';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { processSingleton } from '@/lib/runtime';

/**
 * The Prometheus metric families, in one dedicated registry (never prom-client's global one, which
 * any dependency may write to). It lives on `globalThis` (`processSingleton`): Next bundles each
 * route separately, and two registries in one process would split every counter in two.
 * Values are per instance; Prometheus adds instances up.
 *
 * Label values are bounded by construction: route groups, upstream and provider names from
 * configuration, HTTP statuses, and fixed outcome words. Never a path, a user or a login id.
 */

const PREFIX = 'wellview_dashboard_';

/** Latency buckets (seconds) for our own answers and upstream calls: 5 ms to 30 s (the gateway's timeout). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Rate-limit waits: 0 for most calls, up to the queue's 30 s limit. */
const WAIT_BUCKETS = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function createMetrics() {
  const registry = new Registry();
  // Unprefixed (`process_*`, `nodejs_*`): the names every Node.js dashboard and alert expects.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: 'API requests answered by this instance, by route group, method and status: time until the answer started.',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    upstreamRequestDuration: new Histogram({
      name: `${PREFIX}upstream_request_duration_seconds`,
      help: 'Calls to the upstream APIs, by upstream and status ("error" when no answer came): time until the response headers.',
      labelNames: ['upstream', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    tokenRequests: new Counter({
      name: `${PREFIX}token_requests_total`,
      help: 'Token requests sent to identity providers, by provider, grant type and outcome.',
      labelNames: ['provider', 'grant', 'outcome'] as const,
      registers,
    }),
    tokenRequestDuration: new Histogram({
      name: `${PREFIX}token_request_duration_seconds`,
      help: 'Time identity providers took to answer token requests, by provider and grant type.',
      labelNames: ['provider', 'grant'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    refreshes: new Counter({
      name: `${PREFIX}user_token_refreshes_total`,
      help: 'User-token refreshes this instance performed at the identity provider, by outcome (success, invalid_grant, failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    sharedRefreshes: new Counter({
      name: `${PREFIX}user_token_shared_refresh_requests_total`,
      help: 'Requests that waited for a refresh another request of the same login was already making, instead of refreshing themselves.',
      registers,
    }),
    invalidGrants: new Counter({
      name: `${PREFIX}invalid_grant_total`,
      help: 'Token requests the identity provider answered with invalid_grant, by grant type.',
      labelNames: ['grant'] as const,
      registers,
    }),
    refreshTokenReuse: new Counter({
      name: `${PREFIX}refresh_token_reuse_total`,
      help: 'Rotated-out refresh tokens presented again (a copied cookie): each ends its login.',
      registers,
    }),
    clientTokenCache: new Counter({
      name: `${PREFIX}client_token_cache_lookups_total`,
      help: 'Lookups of cached service (client-credentials) tokens, by service and result (hit, miss).',
      labelNames: ['service', 'result'] as const,
      registers,
    }),
    rateLimitWait: new Histogram({
      name: `${PREFIX}wellview_rate_limit_wait_seconds`,
      help: 'Time WellView calls waited for a slot under the subscription-key rate limit (0 when one was free).',
      buckets: WAIT_BUCKETS,
      registers,
    }),
    rateLimitCalls: new Counter({
      name: `${PREFIX}wellview_rate_limit_calls_total`,
      help: 'WellView calls asking the rate limiter for a slot, by outcome (delivered, turned_away, abandoned: the caller left while waiting).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    responseCache: new Counter({
      name: `${PREFIX}response_cache_lookups_total`,
      help: 'Gateway response-cache lookups, by result (hit, miss; an expired entry is a miss).',
      labelNames: ['result'] as const,
      registers,
    }),
    sessionsStarted: new Counter({
      name: `${PREFIX}sessions_started_total`,
      help: 'Sign-ins completed (a session was created).',
      registers,
    }),
    sessionsEnded: new Counter({
      name: `${PREFIX}sessions_ended_total`,
      help: 'Logins ended, by reason (signed_out, backchannel_logout, provider_ended, refresh_token_reuse).',
      labelNames: ['reason'] as const,
      registers,
    }),
    sharedStateFallbacks: new Counter({
      name: `${PREFIX}shared_state_fallbacks_total`,
      help: 'Operations served by per-instance fallbacks because Redis was unavailable.',
      registers,
    }),
  };
}

export type DashboardMetrics = ReturnType<typeof createMetrics>;

/** The process's metric families (created once, on first use). */
export function dashboardMetrics(): DashboardMetrics {
  return processSingleton('observability.metrics', createMetrics);
}

/** A sampled value: a number, or a number with its labels. */
export type Sample = number | { labels: Record<string, string>; value: number };

/**
 * Registers a gauge whose value is read from elsewhere at scrape time (a queue's depth, a cache's
 * size), so nothing has to keep it up to date. Registering the same name twice keeps the first.
 */
export function registerSampledGauge(name: string, help: string, sample: () => Sample, labelNames: string[] = []): void {
  const { registry } = dashboardMetrics();
  const fullName = `${PREFIX}${name}`;
  if (registry.getSingleMetric(fullName)) return;
  new Gauge({
    name: fullName,
    help,
    labelNames,
    registers: [registry],
    collect() {
      const value = sample();
      // Labelled series are rebuilt on every scrape, so a label value that changed leaves no stale series.
      this.reset();
      if (typeof value === 'number') this.set(value);
      else this.set(value.labels, value.value);
    },
  });
}
