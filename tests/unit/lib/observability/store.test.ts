import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { register as globalRegister } from 'prom-client';
import { resetConfigForTests } from '@/lib/config';
import { LoginActivities, Timeline } from '@/lib/observability/activity';
import { dashboardMetrics } from '@/lib/observability/metrics';
import {
  loginActivity,
  recordApiRequest,
  recordClientTokenLookup,
  recordRefresh,
  recordRefreshTokenReuse,
  recordSharedRefresh,
  recordTokenRequest,
  recordUpstreamCall,
  refreshTotals,
  serviceTokenActivity,
  timelineLastHour,
  tokenOutcome,
  upstreamHealth,
} from '@/lib/observability/store';

// Login activity is keyed by a keyed hash, which needs a configuration.
beforeAll(() => {
  vi.stubEnv('APP_URL', 'http://localhost:3000');
  vi.stubEnv('PELOTON_ISSUER', 'https://auth.peloton.com/');
  vi.stubEnv('PELOTON_CLIENT_ID', 'client');
  vi.stubEnv('PELOTON_CLIENT_SECRET', 'secret');
  vi.stubEnv('WELLVIEW_API_BASE_URL', 'https://api.peloton.com/wellview/v1');
  vi.stubEnv('WELLVIEW_SUBSCRIPTION_KEY', 'key');
  vi.stubEnv('WELLVIEW_REGION', 'us-east-1');
  vi.stubEnv('SESSION_PASSWORD', 'RImwApz8hUW8J5gjpa_1ZDJCs2y3iq3jguCG5MhH');
  resetConfigForTests();
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetConfigForTests();
});

/** The value of one series of a counter (0 when it has none yet). */
async function counterValue(name: keyof ReturnType<typeof dashboardMetrics>, labels: Record<string, string> = {}): Promise<number> {
  const metric = dashboardMetrics()[name];
  if (!('get' in metric)) throw new Error(`${name} is not a metric`);
  const { values } = await metric.get();
  const found = values.find((value) => {
    const seen = value.labels as Record<string, string | number | undefined>;
    return Object.keys(seen).length === Object.keys(labels).length && Object.entries(labels).every(([key, expected]) => seen[key] === expected);
  });
  return found?.value ?? 0;
}

/** The sum of one timeline field over the last hour. */
const timelineTotal = (field: 'refreshes' | 'tokenRequests' | 'errors') =>
  timelineLastHour().reduce((sum, point) => sum + point[field], 0);

