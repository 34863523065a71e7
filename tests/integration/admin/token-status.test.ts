import { createHash } from 'node:crypto';
import { unsealData } from 'iron-session';
import { afterEach, describe, expect, it } from 'vitest';
import { toDiagnostics } from '../../../lib/admin/diagnostics';
import {
  serviceStatusSchema,
  tokenStatusSchema,
  type ServiceStatus,
  type TokenStatus,
} from '../../../lib/admin/token-status-schema';
import {
  DEMO_USERS,
  EVENTS_CLIENT,
  METI_AUDIENCE,
  METI_CLIENT,
  PELOTON_CLIENT,
  WELLVIEW_SERVICE_CLIENT,
  WELLVIEW_SUBSCRIPTION_KEYS,
} from '../../../sandbox/defaults';
import { startSandbox } from '../../../sandbox/server';
import { DEMO_SESSION_PASSWORD } from '../../../scripts/sandbox-env';
import { startApp, type RunningApp } from '../../helpers/app';
import { signIn, TestBrowser, type BrowserResponse } from '../../helpers/browser';
import { startRecordingProxy, type RecordingProxy } from '../../helpers/recording-proxy';
import { tokenRequests, type SandboxStats } from '../../helpers/stack';

const [admin, regular] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
/** Peloton access tokens live this long where a test needs a refresh; the dashboard renews at half. */
const SHORT_TTL_SECONDS = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256Fingerprint = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 8);

interface AdminStack {
  app: RunningApp;
  url: string;
  proxy: RecordingProxy;
  stats(): Promise<SandboxStats>;
  fault(fault: Record<string, unknown>): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The sandbox, a recording proxy in front of every provider the dashboard calls with a
 * credential, and the built dashboard pointed at the proxy: every real token is then known.
 */
async function startAdminStack(): Promise<AdminStack> {
  const sandbox = await startSandbox({ port: 0 });
  const proxy = await startRecordingProxy(sandbox.url);
  const via = (path: string) => `${proxy.url}${path}`;
  let app: RunningApp;
  try {
    app = await startApp({
      sandboxUrl: sandbox.url,
      env: {
        // This test counts upstream calls (ignored by dashboards without a response cache).
        GATEWAY_CACHE_TTL_SECONDS: '0',
        PELOTON_TOKEN_URL: via('/peloton/oauth/token'),
        WELLVIEW_API_BASE_URL: via('/wellview'),
        EVENTS_IDENTITY_URL: via('/events-identity'),
        EVENTS_API_BASE_URL: via('/events'),
        METI_TOKEN_URL: via('/meti-identity/oauth/token'),
        METI_API_BASE_URL: via('/meti'),
      },
    });
  } catch (error) {
    await proxy.close();
    await sandbox.close();
    throw error;
  }
  const control = async (path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  };
  return {
    app,
    url: app.url,
    proxy,
    stats: async () => (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as SandboxStats,
    fault: (fault) => control('/faults', fault),
    reset: () => control('/reset'),
    async stop() {
      await app.stop();
      await proxy.close();
      await sandbox.close();
    },
  };
}

let stack: AdminStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function tokenStatus(
  browser: TestBrowser,
  app: string,
): Promise<{ response: BrowserResponse; report: TokenStatus }> {
  const response = await browser.request(`${app}/api/admin/tokens`);
  expect(response.status, response.text).toBe(200);
  const parsed = tokenStatusSchema.safeParse(response.json());
  expect(parsed.error?.issues ?? []).toEqual([]);
  return { response, report: parsed.data as TokenStatus };
}

/**
 * The report once `ready` holds. The API waits up to 2.5 s for its upstream checks; on a busy
 * machine they may finish in the background and show on the next request, as on the page.
 */
async function tokenStatusWhen(
  browser: TestBrowser,
  app: string,
  ready: (report: TokenStatus) => boolean,
): Promise<{ response: BrowserResponse; report: TokenStatus }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await tokenStatus(browser, app);
    if (ready(answer.report) || Date.now() > deadline) return answer;
    await sleep(250);
  }
}

const checked = (report: TokenStatus) =>
  Object.values(report.upstreams).every((upstream) => upstream.healthy !== null) &&
  report.services.events.cached &&
  report.services.meti.cached;

