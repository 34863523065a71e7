import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { signIn, TestBrowser } from '../../helpers/browser';
import { providerCalls, startStack, tokenRequests, type Stack } from '../../helpers/stack';

const [admin, regular] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
let stack: Stack;
let app: string;
let adminBrowser: TestBrowser;
let userBrowser: TestBrowser;

beforeAll(async () => {
  stack = await startStack({ env: { UPSTREAM_TIMEOUT_MS: '1500', GATEWAY_MAX_BODY_BYTES: String(64 * 1024) } });
  app = stack.app.url;
  adminBrowser = (await signIn(app, admin)).browser;
  userBrowser = (await signIn(app, regular)).browser;
});
afterAll(async () => stack?.stop());
beforeEach(async () => stack.reset());

describe('headers', () => {
  it('adds the token, subscription key and region for WellView, and nothing of the browser', async () => {
    const answer = await userBrowser.api(`${app}/api/wellview/user`, {
      headers: { authorization: 'Bearer forged', 'x-forwarded-host': 'evil.example' },
    });
    expect(answer.status).toBe(200);
    expect(answer.json<{ email: string }>().email).toBe(regular.email);
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('x-request-id')).toBeTruthy();
    const seen = (await stack.stats()).lastRequestHeaders as Record<string, Record<string, string>>;
    expect(seen.wellview?.['ocp-apim-subscription-key']).toBeDefined();
    expect(seen.wellview?.['x-peloton-region']).toBe('us-east-1');
    expect(seen.wellview?.cookie).toBeUndefined();
    expect(seen.wellview?.['x-forwarded-host']).toBeUndefined();
    expect(seen.wellview?.authorization).not.toContain('forged');
  });

  it('adds tenant-code and api-version for Events', async () => {
    const answer = await userBrowser.api(`${app}/api/events/api/1.0/event/list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ PageNumber: 1, PageSize: 3, OnlyUpcoming: true }),
    });
    expect(answer.status).toBe(200);
    const body = answer.json<{ data: unknown[]; totalCount: number }>();
    expect(body.data).toHaveLength(3);
    const seen = (await stack.stats()).lastRequestHeaders as Record<string, Record<string, string>>;
    expect(seen.events?.['tenant-code']).toBe('DEMO');
    expect(seen.events?.['api-version']).toBe('1.0');
  });

  it('passes the query string through intact', async () => {
    const answer = await userBrowser.api(`${app}/api/meti/sources?methodology=Landfill&limit=3`);
    expect(answer.status).toBe(200);
    const sources = answer.json<{ methodology: string }[]>();
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.length).toBeLessThanOrEqual(3);
    for (const source of sources) expect(source.methodology).toBe('Landfill');
  });
});

describe('paths that could leave the base URL', () => {
  // Sent raw, byte for byte: these reach the gateway, which must refuse them.
  const refusedByGateway = [
    '%252e%252e/user',
    'a%2fb',
    'a%5cb',
    'https:%2f%2fevil.example',
    'a/%00',
    'a%0d%0aInjected:1',
    `${'a'.repeat(3000)}`,
    '%E2%80%A5/user',
  ];
  it.each(refusedByGateway)('rejects %j with 400 and no upstream call', async (path) => {
    const answer = await userBrowser.rawGet(app, `/api/wellview/${path}`);
    expect(answer.status, answer.text.slice(0, 200)).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'INVALID_PATH' } });
    expect(providerCalls(await stack.stats(), 'wellview')).toBe(0);
  });

  // Next's server resolves dot segments and folds slashes before any route runs: the request
  // lands on another route of ours (404 page or a same-origin 308), never on the upstream.
  const normalisedByServer = ['%2e%2e/peloton/oauth/token', '.%2e/user', 'a\\b', 'http://evil.example/x', 'a//b'];
  it.each(normalisedByServer)('never proxies %j', async (path) => {
    const answer = await userBrowser.rawGet(app, `/api/wellview/${path}`);
    expect([400, 404, 308]).toContain(answer.status);
    if (answer.status === 308) expect(new URL(answer.location ?? '', app).origin).toBe(app);
    expect(providerCalls(await stack.stats(), 'wellview')).toBe(0);
  });
});

describe('CSRF and rights', () => {
  it('refuses a gateway call without X-CSRF: 1', async () => {
    const answer = await userBrowser.request(`${app}/api/wellview/user`);
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({ error: { code: 'CSRF_REJECTED' } });
  });

  it('refuses a cross-site write even with the header', async () => {
    const answer = await adminBrowser.api(`${app}/api/meti/sources`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(403);
    expect(providerCalls(await stack.stats(), 'meti')).toBe(0);
  });

  it('lets only admins write through a service token, and everyone read', async () => {
    const source = {
      name: 'Gateway test landfill',
      methodology: 'Landfill',
      location: { latitude: 30.1, longitude: -97.7, country: 'US', region: 'TX' },
      emissions: { co2eTonnesPerYear: 1200, ch4TonnesPerYear: 40, n2oTonnesPerYear: 1 },
      reportingYear: 2025,
      status: 'active',
      operator: 'Test Operator',
    };
    const init = { method: 'POST', headers: { 'content-type': 'application/json', origin: app }, body: JSON.stringify(source) };
    const refused = await userBrowser.api(`${app}/api/meti/sources`, init);
    expect(refused.status).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(providerCalls(await stack.stats(), 'meti')).toBe(0);
    const created = await adminBrowser.api(`${app}/api/meti/sources`, init);
    expect(created.status).toBe(201);
  });

  it('answers 413 for a body over the limit, before any upstream call', async () => {
    const answer = await adminBrowser.api(`${app}/api/meti/sources`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app },
      body: JSON.stringify({ padding: 'x'.repeat(70 * 1024) }),
    });
    expect(answer.status).toBe(413);
    expect(answer.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const stats = await stack.stats();
    expect(providerCalls(stats, 'meti')).toBe(0);
    expect(tokenRequests(stats, 'meti-identity', 'client_credentials')).toBe(0);
  });
});

describe('upstream failures', () => {
  it('renews the user token once and retries once on a WellView 401', async () => {
    // A token only seconds old is never force-renewed (tests/integration/tokens/forced-renewal.test.ts).
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    await stack.fault({ provider: 'wellview', errorRate: 1, errorStatus: 401 });
    const answer = await userBrowser.api(`${app}/api/wellview/user`);
    expect(answer.status).toBe(502);
    expect(answer.json()).toMatchObject({ error: { code: 'UPSTREAM_ERROR', upstreamStatus: 401 } });
    const stats = await stack.stats();
    expect(tokenRequests(stats, 'peloton', 'refresh_token')).toBe(1);
    expect(stats.responses.wellview?.['401']).toBe(2);
    expect(stats.refreshReuseDetected).toBe(0);
    // Keep the rotated cookie, as a browser would.
    await stack.reset();
    expect((await userBrowser.api(`${app}/api/wellview/user`)).status).toBe(200);
  });

  it('retries a GET on 429 honouring Retry-After, then passes the 429 on', async () => {
    await stack.fault({ provider: 'wellview', errorRate: 1, errorStatus: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const answer = await userBrowser.api(`${app}/api/wellview/user`);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect((await stack.stats()).responses.wellview?.['429']).toBe(4);
  });

  it('does not retry a POST on 429', async () => {
    await stack.fault({ provider: 'wellview', errorRate: 1, errorStatus: 429, retryAfterSeconds: 1 });
    const answer = await userBrowser.api(`${app}/api/wellview/demo-org/wellview/v10/wellheader/data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app },
      body: JSON.stringify({ wvwell: [] }),
    });
    expect(answer.status).toBe(429);
    expect((await stack.stats()).responses.wellview?.['429']).toBe(1);
  });

  it('maps an upstream 5xx to 502 with the upstream status', async () => {
    await stack.fault({ provider: 'meti', errorRate: 1, errorStatus: 503 });
    const answer = await userBrowser.api(`${app}/api/meti/sources`);
    expect(answer.status).toBe(502);
    expect(answer.json()).toMatchObject({ error: { code: 'UPSTREAM_ERROR', upstreamStatus: 503 } });
  });

  it('maps a slow upstream to 504', async () => {
    await stack.fault({ provider: 'meti', latencyMs: 3000 });
    const answer = await userBrowser.api(`${app}/api/meti/sources`);
    expect(answer.status).toBe(504);
    expect(answer.json()).toMatchObject({ error: { code: 'UPSTREAM_TIMEOUT' } });
  });

  it('cancels a read whose browser has gone, without holding it against the upstream', async () => {
    const upstreamStatus = async () =>
      (
        await adminBrowser.api(`${app}/api/admin/tokens`)
      ).json<{ upstreams: { meti: { healthy: boolean | null; lastStatus: number | null; latencyMs: number | null } } }>().upstreams.meti;
    expect((await userBrowser.api(`${app}/api/meti/sources?limit=1`)).status).toBe(200);
    const logsBefore = stack.app.logs().length;
    await stack.fault({ provider: 'meti', latencyMs: 1000 });
    const leaving = new AbortController();
    const pending = userBrowser.api(`${app}/api/meti/sources?limit=2`, { signal: leaving.signal }).catch(() => 'left');
    await new Promise((resolve) => setTimeout(resolve, 300));
    leaving.abort();
    expect(await pending).toBe('left');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const logs = stack.app.logs().slice(logsBefore);
    expect(logs).toContain('"event":"gateway.client_gone"');
    expect(logs).not.toContain('"event":"gateway.failed"');
    // The last call recorded is still the quick one: the slow one was cancelled, not waited out.
    const status = await upstreamStatus();
    expect(status).toMatchObject({ healthy: true, lastStatus: 200 });
    expect(status.latencyMs).toBeLessThan(1000);
  });

  it('takes a read whose browser has gone out of the WellView queue at once', async () => {
    const queued = async () =>
      (await adminBrowser.api(`${app}/api/admin/tokens`)).json<{ rateLimit: { wellview: { queued: number } } }>().rateLimit.wellview.queued;
    const pollUntil = async (test: (count: number) => boolean) => {
      let count = await queued();
      for (let tries = 0; tries < 250 && !test(count); tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        count = await queued();
      }
      return count;
    };
    const read = (signal?: AbortSignal) =>
      userBrowser.api(`${app}/api/wellview/user`, { headers: { 'cache-control': 'no-cache' }, signal }).then(
        (answer) => answer.status,
        () => 'left',
      );
    // 40 reads at once: at 18 calls/s, evenly spaced, most of them wait in the queue.
    const leaving = Array.from({ length: 40 }, () => new AbortController());
    const left = leaving.map((controller) => read(controller.signal));
    const waiting = await pollUntil((count) => count >= 25);
    expect(waiting).toBeGreaterThanOrEqual(25);
    // All of them leave. Had they kept their places, the queue would take a slot's time
    // (1/18 s) per waiter to empty; they leave it as soon as the server sees them go.
    const abortedAt = performance.now();
    for (const controller of leaving) controller.abort();
    expect(await pollUntil((count) => count === 0)).toBe(0);
    const slotMs = 1000 / 18;
    expect(performance.now() - abortedAt).toBeLessThan(((waiting - 1) * slotMs) / 2);
    // (Now and then an aborted fetch in this test client never settles: it counts as gone.)
    const outcomes = await Promise.all(
      left.map((outcome) => Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, 2000, 'left'))])),
    );
    expect(outcomes.filter((outcome) => outcome === 'left').length).toBeGreaterThanOrEqual(25);
    expect(await read(AbortSignal.timeout(10_000))).toBe(200);
  });

  it('maps an unreachable upstream to 502', async () => {
    await stack.fault({ provider: 'meti', down: true });
    const answer = await userBrowser.api(`${app}/api/meti/sources`);
    expect(answer.status).toBe(502);
    expect(answer.json()).toMatchObject({ error: { code: 'UPSTREAM_UNREACHABLE' } });
  });

  it('passes other upstream 4xx through with their status', async () => {
    const answer = await userBrowser.api(`${app}/api/meti/sources/does-not-exist`);
    expect(answer.status).toBe(404);
  });
});
