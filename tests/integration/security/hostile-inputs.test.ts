import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, EVENTS_CLIENT, METI_CLIENT, PELOTON_CLIENT } from '../../../sandbox/defaults';
import { DEMO_SESSION_PASSWORD } from '../../../scripts/sandbox-env';
import { encodedDelimiterPaths, hostileCallbacks, hostileCookies, hostileJsonBodies, hostilePaths, hostileReturnTos, matrixDotPaths } from '../../fixtures/hostile-inputs';
import { authorizeAtProvider, signIn, TestBrowser } from '../../helpers/browser';
import { recordAttackCounts } from '../../helpers/attack-counts';
import { rawRequest, type RawResponse } from '../../helpers/raw-http';
import { providerCalls, startStack, type Stack } from '../../helpers/stack';

/**
 * The attack suite: hundreds of malformed or hostile inputs over raw HTTP. For every one: no
 * 5xx, a 4xx in the shared error shape where one of our routes answered, no call to a provider
 * that should not happen (sandbox stats), and no token or secret in the answer.
 */
const [ada, ben] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
let stack: Stack;
let app: string;
let adaBrowser: TestBrowser;
let benBrowser: TestBrowser;
const counts = { inputs: 0, failures: 0 };

const SECRETS = [PELOTON_CLIENT.clientSecret, EVENTS_CLIENT.clientSecret, METI_CLIENT.clientSecret, DEMO_SESSION_PASSWORD];
/** A JWT (the providers' access and ID tokens) or a sandbox refresh token. */
const TOKEN_PATTERN = /eyJ[\w-]{10,}\.eyJ[\w-]{20,}\.[\w-]{20,}|\bv1\.[\w-]{40,}/;

beforeAll(async () => {
  stack = await startStack();
  app = stack.app.url;
  adaBrowser = (await signIn(app, ada)).browser;
  benBrowser = (await signIn(app, ben)).browser;
});
afterAll(async () => {
  const totals = recordAttackCounts('hostile-inputs', counts);
  console.log(`attack suite: ${counts.inputs} hostile inputs tried here, ${counts.failures} failures (suite: ${totals.inputs}, ${totals.failures})`);
  await stack?.stop();
});

/** Problems with one answer, as readable lines (empty when it is fine). */
function problems(label: string, answer: { status: number; body: string; raw?: string }, allowed: number[]): string[] {
  counts.inputs += 1;
  const found: string[] = [];
  const text = answer.raw ?? answer.body;
  if (answer.status >= 500 || !answer.status) found.push(`${label}: status ${answer.status}`);
  else if (!allowed.includes(answer.status)) found.push(`${label}: status ${answer.status}, expected one of ${allowed.join(', ')}`);
  if (TOKEN_PATTERN.test(text)) found.push(`${label}: a token in the answer`);
  for (const secret of SECRETS) if (text.includes(secret)) found.push(`${label}: a secret in the answer`);
  if (answer.status >= 400 && answer.status < 500 && answer.body.trim().startsWith('{')) {
    try {
      const body = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string') found.push(`${label}: 4xx without the error shape`);
    } catch {
      found.push(`${label}: a JSON answer that does not parse`);
    }
  }
  counts.failures += found.length;
  return found;
}

const cookieHeader = (browser: TestBrowser) => `Cookie: ${browser.jar.header()}`;
/** Sends a path the way a raw client would: ASCII as given, anything else as UTF-8 bytes. */
const wirePath = (text: string) => text.replace(/[^\x21-\x7e]/g, (char) => encodeURIComponent(char));