/** A same-origin admin action, as the page sends it. */
function adminPost(
  browser: TestBrowser,
  app: string,
  action: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return browser.request(`${app}/api/admin/tokens/${action}`, {
    method: 'POST',
    csrf: true,
    headers: { 'content-type': 'application/json', origin: app, ...headers },
    body: JSON.stringify(body),
  });
}

const metiSources = (browser: TestBrowser, app: string) =>
  browser.api(`${app}/api/meti/sources?limit=1`, { headers: { 'cache-control': 'no-cache' } });
const wellviewUser = (browser: TestBrowser, app: string) =>
  browser.api(`${app}/api/wellview/user`, { headers: { 'cache-control': 'no-cache' } });
const eventList = (browser: TestBrowser, app: string) =>
  browser.api(`${app}/api/events/api/1.0/event/list`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ PageNumber: 1, PageSize: 1 }),
  });

const isoTime = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);

/** Every field ../shared/INTERFACES.md promises, by its exact name and type. */
function expectInterfaceContract(body: unknown) {
  const nullableIso = (value: unknown) =>
    value === null || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));
  const record = body as Record<string, Record<string, Record<string, unknown>>>;
  const session = record.session as Record<string, unknown>;
  expect(Object.keys(session)).toEqual(
    expect.arrayContaining([
      'user',
      'accessTokenExpiresAt',
      'refreshTokenPresent',
      'rotations',
      'lastRefreshAt',
    ]),
  );
  expect(Object.keys(session.user as object)).toEqual(expect.arrayContaining(['sub', 'email']));
  expect(nullableIso(session.accessTokenExpiresAt)).toBe(true);
  expect(nullableIso(session.lastRefreshAt)).toBe(true);
  expect(typeof session.refreshTokenPresent).toBe('boolean');
  expect(typeof session.rotations).toBe('number');
  for (const name of ['events', 'meti']) {
    const service = record.services?.[name] as Record<string, unknown>;
    expect(Object.keys(service)).toEqual(
      expect.arrayContaining(['cached', 'expiresAt', 'tokenRequests', 'fingerprint', 'lastError']),
    );
    expect(typeof service.cached).toBe('boolean');
    expect(nullableIso(service.expiresAt)).toBe(true);
    expect(typeof service.tokenRequests).toBe('number');
    expect(service.fingerprint === null || /^[0-9a-f]{8}$/.test(String(service.fingerprint))).toBe(true);
    if (service.lastError !== null)
      expect(Object.keys(service.lastError as object)).toEqual(
        expect.arrayContaining(['code', 'message', 'at']),
      );
  }
  for (const name of ['wellview', 'events', 'meti']) {
    const upstream = record.upstreams?.[name] as Record<string, unknown>;
    expect(Object.keys(upstream)).toEqual(expect.arrayContaining(['healthy', 'lastStatus', 'latencyMs']));
    expect(upstream.healthy === null || typeof upstream.healthy === 'boolean').toBe(true);
    expect(upstream.lastStatus === null || typeof upstream.lastStatus === 'number').toBe(true);
    expect(upstream.latencyMs === null || typeof upstream.latencyMs === 'number').toBe(true);
  }
  const limit = record.rateLimit?.wellview as Record<string, unknown>;
  for (const field of ['limitPerSecond', 'currentPerSecond', 'queued', 'throttled'])
    expect(typeof limit[field], field).toBe('number');
}

describe('admin token status: who may see it', () => {
  it('answers 403 to a regular user (API, actions and page) and 401 without a session', async () => {
    stack = await startAdminStack();
    const app = stack.url;
    const { browser } = await signIn(app, regular);

    const api = await browser.request(`${app}/api/admin/tokens`);
    expect(api.status).toBe(403);
    expect(api.headers.get('content-type')).toMatch(/application\/json/);
    expect(api.headers.get('cache-control')).toMatch(/no-store/);
    expect(api.json()).toMatchObject({
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/not allowed/i) },
    });
    expect(api.text).not.toContain('services');

    for (const action of ['renew', 'clear', 'sign-out']) {
      const answer = await adminPost(browser, app, action, { service: 'meti' });
      expect(answer.status, action).toBe(403);
      expect(answer.json(), action).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
    // None of those did anything: no token was requested, no login revoked, the session lives.
    const stats = await stack.stats();
    expect(tokenRequests(stats, 'meti-identity', 'client_credentials')).toBe(0);
    expect(stats.revocations).toBe(0);
    expect((await browser.request(`${app}/api/auth/session`)).json()).toMatchObject({
      authenticated: true,
      isAdmin: false,
    });

    const page = await browser.request(`${app}/admin/tokens`);
    expect(page.status).toBe(403);
    expect(page.text).toMatch(/not allowed/i);
    expect(page.text).not.toContain('Service tokens');

    const anonymous = await new TestBrowser().request(`${app}/api/admin/tokens`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
  });
});

