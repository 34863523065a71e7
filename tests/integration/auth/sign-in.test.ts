import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { authorizeAtProvider, signIn, TestBrowser } from '../../helpers/browser';
import { startStack, tokenRequests, type Stack } from '../../helpers/stack';

const [admin, regular] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
let stack: Stack;
let app: string;

beforeAll(async () => {
  stack = await startStack();
  app = stack.app.url;
});
afterAll(async () => stack?.stop());

function sessionCookieNames(browser: TestBrowser): string[] {
  return [...browser.jar.cookies.keys()].filter((name) => name.startsWith('wv_session') || name.startsWith('wv_at'));
}

describe('GET /api/auth/login', () => {
  it('redirects to the provider with PKCE S256, state, nonce, scopes, audience and our callback', async () => {
    const browser = new TestBrowser();
    const response = await browser.request(`${app}/api/auth/login?returnTo=/wells`);
    expect(response.status).toBe(302);
    const target = new URL(response.headers.get('location') as string);
    expect(target.origin + target.pathname).toBe(`${stack.sandboxUrl}/peloton/authorize`);
    const params = target.searchParams;
    expect(params.get('response_type')).toBe('code');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('state')).toMatch(/^[\w-]{16,}$/);
    expect(params.get('nonce')).toMatch(/^[\w-]{16,}$/);
    expect(params.get('scope')).toBe('openid profile email offline_access');
    expect(params.get('audience')).toBe('https://api.peloton.com');
    expect(params.get('redirect_uri')).toBe(`${app}/api/auth/callback`);
    const transaction = response.setCookies.find((cookie) => cookie.name.startsWith('wv_tx_'));
    expect(transaction?.httpOnly).toBe(true);
    expect(transaction?.sameSite).toBe('lax');
    expect(transaction?.maxAge).toBeLessThanOrEqual(600);
    expect(response.headers.get('cache-control')).toContain('no-store');
  });

  it('keeps at most five pending sign-ins, dropping the oldest', async () => {
    const browser = new TestBrowser();
    for (let attempt = 0; attempt < 9; attempt += 1) {
      expect((await browser.request(`${app}/api/auth/login`)).status).toBe(302);
    }
    const pending = [...browser.jar.cookies.keys()].filter((name) => name.startsWith('wv_tx_'));
    expect(pending).toHaveLength(5);
  });
});

describe('sign-in through the provider form', () => {
  it('lands on the page asked for, with an HttpOnly session and no token in any answer', async () => {
    const { browser, landedOn } = await signIn(app, admin, { returnTo: '/wells?search=permian' });
    expect(landedOn).toBe(`${app}/wells?search=permian`);
    const names = sessionCookieNames(browser);
    expect(names).toEqual(expect.arrayContaining(['wv_session', 'wv_at']));
    for (const name of names) {
      const cookie = browser.jar.cookies.get(name);
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.sameSite).toBe('lax');
      expect(cookie?.path).toBe('/');
    }
    expect([...browser.jar.cookies.keys()].some((name) => name.startsWith('wv_tx_'))).toBe(false);

    const session = await browser.request(`${app}/api/auth/session`);
    expect(session.status).toBe(200);
    const body = session.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      authenticated: true,
      user: { email: admin.email, name: admin.name },
      isAdmin: true,
    });
    expect(new Date(body.accessTokenExpiresAt as string).getTime()).toBeGreaterThan(Date.now());
    expect(session.text).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    expect(session.text).not.toMatch(/v1\.[\w-]{20,}/);
  });

  it('marks a regular user as not an admin', async () => {
    const { browser } = await signIn(app, regular);
    const body = (await browser.request(`${app}/api/auth/session`)).json<{ isAdmin: boolean }>();
    expect(body.isAdmin).toBe(false);
  });

  it('lets two tabs sign in at once', async () => {
    const browser = new TestBrowser();
    const first = await browser.request(`${app}/api/auth/login?returnTo=/events`);
    const second = await browser.request(`${app}/api/auth/login?returnTo=/sources`);
    const firstCallback = await authorizeAtProvider(browser, first.headers.get('location') as string, admin);
    const secondCallback = await authorizeAtProvider(browser, second.headers.get('location') as string, admin);
    const secondDone = await browser.request(secondCallback);
    const firstDone = await browser.request(firstCallback);
    expect(secondDone.headers.get('location')).toBe(`${app}/sources`);
    expect(firstDone.headers.get('location')).toBe(`${app}/events`);
  });

  it.each([
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    'javascript:alert(1)',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
  ])('never follows returnTo=%s off-site', async (returnTo) => {
    const { landedOn } = await signIn(app, regular, { returnTo });
    expect(new URL(landedOn).origin).toBe(app);
  });
});

