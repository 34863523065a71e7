/**
 * `GET /api/metrics` over real HTTP, against the production build and the sandbox: who may scrape
 * it, and that the counters move for what really happened (a refresh, a cache hit, a WellView 429,
 * a call that waited for the rate limit), agreeing with the admin page, with no secret in sight.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { DEMO_SESSION_PASSWORD, sandboxAppEnv } from '../../../scripts/sandbox-env';
import { startApp, type RunningApp } from '../../helpers/app';
import { signIn, type TestBrowser } from '../../helpers/browser';
import { startStack, tokenRequests, type Stack } from '../../helpers/stack';

const [admin, regular] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
const METRICS_TOKEN = `metrics-${randomBytes(16).toString('hex')}`;
const SHORT_TTL_SECONDS = 4;

let stack: Stack;
let app: string;
let adminBrowser: TestBrowser;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One scrape: the raw text, and a reader that sums the series of a name matching some labels. */
interface Scrape {
  text: string;
  value(name: string, labels?: Record<string, string>): number;
}

function parseExposition(text: string): Scrape {
  const series: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]));
    series.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return {
    text,
    value: (name, labels = {}) =>
      series
        .filter((entry) => entry.name === name && Object.entries(labels).every(([key, expected]) => entry.labels[key] === expected))
        .reduce((sum, entry) => sum + entry.value, 0),
  };
}