describe('admin token status: the report', () => {
  it('fills every section against the sandbox, under the field names INTERFACES.md fixes', async () => {
    stack = await startAdminStack();
    const app = stack.url;
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: SHORT_TTL_SECONDS });
    const signingIn = Date.now();
    const { browser } = await signIn(app, admin);
    // The access token was issued before this moment, so it is due for renewal after `dueAt`.
    const signedIn = Date.now();
    const dueAt = signedIn + (SHORT_TTL_SECONDS * 1000) / 2 + 300;
    await sleep(dueAt - Date.now());
    // Due for renewal: concurrent requests share one refresh.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => wellviewUser(new TestBrowser(browser.jar.clone()), app)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    browser.jar.apply(answers[0]?.setCookies ?? []);

    const { response, report } = await tokenStatusWhen(browser, app, checked);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expectInterfaceContract(response.json());

    const stats = await stack.stats();
    expect(tokenRequests(stats, 'peloton', 'refresh_token')).toBe(1);
    const { session } = report;
    expect(session.user).toEqual({ sub: admin.sub, email: admin.email, name: admin.name });
    expect(Date.parse(session.signedInAt)).toBeGreaterThanOrEqual(signingIn);
    expect(Date.parse(session.signedInAt)).toBeLessThanOrEqual(signedIn);
    expect(session.refreshTokenPresent).toBe(true);
    expect(session.rotations).toBe(1);
    expect(session.lastRefreshAt).toEqual(isoTime);
    expect(session.lastRefreshOutcome).toMatchObject({ outcome: 'succeeded', code: null });
    expect(Date.parse(session.accessTokenExpiresAt as string)).toBeGreaterThan(Date.now());
    expect(Date.parse(session.accessTokenIssuedAt as string)).toBeGreaterThanOrEqual(dueAt);
    // The fingerprint is the real access token's: the one WellView was last called with.
    expect(session.accessTokenFingerprint).toBe(
      sha256Fingerprint(stack.proxy.latest('wellview', 'bearer') as string),
    );
    expect(session.servedFromSharedRefresh).toBeGreaterThanOrEqual(1);
    expect(session.servedFromSharedRefresh).toBe(report.refreshes.servedFromSharedRefresh);
    expect(report.refreshes.performed).toBe(1);
    expect(Date.parse(session.idleExpiresAt)).toBeGreaterThan(Date.now() + 7 * 3600_000);
    expect(Date.parse(session.absoluteExpiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    // Service tokens were fetched by the page's own upstream checks.
    for (const [name, provider] of [
      ['events', 'events-identity'],
      ['meti', 'meti-identity'],
    ] as const) {
      const service = report.services[name];
      expect(service, name).toMatchObject({
        configured: true,
        cached: true,
        tokenRequests: 1,
        lastError: null,
      });
      expect(tokenRequests(stats, provider, 'client_credentials'), name).toBe(1);
      expect(Date.parse(service.expiresAt as string)).toBeGreaterThan(Date.now() + 3000_000);
      expect(Date.parse(service.issuedAt as string)).toBeLessThanOrEqual(Date.now());
      expect(service.fingerprint).toBe(
        sha256Fingerprint(stack.proxy.latest(provider, 'access_token') as string),
      );
      expect(service.tokenUrl).toContain(`/${provider}/`);
    }
    expect(report.services.events).toMatchObject({ scope: 'EventsApi', audience: 'EventsApi' });
    expect(report.services.meti.audience).toBe(METI_AUDIENCE);
    expect(report.services.meti.scope?.split(' ')).toEqual(
      expect.arrayContaining(['read:sources', 'write:sources']),
    );

    for (const name of ['wellview', 'events', 'meti'] as const) {
      const upstream = report.upstreams[name];
      expect(upstream, name).toMatchObject({
        configured: true,
        healthy: true,
        lastStatus: 200,
        checkNote: null,
      });
      expect(upstream.latencyMs, name).toBeGreaterThanOrEqual(0);
      expect(upstream.callsLastMinute, name).toBeGreaterThanOrEqual(1);
      expect(upstream.lastCallAt, name).toEqual(isoTime);
    }
    expect(report.upstreams.wellview.callsLastMinute).toBeGreaterThanOrEqual(20);
    // WellView was just called by real traffic, so the page did not spend a call on checking it.
    expect(report.upstreams.wellview.checkedAt).toBeNull();
    expect(report.upstreams.events.checkedAt).toEqual(isoTime);
    expect(report.upstreams.meti.checkedAt).toEqual(isoTime);
    expect(stats.responses.wellview?.['200']).toBe(20);

    expect(report.rateLimit.wellview).toMatchObject({ limitPerSecond: 18, queued: 0, throttled: 0 });
    expect(report.rateLimit.wellview.currentPerSecond).toBeLessThanOrEqual(18);
    const totals = (field: 'refreshes' | 'tokenRequests') =>
      report.timeline.reduce((sum, point) => sum + point[field], 0);
    expect(totals('refreshes')).toBe(1);
    expect(totals('tokenRequests')).toBe(2);
    expect(report.timeline.every((point) => Date.parse(point.minute) > Date.now() - 3600_000)).toBe(true);

    // Calls through the gateway show up live.
    expect((await eventList(browser, app)).status).toBe(200);
    const again = (await tokenStatus(browser, app)).report;
    expect(again.upstreams.events.callsLastMinute).toBe(report.upstreams.events.callsLastMinute + 1);
  });

  it('renews a service token on demand: the counter, expiry and fingerprint change, answered as services.meti', async () => {
    stack = await startAdminStack();
    const app = stack.url;
    const { browser } = await signIn(app, admin);
    const before = (await tokenStatusWhen(browser, app, checked)).report.services.meti;
    expect(before).toMatchObject({ cached: true, tokenRequests: 1 });

    // Refused without X-CSRF, from another origin, or for an unknown service: nothing is renewed.
    const refusals: [string, Promise<BrowserResponse>, number][] = [
      [
        'no X-CSRF',
        browser.request(`${app}/api/admin/tokens/renew`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: app },
          body: '{"service":"meti"}',
        }),
        403,
      ],
      [
        'cross-origin',
        adminPost(browser, app, 'renew', { service: 'meti' }, { origin: 'https://evil.example' }),
        403,
      ],
      [
        'cross-site',
        adminPost(browser, app, 'renew', { service: 'meti' }, { 'sec-fetch-site': 'cross-site' }),
        403,
      ],
      ['unknown service', adminPost(browser, app, 'renew', { service: 'wellview' }), 400],
    ];
    for (const [label, pending, status] of refusals) {
      const answer = await pending;
      expect(answer.status, label).toBe(status);
      expect(answer.json<{ error: { code: string } }>().error.code, label).toBe(
        status === 403 ? 'CSRF_REJECTED' : 'BAD_REQUEST',
      );
    }
    expect(tokenRequests(await stack.stats(), 'meti-identity', 'client_credentials')).toBe(1);

    const renewed = await adminPost(browser, app, 'renew', { service: 'meti' });
    expect(renewed.status, renewed.text).toBe(200);
    const after = serviceStatusSchema.parse(renewed.json());
    // Shaped exactly as services.meti.
    expect(Object.keys(renewed.json<ServiceStatus>()).sort()).toEqual(Object.keys(before).sort());
    expect(after.tokenRequests).toBe(before.tokenRequests + 1);
    expect(Date.parse(after.expiresAt as string)).toBeGreaterThan(Date.parse(before.expiresAt as string));
    expect(Date.parse(after.issuedAt as string)).toBeGreaterThan(Date.parse(before.issuedAt as string));
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.fingerprint).toBe(
      sha256Fingerprint(stack.proxy.latest('meti-identity', 'access_token') as string),
    );
    expect(after).toMatchObject({ cached: true, lastError: null, audience: METI_AUDIENCE });
    expect(tokenRequests(await stack.stats(), 'meti-identity', 'client_credentials')).toBe(2);

    // The report agrees, and the gateway uses the new token.
    expect((await tokenStatus(browser, app)).report.services.meti).toMatchObject({
      tokenRequests: 2,
      fingerprint: after.fingerprint,
    });
    expect((await metiSources(browser, app)).status).toBe(200);
    expect(sha256Fingerprint(stack.proxy.latest('meti', 'bearer') as string)).toBe(after.fingerprint);
    // Events was not touched.
    expect(tokenRequests(await stack.stats(), 'events-identity', 'client_credentials')).toBe(1);

    // Clearing the cache drops the token; the next call fetches a new one.
    const cleared = await adminPost(browser, app, 'clear', { service: 'meti' });
    expect(cleared.status).toBe(200);
    expect(serviceStatusSchema.parse(cleared.json())).toMatchObject({
      cached: false,
      fingerprint: null,
      expiresAt: null,
      tokenRequests: 2,
    });
    expect((await metiSources(browser, app)).status).toBe(200);
    expect(tokenRequests(await stack.stats(), 'meti-identity', 'client_credentials')).toBe(3);
    expect((await tokenStatus(browser, app)).report.services.meti).toMatchObject({
      cached: true,
      tokenRequests: 3,
    });
  });
});

