import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { getConfig } from '@/lib/config';
import { AppError, errorResponse } from '@/lib/errors';
import { getResponseCache } from '@/lib/gateway/response-cache';
import { sharedStateHealth } from '@/lib/shared-state/redis';
import { getUpstream } from '@/lib/upstreams/registry';
import { dashboardMetrics, registerSampledGauge } from '@/lib/observability/metrics';

/**
 * `GET /api/metrics`: this instance's metrics in the Prometheus text format. Off (404) unless
 * `METRICS_TOKEN` is set; then only a request with `Authorization: Bearer <METRICS_TOKEN>` gets
 * them (401 otherwise). The exposition holds counts and label values only, never a token.
 */
export async function metricsResponse(request: Request, requestId: string): Promise<Response> {
  const expected = getConfig().metricsToken;
  if (!expected) throw new AppError('NOT_FOUND');
  if (!bearerMatches(request.headers.get('authorization'), expected)) {
    const refusal = errorResponse(new AppError('UNAUTHORIZED', { message: 'Metrics require the METRICS_TOKEN bearer token.' }), requestId);
    refusal.headers.set('www-authenticate', 'Bearer realm="metrics"');
    return refusal;
  }
  registerSampledGauges();
  const { registry } = dashboardMetrics();
  return new Response(await registry.metrics(), {
    status: 200,
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
}

/**
 * Whether the header carries exactly the expected bearer token. Both sides are hashed first so
 * the comparison takes the same time whatever the length or content of a wrong guess.
 */
export function bearerMatches(header: string | null, expected: string): boolean {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
  const presented = match?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected)) && presented !== '';
}

/** Gauges read from their owners at scrape time, so nothing has to keep them up to date. */
function registerSampledGauges(): void {
  registerSampledGauge(
    'wellview_rate_limit_queue_depth',
    'WellView calls waiting for a slot under the subscription-key rate limit on this instance.',
    () => getUpstream('wellview')?.limiter?.stats().queued ?? 0,
  );
  registerSampledGauge('response_cache_bytes', 'Bytes of answer bodies held in the gateway response cache.', () => getResponseCache().bytes);
  registerSampledGauge('response_cache_entries', 'Answers held in the gateway response cache.', () => getResponseCache().size);
  registerSampledGauge(
    'shared_state_healthy',
    'Whether shared state works: 1 on memory (nothing to fail); on Redis, 1 when the last command worked.',
    () => {
      const health = sharedStateHealth();
      return { labels: { mode: health.mode }, value: health.healthy === false ? 0 : 1 };
    },
    ['mode'],
  );
}