async function scrape(url = app): Promise<Scrape> {
  const response = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

const M = 'wellview_dashboard_';

beforeAll(async () => {
  stack = await startStack({ env: { METRICS_TOKEN, GATEWAY_CACHE_TTL_SECONDS: '30' } });
  app = stack.app.url;
  adminBrowser = (await signIn(app, admin)).browser;
});
afterAll(async () => stack?.stop());

describe('who may scrape /api/metrics', () => {
  it('answers the Prometheus text format to the right bearer token, never cached', async () => {
    const response = await fetch(`${app}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    // prom-client's default process metrics, and every family the dashboard declares.
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
    for (const family of [
      'http_request_duration_seconds',
      'upstream_request_duration_seconds',
      'token_requests_total',
      'user_token_refreshes_total',
      'user_token_shared_refresh_requests_total',
      'invalid_grant_total',
      'refresh_token_reuse_total',
      'client_token_cache_lookups_total',
      'wellview_rate_limit_queue_depth',
      'wellview_rate_limit_wait_seconds',
      'wellview_rate_limit_calls_total',
      'response_cache_lookups_total',
      'response_cache_bytes',
      'sessions_started_total',
      'sessions_ended_total',
      'shared_state_healthy',
      'shared_state_fallbacks_total',
    ]) {
      expect(text, family).toContain(`# TYPE ${M}${family} `);
    }
  });

  it('refuses a missing, wrong or malformed token with 401 JSON', async () => {
    const wrongSameLength = `metrics-${'0'.repeat(32)}`;
    for (const authorization of [undefined, `Bearer ${wrongSameLength}`, `Bearer ${METRICS_TOKEN}x`, `Basic ${METRICS_TOKEN}`, METRICS_TOKEN, 'Bearer ']) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const response = await fetch(`${app}/api/metrics`, { headers });
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('UNAUTHORIZED');
      expect(JSON.stringify(body)).not.toContain(METRICS_TOKEN);
    }
  });

  it('does not exist when METRICS_TOKEN is not set (404 JSON)', async () => {
    let other: RunningApp | undefined;
    try {
      other = await startApp({ sandboxUrl: stack.sandboxUrl, env: { METRICS_TOKEN: undefined } });
      const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${METRICS_TOKEN}` }, { authorization: 'Bearer ' }];
      for (const headers of attempts) {
        const response = await fetch(`${other.url}/api/metrics`, { headers });
        expect(response.status).toBe(404);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
      }
    } finally {
      await other?.stop();
    }
  });
});

describe('counters that move with what happened', () => {
  it('counts a forced refresh as performed, and the admin page reads the same store', async () => {
    await stack.reset();
    const before = await scrape();
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: SHORT_TTL_SECONDS });
    const { browser } = await signIn(app, regular);
    // Past half its lifetime the token is renewed before it is used.
    await sleep((SHORT_TTL_SECONDS * 1000) / 2 + 500);
    const answer = await browser.api(`${app}/api/wellview/user`, { headers: { 'cache-control': 'no-cache' } });
    expect(answer.status).toBe(200);
    expect(tokenRequests(await stack.stats(), 'peloton', 'refresh_token')).toBe(1);

    const after = await scrape();
    const moved = (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(moved(`${M}user_token_refreshes_total`, { outcome: 'success' })).toBe(1);
    expect(moved(`${M}user_token_refreshes_total`)).toBe(1);
    expect(moved(`${M}token_requests_total`, { provider: 'peloton', grant: 'refresh_token', outcome: 'success' })).toBe(1);
    expect(moved(`${M}token_requests_total`, { provider: 'peloton', grant: 'authorization_code', outcome: 'success' })).toBe(1);
    expect(moved(`${M}sessions_started_total`)).toBe(1);
    expect(moved(`${M}token_request_duration_seconds_count`, { provider: 'peloton', grant: 'refresh_token' })).toBe(1);

    // One store: the admin page's count of refreshes performed is Prometheus's.
    const report = (await adminBrowser.api(`${app}/api/admin/tokens`)).json<{ refreshes: { performed: number } }>();
    expect(report.refreshes.performed).toBe(after.value(`${M}user_token_refreshes_total`, { outcome: 'success' }));

    const signOut = await browser.api(`${app}/api/auth/logout`, { method: 'POST' });
    expect(signOut.status).toBeLessThan(400);
    expect((await scrape()).value(`${M}sessions_ended_total`, { reason: 'signed_out' }) - before.value(`${M}sessions_ended_total`, { reason: 'signed_out' })).toBe(1);
  });

  it('counts a response-cache hit and the bytes the cache holds', async () => {
    await stack.reset();
    const before = await scrape();
    const first = await adminBrowser.api(`${app}/api/wellview/user?probe=metrics`);
    const second = await adminBrowser.api(`${app}/api/wellview/user?probe=metrics`);
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
    const after = await scrape();
    expect(after.value(`${M}response_cache_lookups_total`, { result: 'hit' }) - before.value(`${M}response_cache_lookups_total`, { result: 'hit' })).toBe(1);
    expect(after.value(`${M}response_cache_lookups_total`, { result: 'miss' }) - before.value(`${M}response_cache_lookups_total`, { result: 'miss' })).toBe(1);
    expect(after.value(`${M}response_cache_bytes`)).toBeGreaterThanOrEqual(Buffer.byteLength(first.text));
    // The hit never reached WellView: one upstream call, one 200.
    expect(
      after.value(`${M}upstream_request_duration_seconds_count`, { upstream: 'wellview', status: '200' }) -
        before.value(`${M}upstream_request_duration_seconds_count`, { upstream: 'wellview', status: '200' }),
    ).toBe(1);
    expect(
      after.value(`${M}http_request_duration_seconds_count`, { route: 'gateway/wellview', method: 'GET', status: '200' }) -
        before.value(`${M}http_request_duration_seconds_count`, { route: 'gateway/wellview', method: 'GET', status: '200' }),
    ).toBe(2);
  });

  it('counts a 429 from WellView by upstream and status, and our answer by route group', async () => {
    await stack.reset();
    const before = await scrape();
    await stack.fault({ provider: 'wellview', errorRate: 1, errorStatus: 429, retryAfterSeconds: 1 });
    // A write is never retried on 429, so exactly one reaches WellView.
    const answer = await adminBrowser.api(`${app}/api/wellview/demo-org/wellview/v10/wellheader/data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app },
      body: JSON.stringify({ wvwell: [] }),
    });
    expect(answer.status).toBe(429);
    await stack.reset();
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(moved(`${M}upstream_request_duration_seconds_count`, { upstream: 'wellview', status: '429' })).toBe(1);
    expect(moved(`${M}http_request_duration_seconds_count`, { route: 'gateway/wellview', method: 'POST', status: '429' })).toBe(1);
    // Our own paths never become labels.
    expect(after.text).not.toContain('wellheader');
    expect(after.text).not.toContain('demo-org');
  });

  it('shows calls waiting for the WellView rate limit: queue depth while they wait, then their wait', async () => {
    await stack.reset();
    const before = await scrape();
    // 40 reads at once: at the dashboard's pace (below the key's 20 calls/s) most of them wait.
    const reads = Array.from({ length: 40 }, () =>
      adminBrowser.api(`${app}/api/wellview/user`, { headers: { 'cache-control': 'no-cache' } }).then((answer) => answer.status),
    );
    let deepest = 0;
    let settled = false;
    const all = Promise.all(reads).finally(() => {
      settled = true;
    });
    while (!settled) {
      deepest = Math.max(deepest, (await scrape()).value(`${M}wellview_rate_limit_queue_depth`));
      await sleep(50);
    }
    expect(new Set(await all)).toEqual(new Set([200]));
    expect(deepest).toBeGreaterThanOrEqual(10);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => after.value(name, labels) - before.value(name, labels);
    expect(after.value(`${M}wellview_rate_limit_queue_depth`)).toBe(0);
    expect(moved(`${M}wellview_rate_limit_calls_total`, { outcome: 'delivered' })).toBe(40);
    expect(moved(`${M}wellview_rate_limit_calls_total`, { outcome: 'turned_away' })).toBe(0);
    expect(moved(`${M}wellview_rate_limit_wait_seconds_count`)).toBe(40);
    // Most waited well over 50 ms: the calls above that bucket are the ones that queued.
    const waitedLong = moved(`${M}wellview_rate_limit_wait_seconds_count`) - moved(`${M}wellview_rate_limit_wait_seconds_bucket`, { le: '0.05' });
    expect(waitedLong).toBeGreaterThanOrEqual(20);
    expect(moved(`${M}wellview_rate_limit_wait_seconds_sum`)).toBeGreaterThan(5);
  });

  it('never shows a secret, a token, a user or a path in the exposition', async () => {
    const { text } = await scrape();
    const env = sandboxAppEnv(stack.sandboxUrl, app);
    const secrets = [
      METRICS_TOKEN,
      DEMO_SESSION_PASSWORD,
      env.PELOTON_CLIENT_SECRET,
      env.EVENTS_CLIENT_SECRET,
      env.METI_CLIENT_SECRET,
      env.WELLVIEW_SUBSCRIPTION_KEY,
      ...adminBrowser.jar.header().split(/;\s*/).map((pair) => pair.slice(pair.indexOf('=') + 1)),
    ].filter((value): value is string => typeof value === 'string' && value.length >= 8);
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    for (const secret of secrets) expect(text).not.toContain(secret);
    for (const user of DEMO_USERS) {
      expect(text).not.toContain(user.email);
      expect(text).not.toContain(user.sub);
    }
    expect(text).not.toContain(stack.sandboxUrl);
    // Route labels come from a fixed set.
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((match) => match[1]));
    for (const route of routes) expect(route).toMatch(/^(gateway\/(wellview|events|meti)|auth\/[a-z-]+|admin\/tokens|health(\/[a-z]+)?|metrics|targets\/wellview|other)$/);
  });
});