describe('admin token status: failures stay in their own row', () => {
  it('shows the METI token service failing while Events and the APIs stay healthy, and recovers', async () => {
    stack = await startAdminStack();
    const app = stack.url;
    const { browser } = await signIn(app, admin);
    expect((await wellviewUser(browser, app)).status).toBe(200);
    const healthy = (await tokenStatusWhen(browser, app, checked)).report;
    expect(healthy.services.meti).toMatchObject({ cached: true, lastError: null });

    await stack.fault({ provider: 'meti-identity', down: true });
    const cleared = await adminPost(browser, app, 'clear', { service: 'meti' });
    expect(cleared.status).toBe(200);
    const failed = await adminPost(browser, app, 'renew', { service: 'meti' });
    expect(failed.status).toBe(502);
    const failure = failed.json<{ error: { code: string; message: string }; service: unknown }>();
    expect(failure.error).toMatchObject({
      code: 'IDP_UNAVAILABLE',
      message: expect.stringContaining('METI'),
    });
    const failedService = serviceStatusSchema.parse(failure.service);
    expect(failedService).toMatchObject({
      cached: false,
      fingerprint: null,
      lastError: { code: 'provider_unavailable' },
    });
    // Three attempts: the first and two retries with backoff.
    expect(failedService.tokenRequests).toBe(healthy.services.meti.tokenRequests + 3);

    const { report } = await tokenStatus(browser, app);
    const meti = report.services.meti;
    expect(meti).toMatchObject({ cached: false, fingerprint: null, expiresAt: null });
    expect(meti.lastError).toEqual({
      code: 'provider_unavailable',
      message: 'The token service could not be reached.',
      at: isoTime,
    });
    expect(Date.now() - Date.parse(meti.lastError?.at as string)).toBeLessThan(30_000);
    expect(report.services.events).toMatchObject({
      cached: true,
      lastError: null,
      fingerprint: healthy.services.events.fingerprint,
    });
    expect(report.upstreams.wellview).toMatchObject({ healthy: true, lastStatus: 200 });
    expect(report.upstreams.events).toMatchObject({ healthy: true, lastStatus: 200 });
    expect(report.timeline.reduce((sum, point) => sum + point.errors, 0)).toBeGreaterThanOrEqual(3);

    // The page shows it too.
    const page = await browser.request(`${app}/admin/tokens`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('provider_unavailable');
    expect(page.text).toContain('The token service could not be reached.');

    await stack.reset();
    const recovered = await adminPost(browser, app, 'renew', { service: 'meti' });
    expect(recovered.status).toBe(200);
    expect(serviceStatusSchema.parse(recovered.json())).toMatchObject({ cached: true, lastError: null });
  });

  it('shows a failed refresh of the session as its last outcome, while the current token is kept', async () => {
    stack = await startAdminStack();
    const app = stack.url;
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: SHORT_TTL_SECONDS });
    const { browser } = await signIn(app, admin);
    const dueAt = Date.now() + (SHORT_TTL_SECONDS * 1000) / 2 + 300;
    expect((await tokenStatus(browser, app)).report.session.lastRefreshOutcome).toBeNull();
    await stack.fault({ provider: 'peloton', errorRate: 1, errorStatus: 503 });
    await sleep(dueAt - Date.now());

    // The refresh fails, but the access token has not expired yet: the call still succeeds.
    expect((await wellviewUser(browser, app)).status).toBe(200);
    // Injected failures answer before the provider counts a token request: count the 503 instead.
    expect((await stack.stats()).responses.peloton?.['503']).toBe(1);
    const { report } = await tokenStatus(browser, app);
    expect(report.session).toMatchObject({
      rotations: 0,
      lastRefreshAt: null,
      refreshTokenPresent: true,
      lastRefreshOutcome: { outcome: 'failed', code: 'unavailable', at: isoTime },
    });
    expect(report.timeline.reduce((sum, point) => sum + point.refreshes, 0)).toBe(1);
    expect(report.timeline.reduce((sum, point) => sum + point.errors, 0)).toBe(1);

    // The provider is back: the next call refreshes, and the outcome reads "succeeded".
    await stack.reset();
    const answer = await wellviewUser(browser, app);
    expect(answer.status).toBe(200);
    const after = (await tokenStatus(browser, app)).report.session;
    expect(after).toMatchObject({ rotations: 1, lastRefreshOutcome: { outcome: 'succeeded', code: null } });
    expect(after.lastRefreshOutcome?.at).toBe(after.lastRefreshAt);
  });

  it('shows the METI API failing while the other upstreams and every token stay healthy', async () => {
    stack = await startAdminStack();
    const app = stack.url;
    const { browser } = await signIn(app, admin);
    expect((await wellviewUser(browser, app)).status).toBe(200);
    expect((await tokenStatusWhen(browser, app, checked)).report.upstreams.meti).toMatchObject({
      healthy: true,
      lastStatus: 200,
    });

    await stack.fault({ provider: 'meti', down: true });
    const call = await metiSources(browser, app);
    expect(call.status).toBe(502);
    expect(call.json()).toMatchObject({ error: { code: 'UPSTREAM_UNREACHABLE' } });

    const { report } = await tokenStatus(browser, app);
    expect(report.upstreams.meti).toMatchObject({ healthy: false, lastStatus: null });
    expect(report.upstreams.wellview).toMatchObject({ healthy: true, lastStatus: 200 });
    expect(report.upstreams.events).toMatchObject({ healthy: true, lastStatus: 200 });
    expect(report.services.meti).toMatchObject({ cached: true, lastError: null });
    expect(report.services.events).toMatchObject({ cached: true, lastError: null });
  });
});