describe('the observability store', () => {
  it('keeps its metric families in a dedicated registry on globalThis, not in prom-client\'s global one', async () => {
    expect(dashboardMetrics()).toBe(dashboardMetrics());
    const text = await dashboardMetrics().registry.metrics();
    expect(text).toContain('wellview_dashboard_token_requests_total');
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(globalRegister.getSingleMetric('wellview_dashboard_token_requests_total')).toBeUndefined();
  });

  it('counts a client-credentials token request for Prometheus and for the admin page alike', async () => {
    const before = {
      ok: await counterValue('tokenRequests', { provider: 'meti', grant: 'client_credentials', outcome: 'success' }),
      refused: await counterValue('tokenRequests', { provider: 'meti', grant: 'client_credentials', outcome: 'invalid_client' }),
      service: serviceTokenActivity('meti').tokenRequests,
      timeline: timelineTotal('tokenRequests'),
      errors: timelineTotal('errors'),
    };
    recordTokenRequest('meti', 'client_credentials', { code: 'invalid_client', message: 'The client was refused.' }, 0.2);
    expect(serviceTokenActivity('meti').lastError).toMatchObject({ code: 'invalid_client', message: 'The client was refused.' });
    recordTokenRequest('meti', 'client_credentials', null, 0.1);

    expect(await counterValue('tokenRequests', { provider: 'meti', grant: 'client_credentials', outcome: 'success' })).toBe(before.ok + 1);
    expect(await counterValue('tokenRequests', { provider: 'meti', grant: 'client_credentials', outcome: 'invalid_client' })).toBe(before.refused + 1);
    expect(serviceTokenActivity('meti')).toEqual({ tokenRequests: before.service + 2, lastError: null });
    expect(timelineTotal('tokenRequests')).toBe(before.timeline + 2);
    expect(timelineTotal('errors')).toBe(before.errors + 1);
  });

  it('keeps outcome labels to a bounded set, whatever a provider answers', () => {
    expect(tokenOutcome(null)).toBe('success');
    expect(tokenOutcome('invalid_grant')).toBe('invalid_grant');
    expect(tokenOutcome('provider_unavailable')).toBe('unavailable');
    expect(tokenOutcome('unavailable')).toBe('unavailable');
    for (const code of ['server_error', 'x'.repeat(500), 'user-1234@example.com', '']) expect(tokenOutcome(code)).toBe('error');
  });

  it('counts refreshes by outcome, remembers the last one per login, and counts invalid_grant apart', async () => {
    const sid = 'login-under-test';
    const before = {
      success: await counterValue('refreshes', { outcome: 'success' }),
      failed: await counterValue('refreshes', { outcome: 'failed' }),
      invalid: await counterValue('refreshes', { outcome: 'invalid_grant' }),
      invalidGrants: await counterValue('invalidGrants', { grant: 'refresh_token' }),
      requests: await counterValue('tokenRequests', { provider: 'peloton', grant: 'refresh_token', outcome: 'success' }),
      performed: refreshTotals().performed,
      timeline: timelineTotal('refreshes'),
    };
    recordRefresh(sid, 'success', null, 0.05);
    expect(loginActivity(sid)?.lastRefresh).toMatchObject({ outcome: 'succeeded', code: null });
    recordRefresh(sid, 'failed', 'unavailable', 3);
    expect(loginActivity(sid)?.lastRefresh).toMatchObject({ outcome: 'failed', code: 'unavailable' });
    // An invalid_grant ends the login (or lost a race to a newer rotation): not a "last refresh".
    recordRefresh(sid, 'invalid_grant', 'invalid_grant', 0.05);
    expect(loginActivity(sid)?.lastRefresh).toMatchObject({ outcome: 'failed', code: 'unavailable' });

    expect(await counterValue('refreshes', { outcome: 'success' })).toBe(before.success + 1);
    expect(await counterValue('refreshes', { outcome: 'failed' })).toBe(before.failed + 1);
    expect(await counterValue('refreshes', { outcome: 'invalid_grant' })).toBe(before.invalid + 1);
    expect(await counterValue('invalidGrants', { grant: 'refresh_token' })).toBe(before.invalidGrants + 1);
    expect(await counterValue('tokenRequests', { provider: 'peloton', grant: 'refresh_token', outcome: 'success' })).toBe(before.requests + 1);
    expect(refreshTotals().performed).toBe(before.performed + 1);
    expect(timelineTotal('refreshes')).toBe(before.timeline + 3);
  });

  it('counts requests served by a shared refresh, per login and in total', async () => {
    const before = { total: refreshTotals().servedFromSharedRefresh, metric: await counterValue('sharedRefreshes') };
    recordSharedRefresh('login-a');
    recordSharedRefresh('login-a');
    recordSharedRefresh('login-b');
    expect(loginActivity('login-a')?.sharedRefreshes).toBe(2);
    expect(loginActivity('login-b')?.sharedRefreshes).toBe(1);
    expect(loginActivity('login-never-seen')).toBeNull();
    expect(refreshTotals().servedFromSharedRefresh).toBe(before.total + 3);
    expect(await counterValue('sharedRefreshes')).toBe(before.metric + 3);
  });

  it('counts refresh-token reuse as a reuse event and as a session ended for that reason', async () => {
    const before = { reuse: await counterValue('refreshTokenReuse'), ended: await counterValue('sessionsEnded', { reason: 'refresh_token_reuse' }) };
    recordRefreshTokenReuse();
    expect(await counterValue('refreshTokenReuse')).toBe(before.reuse + 1);
    expect(await counterValue('sessionsEnded', { reason: 'refresh_token_reuse' })).toBe(before.ended + 1);
  });

  it('records upstream calls as the admin page\'s health and as a latency histogram by status', async () => {
    recordUpstreamCall('events', 200, 12.345);
    expect(upstreamHealth('events')).toMatchObject({ healthy: true, lastStatus: 200, latencyMs: 12.3 });
    const before429 = upstreamHealth('events').rateLimited;
    recordUpstreamCall('events', 429, 5);
    expect(upstreamHealth('events').rateLimited).toBe(before429 + 1);
    recordUpstreamCall('events', null, 5000);
    expect(upstreamHealth('events')).toMatchObject({ healthy: false, lastStatus: null });
    const text = await dashboardMetrics().registry.getSingleMetricAsString('wellview_dashboard_upstream_request_duration_seconds');
    expect(text).toMatch(/_count\{upstream="events",status="429"\} [1-9]/);
    expect(text).toMatch(/_count\{upstream="events",status="error"\} [1-9]/);
    // 12.345 ms lands in the 25 ms bucket and not in the 10 ms one.
    expect(text).toMatch(/_bucket\{le="0.025",upstream="events",status="200"\} [1-9]/);
  });

  it('labels API requests by route group, never by their path', async () => {
    recordApiRequest('/api/wellview/wells/secret-well-id-123', 'GET', 200, 0.01);
    recordApiRequest('/api/no/such/route/user-42', 'BREW', 404, 0.001);
    recordApiRequest('/api/auth/callback', 'GET', 302, 0.3);
    const text = await dashboardMetrics().registry.getSingleMetricAsString('wellview_dashboard_http_request_duration_seconds');
    expect(text).toContain('route="gateway/wellview",method="GET",status="200"');
    expect(text).toContain('route="other",method="other",status="404"');
    expect(text).toContain('route="auth/callback",method="GET",status="302"');
    expect(text).not.toContain('secret-well-id');
    expect(text).not.toContain('user-42');
  });

  it('counts client-token cache hits and misses per service', async () => {
    const before = await counterValue('clientTokenCache', { service: 'events', result: 'hit' });
    recordClientTokenLookup('events', true);
    recordClientTokenLookup('events', false);
    expect(await counterValue('clientTokenCache', { service: 'events', result: 'hit' })).toBe(before + 1);
    expect(await counterValue('clientTokenCache', { service: 'events', result: 'miss' })).toBeGreaterThanOrEqual(1);
  });
});

describe('the admin page\'s bounded state', () => {
  it('forgets the least recently active login first', () => {
    const logins = new LoginActivities(3);
    for (const sid of ['a', 'b', 'c']) logins.touch(sid);
    logins.touch('a');
    logins.touch('d');
    expect(logins.size).toBe(3);
    expect(logins.find('b')).toBeNull();
    expect(logins.find('a')).not.toBeNull();
    expect(logins.find('d')).not.toBeNull();
  });

  it('keeps one point per minute for the last hour only', () => {
    const timeline = new Timeline();
    const start = Date.UTC(2026, 0, 1, 12, 0, 0);
    for (let minute = 0; minute < 90; minute += 1) timeline.count('errors', start + minute * 60_000 + 1);
    timeline.count('errors', start + 89 * 60_000 + 2);
    const points = timeline.lastHour(start + 89 * 60_000 + 3);
    expect(points).toHaveLength(60);
    expect(points[0]?.minute).toBe(start + 30 * 60_000);
    expect(points.at(-1)).toMatchObject({ minute: start + 89 * 60_000, errors: 2 });
  });
});