describe('hostile inputs', () => {
  it.each(['wellview', 'events', 'meti'])('gateway paths that could leave the %s base URL', async (upstream) => {
    await stack.reset();
    const found: string[] = [];
    for (const suffix of hostilePaths()) {
      const answer = await rawRequest(app, { path: `/api/${upstream}/${wirePath(suffix)}`, headers: [cookieHeader(adaBrowser), 'X-CSRF: 1'] });
      // 400: refused by the gateway; 404 / 308 / 431: refused or folded by the server before any route.
      found.push(...problems(`${upstream} ${JSON.stringify(suffix).slice(0, 60)}`, answer, [400, 404, 308, 414, 431]));
      if (answer.status === 400 && answer.body.startsWith('{')) {
        const code = (JSON.parse(answer.body) as { error: { code: string } }).error.code;
        if (code !== 'INVALID_PATH') found.push(`${upstream} ${suffix}: 400 ${code}`);
      }
    }
    expect(found.join('\n')).toBe('');
    const stats = await stack.stats();
    // Some inputs fold into a harmless path under the same base (`a/./b` → `a/b`), which may
    // reach this upstream; nothing may reach another API or the Peloton identity provider.
    const others = ['peloton', 'wellview', 'events', 'meti', ...(upstream === 'events' ? ['meti-identity'] : upstream === 'meti' ? ['events-identity'] : ['events-identity', 'meti-identity'])];
    for (const provider of others.filter((name) => name !== upstream)) {
      expect(providerCalls(stats, provider), provider).toBe(0);
    }
  });

  it.each(['wellview', 'events', 'meti'])('dot segments behind `;` parameters and encoded `;?#\\` are refused on %s before any upstream call', async (upstream) => {
    await stack.reset();
    const found: string[] = [];
    for (const suffix of [...matrixDotPaths(), ...encodedDelimiterPaths()]) {
      const label = `${upstream} ${JSON.stringify(suffix)}`;
      for (const method of ['GET', 'POST']) {
        const answer = await rawRequest(app, {
          method,
          path: `/api/${upstream}/${wirePath(suffix)}`,
          headers: [cookieHeader(adaBrowser), 'X-CSRF: 1', `Origin: ${app}`, 'Content-Type: application/json'],
          body: method === 'POST' ? '{}' : undefined,
        });
        found.push(...problems(`${method} ${label}`, answer, [400]));
        if (answer.status === 400 && !answer.body.includes('"INVALID_PATH"')) found.push(`${method} ${label}: 400 without INVALID_PATH`);
      }
    }
    expect(found.join('\n')).toBe('');
    // Not one call reached any upstream or identity provider, this one included.
    const stats = await stack.stats();
    for (const provider of ['peloton', 'wellview', 'events', 'meti', 'events-identity', 'meti-identity']) {
      expect(providerCalls(stats, provider), provider).toBe(0);
    }
  });

  it('returnTo values end on a same-origin path', async () => {
    const found: string[] = [];
    for (const returnTo of hostileReturnTos) {
      const browser = new TestBrowser();
      const login = await rawRequest(app, { path: `/api/auth/login?returnTo=${encodeURIComponent(returnTo)}` });
      found.push(...problems(`login returnTo ${JSON.stringify(returnTo).slice(0, 60)}`, login, [302, 400]));
      if (login.status !== 302) continue;
      const started = await browser.request(`${app}/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
      const callbackUrl = await authorizeAtProvider(browser, started.headers.get('location') as string, ada);
      const callback = await browser.request(callbackUrl);
      found.push(...problems(`callback for returnTo ${JSON.stringify(returnTo).slice(0, 60)}`, { status: callback.status, body: callback.text }, [302]));
      const location = callback.headers.get('location') ?? '';
      const landed = new URL(location, app);
      if (landed.origin !== app || landed.pathname.startsWith('//')) found.push(`returnTo ${JSON.stringify(returnTo)} landed on ${location}`);
    }
    expect(found.join('\n')).toBe('');
  });

  it('callbacks that are not a sign-in in progress sign no one in', async () => {
    const found: string[] = [];
    for (const query of hostileCallbacks) {
      for (const pending of [false, true]) {
        const browser = new TestBrowser();
        if (pending) await browser.request(`${app}/api/auth/login?returnTo=/wells`);
        const answer = await rawRequest(app, {
          path: `/api/auth/callback?${query}`,
          headers: browser.jar.header() ? [`Cookie: ${browser.jar.header()}`] : [],
        });
        const label = `callback ${pending ? '(pending) ' : ''}${JSON.stringify(query).slice(0, 60)}`;
        found.push(...problems(label, answer, [302, 303, 307, 400, 431]));
        if (/wv_session=[^;]{10,}/.test(answer.headers['set-cookie'] ?? '')) found.push(`${label}: set a session cookie`);
        const location = answer.headers.location ?? '';
        if (location && new URL(location, app).origin !== app) found.push(`${label}: redirected off-site to ${location}`);
      }
    }
    expect(found.join('\n')).toBe('');
  });

  it('cookies that are not a usable session read as signed out everywhere', async () => {
    await stack.reset();
    const found: string[] = [];
    const session = adaBrowser.jar.get('wv_session') as string;
    for (const cookie of hostileCookies({ session })) {
      const label = `cookie ${JSON.stringify(cookie).slice(0, 50)}`;
      const api = await rawRequest(app, { path: '/api/wellview/user', headers: [`Cookie: ${cookie}`, 'X-CSRF: 1'] });
      found.push(...problems(`${label} on the gateway`, api, [401, 431]));
      const page = await rawRequest(app, { path: '/wells', headers: [`Cookie: ${cookie}`] });
      found.push(...problems(`${label} on a page`, page, [307, 431]));
      const status = await rawRequest(app, { path: '/api/auth/session', headers: [`Cookie: ${cookie}`] });
      found.push(...problems(`${label} on the session route`, status, [200, 431]));
      if (status.status === 200 && !status.body.includes('"authenticated":false')) found.push(`${label}: reads as signed in`);
    }
    expect(found.join('\n')).toBe('');
    expect(providerCalls(await stack.stats(), 'wellview')).toBe(0);

    // Another user's cookie is that user, never a mix of the two.
    const other = await benBrowser.api(`${app}/api/wellview/user`);
    expect(other.json<{ email: string }>().email).toBe(ben.email);
    const mixed = await rawRequest(app, {
      path: '/api/wellview/user',
      headers: [`Cookie: wv_session=${benBrowser.jar.get('wv_session')}; wv_at=${adaBrowser.jar.get('wv_at')}`, 'X-CSRF: 1'],
    });
    found.push(...problems("ben's session with ada's access cookie", mixed, [200, 401]));
    if (mixed.status === 200) expect((JSON.parse(mixed.body) as { email: string }).email).toBe(ben.email);
    expect(found.join('\n')).toBe('');
  });

  it('bad bodies on an admin action and a gateway write get a 4xx and reach no provider they should not', async () => {
    await stack.reset();
    const found: string[] = [];
    for (const { label, contentType, body } of hostileJsonBodies) {
      const renew = await rawRequest(app, {
        method: 'POST',
        path: '/api/admin/tokens/renew',
        headers: [cookieHeader(adaBrowser), 'X-CSRF: 1', `Origin: ${app}`, `Content-Type: ${contentType}`],
        body,
      });
      found.push(...problems(`renew with ${label}`, renew, [400, 413, 415, 422]));
      const write = await rawRequest(app, {
        method: 'POST',
        path: '/api/meti/sources',
        headers: [cookieHeader(adaBrowser), 'X-CSRF: 1', `Origin: ${app}`, `Content-Type: ${contentType}`],
        body,
      });
      // The gateway forwards bodies as they are; METI judges them (400 / 422), never a 5xx.
      found.push(...problems(`METI write with ${label}`, write, [400, 413, 415, 422]));
    }
    expect(found.join('\n')).toBe('');
    const stats = await stack.stats();
    expect(stats.tokenRequests['events-identity'] ?? {}).toEqual({});
    expect(stats.tokenRequests['meti-identity'] ?? {}).toEqual({});
  });

  it('hostile headers', async () => {
    await stack.reset();
    const found: string[] = [];
    const cookie = cookieHeader(adaBrowser);
    const cases: { label: string; path?: string; method?: string; headers: string[]; body?: string; allowed: number[]; check?: (answer: RawResponse) => string | null }[] = [
      { label: 'oversized cookie header', headers: [`Cookie: ${'a'.repeat(20_000)}=1`, 'X-CSRF: 1'], allowed: [431, 400] },
      { label: 'oversized custom header', headers: [cookie, 'X-CSRF: 1', `X-Junk: ${'j'.repeat(20_000)}`], allowed: [431, 400] },
      { label: '500 small headers', headers: [cookie, 'X-CSRF: 1', ...Array.from({ length: 500 }, (_, i) => `X-H${i}: ${i}`)], allowed: [200, 400, 431] },
      { label: 'duplicated X-CSRF', headers: [cookie, 'X-CSRF: 1', 'X-CSRF: 1'], allowed: [200, 403] },
      { label: 'X-CSRF: 0', headers: [cookie, 'X-CSRF: 0'], allowed: [403] },
      { label: 'no X-CSRF', headers: [cookie], allowed: [403] },
      { label: 'forged Authorization', headers: [cookie, 'X-CSRF: 1', 'Authorization: Bearer forged.token.value'], allowed: [200] },
      {
        label: 'request id with markup',
        headers: [cookie, 'X-CSRF: 1', 'X-Request-Id: <script>alert(1)</script>'],
        allowed: [200],
        check: (answer) => (/^[\w.-]{8,64}$/.test(answer.headers['x-request-id'] ?? '') ? null : `echoed request id ${answer.headers['x-request-id']}`),
      },
      { label: 'bare LF inside a header value', headers: [cookie, 'X-CSRF: 1', 'X-Test: a\nSet-Cookie: injected=1'], allowed: [400, 200] },
      { label: 'bare CR inside a header value', headers: [cookie, 'X-CSRF: 1', 'X-Test: a\rSet-Cookie: injected=1'], allowed: [400] },
      { label: 'header without a colon', headers: [cookie, 'X-CSRF: 1', 'NoColonHere'], allowed: [400] },
      { label: 'space before the colon', headers: [cookie, 'X-CSRF : 1'], allowed: [400, 403] },
      {
        label: 'Content-Length and Transfer-Encoding together',
        method: 'POST',
        path: '/api/meti/sources',
        headers: [cookie, 'X-CSRF: 1', `Origin: ${app}`, 'Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked'],
        body: '0\r\n\r\n',
        allowed: [400],
      },
      { label: 'two Content-Length values', method: 'POST', path: '/api/meti/sources', headers: [cookie, 'X-CSRF: 1', `Origin: ${app}`, 'Content-Length: 2', 'Content-Length: 3'], body: '{}', allowed: [400] },
      {
        label: 'cross-site write with the header',
        method: 'POST',
        path: '/api/meti/sources',
        headers: [cookie, 'X-CSRF: 1', 'Origin: https://evil.example', 'Content-Type: application/json'],
        body: '{"name":"x","methodology":"Landfill"}',
        allowed: [403],
      },
      {
        label: 'logout from another site',
        method: 'POST',
        path: '/api/auth/logout',
        headers: [cookie, 'Origin: https://evil.example', 'Sec-Fetch-Site: cross-site', 'Content-Type: application/x-www-form-urlencoded'],
        body: '',
        allowed: [403],
      },
      {
        label: 'forged Host on login',
        path: '/api/auth/login?returnTo=/',
        headers: ['X-Forwarded-Host: evil.example', 'X-Forwarded-Proto: https'],
        allowed: [302],
        check: (answer) => (new URL(answer.headers.location ?? '').searchParams.get('redirect_uri')?.startsWith(app) ? null : `redirect_uri ${answer.headers.location}`),
      },
      { label: 'unknown method', method: 'BREW', headers: [cookie, 'X-CSRF: 1'], allowed: [400, 404, 405, 501] },
    ];
    for (const test of cases) {
      const answer = await rawRequest(app, { method: test.method, path: test.path ?? '/api/wellview/user', headers: test.headers, body: test.body });
      found.push(...problems(test.label, answer, test.allowed));
      const extra = test.check?.(answer);
      if (extra) found.push(`${test.label}: ${extra}`);
      if (/injected=1/.test(answer.headers['set-cookie'] ?? '')) found.push(`${test.label}: injected a cookie`);
    }
    expect(found.join('\n')).toBe('');
    // The session survived all of it.
    expect((await adaBrowser.api(`${app}/api/wellview/user`)).status).toBe(200);
  });
});