describe('admin token status: no secret leaks', () => {
  it('keeps every token, client secret and the session password out of the API, the page and the diagnostics', async () => {
    stack = await startAdminStack();
    const app = stack.url;
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: SHORT_TTL_SECONDS });
    const { browser } = await signIn(app, admin);
    await sleep((SHORT_TTL_SECONDS * 1000) / 2 + 300);
    // A refresh, a call to every API and a renewal of both service tokens: many real tokens exist.
    expect((await wellviewUser(browser, app)).status).toBe(200);
    expect((await eventList(browser, app)).status).toBe(200);
    expect((await metiSources(browser, app)).status).toBe(200);
    for (const service of ['events', 'meti'])
      expect((await adminPost(browser, app, 'renew', { service })).status).toBe(200);

    const { response, report } = await tokenStatus(browser, app);
    const page = await browser.request(`${app}/admin/tokens`);
    expect(page.status).toBe(200);
    const diagnostics = JSON.stringify(toDiagnostics(report, { page: '/admin/tokens' }), null, 2);

    // The real credentials, as the providers issued them and the cookies hold them.
    const unseal = async (name: string) =>
      unsealData<Record<string, unknown>>(decodeURIComponent(browser.jar.get(name) as string), {
        password: { 1: DEMO_SESSION_PASSWORD },
      });
    const sessionCookie = await unseal('wv_session');
    const accessCookie = await unseal('wv_at');
    const cookieRefreshToken = sessionCookie.refreshToken as string;
    const cookieAccessToken = accessCookie.accessToken as string;
    const seen = stack.proxy.tokens;
    const kinds = (kind: string, provider: string) =>
      seen.filter((token) => token.kind === kind && token.provider === provider).length;
    // The list below is real: tokens were issued and used (so this test can fail).
    expect(kinds('refresh_token', 'peloton')).toBe(2);
    expect(kinds('id_token', 'peloton')).toBeGreaterThanOrEqual(1);
    expect(kinds('access_token', 'events-identity')).toBe(2);
    expect(kinds('access_token', 'meti-identity')).toBe(2);
    expect(kinds('bearer', 'wellview')).toBeGreaterThanOrEqual(1);
    expect(seen.map((token) => token.value)).toEqual(
      expect.arrayContaining([cookieRefreshToken, cookieAccessToken]),
    );

    const secrets: [string, string][] = [
      ['Peloton client secret', PELOTON_CLIENT.clientSecret],
      ['Events client secret', EVENTS_CLIENT.clientSecret],
      ['METI client secret', METI_CLIENT.clientSecret],
      ['WellView service client secret', WELLVIEW_SERVICE_CLIENT.clientSecret],
      ['WellView subscription key', WELLVIEW_SUBSCRIPTION_KEYS[0] as string],
      ['session password', DEMO_SESSION_PASSWORD],
      ['session cookie', browser.jar.get('wv_session') as string],
      ['access cookie', browser.jar.get('wv_at') as string],
      ...seen.map((token): [string, string] => [`${token.provider} ${token.kind}`, token.value]),
      // A JWT's signature is what makes it usable: it must not appear on its own either.
      ...seen
        .map((token) => token.value.split('.'))
        .filter((parts) => parts.length === 3 && (parts[2]?.length ?? 0) >= 20)
        .map((parts): [string, string] => ['JWT signature', parts[2] as string]),
    ];
    const outputs: [string, string][] = [
      ['API answer', response.text],
      ['page HTML', page.text],
      ['diagnostics', diagnostics],
    ];
    for (const [where, text] of outputs) {
      for (const [name, value] of secrets)
        expect(text.includes(value), `${where} contains the ${name}`).toBe(false);
    }

    // Tokens are identified by fingerprints only: the real tokens' fingerprints are shown.
    const metiFingerprint = sha256Fingerprint(stack.proxy.latest('meti-identity', 'access_token') as string);
    const accessFingerprint = sha256Fingerprint(cookieAccessToken);
    expect(report.services.meti.fingerprint).toBe(metiFingerprint);
    expect(report.session.accessTokenFingerprint).toBe(accessFingerprint);
    for (const text of [response.text, page.text, diagnostics]) {
      expect(text).toContain(metiFingerprint);
      expect(text).toContain(accessFingerprint);
    }
    expect(page.text).toContain('Service tokens');
    expect(JSON.parse(diagnostics)).not.toHaveProperty('session.user');
    expect(diagnostics).not.toContain(admin.email);
  });
});

