/**
 * ALLOWED_USERS and email_verified over real HTTP, with the sandbox's Peloton: who may sign in,
 * and who is an admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { authorizeAtProvider, signIn, TestBrowser } from '../../helpers/browser';
import { startStack, type Stack } from '../../helpers/stack';

const ada = DEMO_USERS.find((user) => user.sub === 'auth0|ada-0001') as (typeof DEMO_USERS)[number];
const ben = DEMO_USERS.find((user) => user.sub === 'auth0|ben-0002') as (typeof DEMO_USERS)[number];
/** Signed up with Ada's (admin) address, never verified it. */
const mal = DEMO_USERS.find((user) => !user.emailVerified) as (typeof DEMO_USERS)[number];

let stack: Stack;
let app: string;

beforeAll(async () => {
  // Ben by verified email, Mal by subject id; Ada (the admin) is not on the list.
  stack = await startStack({ env: { ALLOWED_USERS: `${ben.email}, ${mal.sub}`, ADMIN_USERS: ada.email } });
  app = stack.app.url;
});
afterAll(async () => stack?.stop());

/** Runs a sign-in up to the callback's answer, without following it. */
async function finishSignIn(user: { email: string; password: string }) {
  const browser = new TestBrowser();
  const login = await browser.request(`${app}/api/auth/login?returnTo=/wells`);
  const callbackUrl = await authorizeAtProvider(browser, login.headers.get('location') as string, user);
  const callback = await browser.request(callbackUrl);
  return { browser, callback };
}

describe('ALLOWED_USERS', () => {
  it('signs in a user listed by verified email', async () => {
    const { browser, landedOn } = await signIn(app, ben, { returnTo: '/wells' });
    expect(landedOn).toBe(`${app}/wells`);
    const session = await browser.request(`${app}/api/auth/session`);
    expect(session.json()).toMatchObject({ authenticated: true, user: { sub: ben.sub }, isAdmin: false });
  });

  it('refuses anyone else at the callback: no session cookie, /login?error=not_allowed', async () => {
    const { browser, callback } = await finishSignIn(ada);
    expect(callback.status).toBe(302);
    const location = new URL(callback.headers.get('location') as string, app);
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('error')).toBe('not_allowed');
    const setSession = callback.setCookies.filter((cookie) => /^(__Host-)?wv_(session|at)$/.test(cookie.name) && cookie.value !== '');
    expect(setSession).toEqual([]);
    expect([...browser.jar.cookies.keys()].filter((name) => name.includes('wv_session') || name.includes('wv_at'))).toEqual([]);

    const session = await browser.request(`${app}/api/auth/session`);
    expect(session.json()).toEqual({ authenticated: false });
    const gateway = await browser.api(`${app}/api/wellview/user`);
    expect(gateway.status).toBe(401);

    const page = await browser.request(location.toString());
    expect(page.status).toBe(200);
    expect(page.text).toContain('not allowed');
    expect(page.text).toContain('Try again');
  });

  it('logs the refusal with the subject only', async () => {
    await finishSignIn(ada);
    const lines = stack.app
      .logs()
      .split('\n')
      .filter((line) => line.includes('auth.callback.not_allowed'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toContain(ada.sub);
      expect(line).not.toContain(ada.email);
    }
  });

  it('matches a listed subject id, but never makes an unverified address an admin', async () => {
    const { browser, landedOn } = await signIn(app, mal, { returnTo: '/wells' });
    expect(landedOn).toBe(`${app}/wells`);
    const session = await browser.request(`${app}/api/auth/session`);
    // Mal's ID token carries Ada's address, the one ADMIN_USERS lists, with email_verified false.
    expect(session.json()).toMatchObject({ authenticated: true, user: { sub: mal.sub, email: ada.email }, isAdmin: false });
    const admin = await browser.request(`${app}/api/admin/tokens`);
    expect(admin.status).toBe(403);
  });
});