describe('GET /api/auth/callback with bad input', () => {
  async function signedIn() {
    const { browser } = await signIn(app, regular);
    return browser;
  }

  async function expectLoginError(browser: TestBrowser, url: string, code: string) {
    const before = browser.jar.get('wv_session');
    const response = await browser.request(url);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toContain(`/login?error=${code}`);
    expect(response.setCookies.filter((cookie) => cookie.name.startsWith('wv_session'))).toEqual([]);
    expect(browser.jar.get('wv_session')).toBe(before);
    const page = await browser.request(new URL(response.headers.get('location') as string, app).toString());
    expect(page.status).toBe(200);
    expect(page.text).toContain('Try again');
    return page;
  }

  it('refuses a callback without state or with an unknown state, leaving the session as it was', async () => {
    const browser = await signedIn();
    await expectLoginError(browser, `${app}/api/auth/callback?code=abc`, 'invalid_state');
    await expectLoginError(browser, `${app}/api/auth/callback?code=abc&state=unknownunknownunknown`, 'invalid_state');
    expect((await browser.request(`${app}/api/auth/session`)).json()).toMatchObject({ authenticated: true });
  });

  it('refuses a replayed code', async () => {
    const browser = new TestBrowser();
    const login = await browser.request(`${app}/api/auth/login`);
    const callback = await authorizeAtProvider(browser, login.headers.get('location') as string, regular);
    const replay = browser.jar.clone();
    expect((await browser.request(callback)).status).toBe(302);
    const attacker = new TestBrowser(replay);
    await expectLoginError(attacker, callback, 'code_rejected');
  });

  it('reports access_denied from the provider in plain words', async () => {
    const browser = new TestBrowser();
    const login = await browser.request(`${app}/api/auth/login`);
    const state = new URL(login.headers.get('location') as string).searchParams.get('state');
    const page = await expectLoginError(
      browser,
      `${app}/api/auth/callback?error=access_denied&error_description=User%20cancelled&state=${state}`,
      'access_denied',
    );
    expect(page.text).toContain('cancelled');
  });

  it('refuses an ID token whose nonce does not match', async () => {
    const browser = new TestBrowser();
    const login = await browser.request(`${app}/api/auth/login`);
    const authorize = new URL(login.headers.get('location') as string);
    authorize.searchParams.set('nonce', 'a-different-nonce-than-the-one-we-stored');
    const callback = await authorizeAtProvider(browser, authorize.toString(), regular);
    await expectLoginError(browser, callback, 'id_token_invalid');
  });
});

describe('session cookies that cannot be used', () => {
  it.each([
    ['tampered', (value: string) => `${value.slice(0, 30)}${value[30] === 'x' ? 'y' : 'x'}${value.slice(31)}`],
    ['truncated', (value: string) => value.slice(0, 60)],
    ['garbage', () => 'garbage'],
  ])('a %s cookie reads as signed out, is cleared, and never causes a 500', async (_label, mangle) => {
    const { browser } = await signIn(app, regular);
    const cookie = browser.jar.cookies.get('wv_session');
    if (!cookie) throw new Error('no session cookie');
    browser.jar.cookies.set('wv_session', { ...cookie, value: mangle(cookie.value) });
    const session = await browser.request(`${app}/api/auth/session`);
    expect(session.status).toBe(200);
    expect(session.json()).toEqual({ authenticated: false });
    expect(session.setCookies.find((set) => set.name === 'wv_session')?.maxAge).toBe(0);
    browser.jar.cookies.set('wv_session', { ...cookie, value: mangle(cookie.value) });
    const page = await browser.request(`${app}/wells`);
    expect(page.status).toBe(307);
    expect(new URL(page.headers.get('location') ?? '', app).toString()).toBe(`${app}/login?returnTo=%2Fwells`);
  });

  it('a cookie sealed with a password the server no longer has reads as signed out', async () => {
    const { browser } = await signIn(app, regular);
    const other = await startStack({ env: { SESSION_PASSWORD: 'z'.repeat(48) } });
    try {
      const session = await browser.request(`${other.app.url}/api/auth/session`);
      expect(session.json()).toEqual({ authenticated: false });
    } finally {
      await other.stop();
    }
  });
});