describe('admin token status: sign this session out everywhere', () => {
  it('revokes the refresh token at Peloton and clears the session, so no copy of the cookie can refresh', async () => {
    stack = await startAdminStack();
    const app = stack.url;
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: SHORT_TTL_SECONDS });
    const { browser } = await signIn(app, admin);
    // The access token was issued before this moment, so it is due for renewal after `dueAt`.
    const dueAt = Date.now() + (SHORT_TTL_SECONDS * 1000) / 2 + 300;
    const copy = new TestBrowser(browser.jar.clone());

    const noCsrf = await browser.request(`${app}/api/admin/tokens/sign-out`, {
      method: 'POST',
      headers: { origin: app },
    });
    expect(noCsrf.status).toBe(403);
    expect((await stack.stats()).revocations).toBe(0);

    const signedOut = await adminPost(browser, app, 'sign-out', {});
    expect(signedOut.status, signedOut.text).toBe(200);
    expect(signedOut.json()).toMatchObject({ loggedOut: true, redirectTo: expect.any(String) });
    expect((await stack.stats()).revocations).toBe(1);
    expect((await browser.request(`${app}/api/auth/session`)).json()).toEqual({ authenticated: false });
    expect(stack.app.logs()).toContain('"event":"admin.sign_out_everywhere"');

    // A copy of the old cookies must not bring the login back once its access token is due.
    await sleep(dueAt - Date.now());
    const stale = await wellviewUser(copy, app);
    expect(stale.status).toBe(401);
    expect(stale.json()).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
  });
});
