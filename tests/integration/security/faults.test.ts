import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { signIn, TestBrowser, type BrowserResponse } from '../../helpers/browser';
import { startStack, type Stack } from '../../helpers/stack';

/**
 * Every provider misbehaving in every way the sandbox can make it: the browser gets the right
 * status, the session survives (only `invalid_grant` ends it), the admin page shows the fault,
 * and everything recovers by itself once the fault clears.
 */
const [ada] = DEMO_USERS as [(typeof DEMO_USERS)[number]];
const TIMEOUT_MS = 1500;
let stack: Stack;
let app: string;
let faultsInjected = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  stack = await startStack({ env: { UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) } });
  app = stack.app.url;
});
beforeEach(async () => stack.reset());
afterAll(async () => {
  const dir = path.resolve(__dirname, '../../../test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'security-faults.json'), `${JSON.stringify({ faultsInjected })}\n`);
  console.log(`fault suite: ${faultsInjected} faults injected`);
  await stack?.stop();
});

type FaultKind = 'down' | 'slow' | '500' | '429' | 'malformed' | 'cut';
const FAULTS: Record<FaultKind, Record<string, unknown>> = {
  down: { down: true },
  slow: { latencyMs: TIMEOUT_MS + 1500 },
  '500': { errorRate: 1, errorStatus: 500 },
  '429': { errorRate: 1, errorStatus: 429, retryAfterSeconds: 30 },
  malformed: { malformedBody: true },
  cut: { cutMidBody: true },
};

async function inject(provider: string, kind: FaultKind) {
  faultsInjected += 1;
  await stack.fault({ provider, ...FAULTS[kind] });
}

function clearsSession(answer: BrowserResponse): boolean {
  return answer.setCookies.some((cookie) => cookie.name.endsWith('wv_session') && (cookie.maxAge === 0 || cookie.value === ''));
}

const CALLS = {
  wellview: (browser: TestBrowser) => browser.api(`${app}/api/wellview/user`),
  events: (browser: TestBrowser) =>
    browser.api(`${app}/api/events/api/1.0/event/list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app },
      body: JSON.stringify({ PageNumber: 1, PageSize: 2, OnlyUpcoming: true }),
    }),
  meti: (browser: TestBrowser) => browser.api(`${app}/api/meti/sources?limit=2`),
};

/** What the browser must get from an API that misbehaves this way. */
const EXPECTED: Record<FaultKind, { status: number; code?: string }> = {
  down: { status: 502, code: 'UPSTREAM_UNREACHABLE' },
  slow: { status: 504, code: 'UPSTREAM_TIMEOUT' },
  '500': { status: 502, code: 'UPSTREAM_ERROR' },
  // A Retry-After beyond what the gateway waits out is passed on.
  '429': { status: 429, code: 'UPSTREAM_RATE_LIMITED' },
  // Passed on as sent: the pages validate bodies and show a malformed answer as such.
  malformed: { status: 200 },
  cut: { status: 502, code: 'UPSTREAM_ERROR' },
};

async function adminStatus(browser: TestBrowser) {
  return (await browser.api(`${app}/api/admin/tokens`)).json<{
    services: Record<string, { lastError: { code: string } | null; cached: boolean }>;
    upstreams: Record<string, { healthy: boolean | null; lastStatus: number | null }>;
  }>();
}

describe('an API misbehaving', () => {
  const cases = (['wellview', 'events', 'meti'] as const).flatMap((api) => (Object.keys(FAULTS) as FaultKind[]).map((kind) => [api, kind] as const));
  it.each(cases)('%s %s: the right status, the session kept, shown to admins, recovered after', async (api, kind) => {
    const { browser } = await signIn(app, ada);
    expect((await CALLS[api](browser)).status).toBe(200);
    await inject(api, kind);

    const answer = await CALLS[api](browser);
    expect(answer.status).toBe(EXPECTED[kind].status);
    if (EXPECTED[kind].code) expect(answer.json()).toMatchObject({ error: { code: EXPECTED[kind].code, message: expect.any(String) } });
    if (kind === 'malformed') expect(() => JSON.parse(answer.text)).toThrow();
    expect(clearsSession(answer)).toBe(false);

    if (kind !== 'malformed' && kind !== 'cut') {
      const upstream = (await adminStatus(browser)).upstreams[api];
      expect(upstream?.healthy === false || upstream?.lastStatus === 429).toBe(true);
    }

    await stack.reset();
    const recovered = await CALLS[api](browser);
    expect(recovered.status).toBe(200);
    expect((await adminStatus(browser)).upstreams[api]?.healthy).toBe(true);
  });
});

describe('a service identity provider misbehaving while a token is due', () => {
  const cases = (['events', 'meti'] as const).flatMap((api) =>
    (['down', '500', '429', 'malformed', 'cut'] as FaultKind[]).map((kind) => [api, kind] as const),
  );
  it.each(cases)('%s identity %s: 502 IDP_UNAVAILABLE, the session kept, shown to admins, recovered after', async (api, kind) => {
    const { browser } = await signIn(app, ada);
    const cleared = await browser.api(`${app}/api/admin/tokens/clear`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app },
      body: JSON.stringify({ service: api }),
    });
    expect(cleared.status).toBe(200);
    await inject(`${api}-identity`, kind);

    const answer = await CALLS[api](browser);
    expect(answer.status).toBe(502);
    expect(answer.json()).toMatchObject({ error: { code: 'IDP_UNAVAILABLE' } });
    expect(answer.headers.get('retry-after')).toBeTruthy();
    expect(clearsSession(answer)).toBe(false);
    expect((await adminStatus(browser)).services[api]?.lastError).not.toBeNull();
    // The other service is untouched.
    const other = api === 'events' ? 'meti' : 'events';
    expect((await CALLS[other](browser)).status).toBe(200);

    await stack.reset();
    expect((await CALLS[api](browser)).status).toBe(200);
    expect((await adminStatus(browser)).services[api]).toMatchObject({ cached: true, lastError: null });
  });
});

describe('Peloton misbehaving while a refresh is due', () => {
  it.each(['down', '500', '429', 'malformed', 'cut'] as FaultKind[])('%s: the session is kept, and refreshes once it is back', async (kind) => {
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: 3 });
    const { browser } = await signIn(app, ada);
    await inject('peloton', kind);
    // Past the whole lifetime: the token is gone, the refresh fails, the login is not ended.
    await sleep(3200);
    const answer = await CALLS.wellview(browser);
    expect(answer.status).toBe(502);
    expect(answer.json()).toMatchObject({ error: { code: 'IDP_UNAVAILABLE' } });
    expect(clearsSession(answer)).toBe(false);

    await stack.reset();
    const recovered = await CALLS.wellview(browser);
    expect(recovered.status).toBe(200);
    const stats = await stack.stats();
    expect(stats.tokenRequests.peloton?.refresh_token).toBe(1);
    expect(stats.refreshReuseDetected).toBe(0);
  });

  it('invalid_grant (the provider ended the login) ends the session with 401', async () => {
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: 3 });
    const { browser } = await signIn(app, ada);
    faultsInjected += 1;
    await fetch(`${stack.sandboxUrl}/__sandbox/logins/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: ada.sub }) });
    await sleep(3200);
    const answer = await CALLS.wellview(browser);
    expect(answer.status).toBe(401);
    expect(answer.json()).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
    expect(clearsSession(answer)).toBe(true);
  });
});