describe('signed out', () => {
  it('pages redirect to /login with returnTo, and /api data routes answer 401 JSON', async () => {
    const browser = new TestBrowser();
    const page = await browser.request(`${app}/events?page=2`);
    expect(page.status).toBe(307);
    expect(new URL(page.headers.get('location') ?? '', app).toString()).toBe(`${app}/login?returnTo=%2Fevents%3Fpage%3D2`);
    const api = await browser.api(`${app}/api/wellview/user`);
    expect(api.status).toBe(401);
    expect(api.json()).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
    expect(api.headers.get('x-request-id')).toBeTruthy();
    expect(await browser.request(`${app}/api/auth/session`).then((r) => r.json())).toEqual({ authenticated: false });
  });

  it('the login page offers "Sign in with Peloton"', async () => {
    const page = await new TestBrowser().request(`${app}/login`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sign in with Peloton');
  });
});

describe('POST /api/auth/logout', () => {
  it('revokes the refresh token, clears the session and answers where to go next', async () => {
    const { browser } = await signIn(app, regular);
    await stack.reset();
    const response = await browser.request(`${app}/api/auth/logout`, { method: 'POST', csrf: true });
    expect(response.status).toBe(200);
    const body = response.json<{ loggedOut: boolean; redirectTo: string }>();
    expect(body.loggedOut).toBe(true);
    expect(new URL(body.redirectTo).origin).toBe(stack.sandboxUrl);
    expect(sessionCookieNames(browser)).toEqual([]);
    const stats = await stack.stats();
    expect(stats.revocations).toBe(1);
    expect((await browser.request(`${app}/api/auth/session`)).json()).toEqual({ authenticated: false });
  });

  it('refuses a copy of the cookie kept from before sign-out, for every upstream', async () => {
    const { browser } = await signIn(app, regular);
    const kept = new TestBrowser(browser.jar.clone());
    expect((await kept.api(`${app}/api/meti/sources?limit=1`)).status).toBe(200);
    expect((await browser.request(`${app}/api/auth/logout`, { method: 'POST', csrf: true })).status).toBe(200);
    await stack.reset();

    for (const path of ['/api/wellview/user', '/api/meti/sources?limit=1', '/api/events/api/1.0/event/1', '/api/admin/tokens']) {
      const answer = await new TestBrowser(kept.jar.clone()).api(`${app}${path}`);
      expect(answer.status, path).toBe(401);
      expect(answer.json(), path).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
    }
    expect((await new TestBrowser(kept.jar.clone()).request(`${app}/api/auth/session`)).json()).toEqual({ authenticated: false });
    const stats = await stack.stats();
    expect(Object.keys(stats.responses)).toEqual([]);
  });

  it('accepts a same-origin form post and redirects to the provider logout then /login', async () => {
    const { browser } = await signIn(app, regular);
    const response = await browser.request(`${app}/api/auth/logout`, {
      method: 'POST',
      headers: { origin: app, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') as string);
    expect(location.origin).toBe(stack.sandboxUrl);
    expect(decodeURIComponent(location.search)).toContain(`${app}/login`);
    expect(sessionCookieNames(browser)).toEqual([]);
  });

  it.each([
    ['a cross-site form post', { origin: 'https://evil.example' }],
    ['a post with no Origin and no header', {}],
    ['a same-site but cross-origin form', { 'sec-fetch-site': 'same-site' }],
  ])('ignores %s and leaves the session untouched', async (_label, headers) => {
    const { browser } = await signIn(app, regular);
    const response = await browser.request(`${app}/api/auth/logout`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(response.status).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'CSRF_REJECTED' } });
    expect(response.setCookies).toEqual([]);
    expect((await browser.request(`${app}/api/auth/session`)).json()).toMatchObject({ authenticated: true });
  });
});

describe('a provider that is down at login', () => {
  it('shows "Peloton sign-in is unavailable"', async () => {
    const down = await startStack({ env: { PELOTON_ISSUER: 'http://127.0.0.1:9/peloton/' } });
    try {
      const browser = new TestBrowser();
      const login = await browser.request(`${down.app.url}/api/auth/login?returnTo=/wells`);
      expect(login.status).toBe(302);
      const location = login.headers.get('location') as string;
      expect(location).toContain('error=idp_unavailable');
      const page = await browser.request(new URL(location, down.app.url).toString());
      expect(page.text).toContain('Peloton sign-in is unavailable');
      expect(tokenRequests(await down.stats(), 'peloton', 'authorization_code')).toBe(0);
    } finally {
      await down.stop();
    }
  });
});
