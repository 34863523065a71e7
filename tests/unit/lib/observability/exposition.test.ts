import { describe, expect, it } from 'vitest';
import { PacedLimiter } from '@/lib/gateway/rate-limiter';
import { bearerMatches } from '@/lib/observability/exposition';
import { dashboardMetrics } from '@/lib/observability/metrics';
import { observedLimiter } from '@/lib/observability/rate-limit';
import { methodLabel, routeGroup } from '@/lib/observability/route-group';

describe('the metrics bearer token', () => {
  const token = 'm3tr1cs-t0ken-for-tests';
  it('accepts exactly the configured token', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
  });
  it('refuses anything else', () => {
    for (const header of [null, '', 'Bearer', 'Bearer ', `Basic ${token}`, `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, token, `Bearer ${token} extra`, `Bearer ${token.toUpperCase()}`]) {
      expect(bearerMatches(header, token), String(header)).toBe(false);
    }
  });
});

describe('route groups', () => {
  it('names every route by a fixed group', () => {
    expect(routeGroup('/api/wellview/wells/123')).toBe('gateway/wellview');
    expect(routeGroup('/api/events/api/1.0/event/list')).toBe('gateway/events');
    expect(routeGroup('/api/meti/sources')).toBe('gateway/meti');
    expect(routeGroup('/api/auth/callback')).toBe('auth/callback');
    expect(routeGroup('/api/admin/tokens/renew')).toBe('admin/tokens');
    expect(routeGroup('/api/health')).toBe('health');
    expect(routeGroup('/api/health/upstreams')).toBe('health/upstreams');
    expect(routeGroup('/api/metrics')).toBe('metrics');
    expect(routeGroup('/api/targets/wellview')).toBe('targets/wellview');
  });
  it('puts unknown paths in one group, so random paths cannot create series', () => {
    for (const path of ['/api/auth/login2', '/api/nope', '/api/health/x/y', '/api/metrics/extra', '/', '/wells/1', '/api']) {
      expect(routeGroup(path), path).toBe('other');
    }
    expect(methodLabel('get')).toBe('GET');
    expect(methodLabel('PROPFIND')).toBe('other');
  });
});

describe('the observed rate limiter', () => {
  async function calls(outcome: string): Promise<number> {
    const { values } = await dashboardMetrics().rateLimitCalls.get();
    return values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
  }

  it('records delivered calls with their wait, and calls turned away or abandoned', async () => {
    const before = { delivered: await calls('delivered'), turned: await calls('turned_away'), gone: await calls('abandoned') };
    const waitCountBefore = (await dashboardMetrics().rateLimitWait.get()).values.find((value) => value.metricName?.endsWith('_count'))?.value ?? 0;
    // One call per 200 ms; a queue of one call per caller.
    const limiter = observedLimiter(new PacedLimiter({ limit: 1, windowMs: 200, maxQueue: 10, maxQueuedPerCaller: 1, maxWaitMs: 5000 }));
    await limiter.acquire(undefined, 'a');
    const queued = limiter.acquire(undefined, 'a');
    await expect(limiter.acquire(undefined, 'a')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    const leaving = new AbortController();
    const abandoned = limiter.acquire(leaving.signal, 'b');
    expect(limiter.stats().queued).toBe(2);
    leaving.abort();
    await expect(abandoned).rejects.toMatchObject({ code: 'CLIENT_CLOSED_REQUEST' });
    await queued;

    expect(await calls('delivered')).toBe(before.delivered + 2);
    expect(await calls('turned_away')).toBe(before.turned + 1);
    expect(await calls('abandoned')).toBe(before.gone + 1);
    const text = await dashboardMetrics().registry.getSingleMetricAsString('wellview_dashboard_wellview_rate_limit_wait_seconds');
    expect(text).toContain(`_count ${waitCountBefore + 2}`);
    // The queued call waited about 200 ms: above the 100 ms bucket, so the sum shows it.
    const sum = Number(/_sum (\S+)/.exec(text)?.[1]);
    expect(sum).toBeGreaterThan(0.1);
  });
});
