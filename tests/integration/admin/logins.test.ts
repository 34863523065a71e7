/**
 * An admin sees a user's active logins and ends one or all of them, on every instance: two
 * dashboards share one Redis (and one built app), and a single instance runs on its memory store.
 * Over real HTTP against the production build.
 */
import { unsealData } from 'iron-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { startSandbox } from '../../../sandbox/server';
import { DEMO_SESSION_PASSWORD } from '../../../scripts/sandbox-env';
import { freePort, startApp, type RunningApp } from '../../helpers/app';
import { signIn, TestBrowser, type BrowserResponse } from '../../helpers/browser';
import { startRedis, type TestRedis } from '../../helpers/redis';

const [ada, ben, mal] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
/** A JWT or a sandbox refresh token. */
const TOKEN_PATTERN = /eyJ[\w-]{10,}\.eyJ[\w-]{20,}\.[\w-]{20,}|\bv1\.[\w-]{40,}/;

interface LoginView {
  login: string;
  sub: string;
  email: string | null;
  startedAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  instance: string | null;
  current: boolean;
}

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let redis: TestRedis;
let shared: RunningApp[] = [];
let single: RunningApp;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  redis = await startRedis();
  const ports = [await freePort(), await freePort()];
  const publicUrl = `http://127.0.0.1:${ports[0]}`;
  [shared, single] = await Promise.all([
    Promise.all(
      ports.map((port) =>
        startApp({ sandboxUrl: sandbox.url, port, env: { APP_URL: publicUrl, REDIS_URL: redis.url, GATEWAY_CACHE_TTL_SECONDS: '0' } }),
      ),
    ),
    startApp({ sandboxUrl: sandbox.url, env: { GATEWAY_CACHE_TTL_SECONDS: '0' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([...shared, single].filter(Boolean).map((app) => app.stop()));
  await redis?.stop();
  await sandbox?.close();
});

const list = (browser: TestBrowser, app: string, user: string) =>
  browser.api(`${app}/api/admin/logins?user=${encodeURIComponent(user)}`);
/** The public origin (APP_URL) that a same-origin write names, whichever instance serves it. */
let origin = '';
const end = (browser: TestBrowser, app: string, body: unknown) =>
  browser.request(`${app}/api/admin/logins/end`, {
    method: 'POST',
    csrf: true,
    headers: { 'content-type': 'application/json', origin },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const logins = (answer: BrowserResponse) => answer.json<{ user: string; logins: LoginView[] }>().logins;

async function loginIdOf(browser: TestBrowser): Promise<string> {
  const cookie = browser.jar.get('wv_session') as string;
  return (await unsealData<{ sid: string }>(cookie, { password: { 1: DEMO_SESSION_PASSWORD } })).sid;
}

/** Signed out on `app`: the gateway answers 401 SIGN_IN_REQUIRED and a page sends the browser to /login. */
async function expectSignedOut(browser: TestBrowser, app: string) {
  const api = await new TestBrowser(browser.jar.clone()).api(`${app}/api/wellview/user`);
  expect(api.status, `${app} gateway`).toBe(401);
  expect(api.json(), `${app} gateway`).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
  const page = await new TestBrowser(browser.jar.clone()).request(`${app}/wells`);
  expect(page.status, `${app} page`).toBe(307);
  expect(new URL(page.headers.get('location') as string, app).pathname, `${app} page`).toBe('/login');
}

async function expectSignedIn(browser: TestBrowser, app: string) {
  const api = await new TestBrowser(browser.jar.clone()).api(`${app}/api/wellview/user`);
  expect(api.status, `${app} gateway: ${api.text}`).toBe(200);
}

describe.each([
  ['two instances sharing Redis', () => shared.map((app) => app.url)],
  ['one instance on its memory store', () => [single.url, single.url]],
])('admin logins: %s', (_name, urls) => {
  it('lists a user’s two logins on every instance, ends one everywhere, then all', async () => {
    const [a, b] = urls() as [string, string];
    origin = a;
    const { browser: admin } = await signIn(a, ada);
    const { browser: first } = await signIn(a, ben);
    const { browser: second } = await signIn(b, ben);
    // Mal's unverified copy of Ada's address must not make Mal one of Ada's logins.
    await signIn(a, mal);
    await expectSignedIn(first, b);

    for (const app of [a, b]) {
      const answer = await list(admin, app, ben.sub);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.headers.get('cache-control')).toContain('no-store');
      const found = logins(answer);
      expect(found).toHaveLength(2);
      for (const login of found) {
        expect(login).toMatchObject({ sub: ben.sub, email: ben.email, current: false, login: expect.stringMatching(/^[\w-]{43}$/) });
        expect(Date.parse(login.startedAt)).toBeGreaterThan(Date.now() - 120_000);
        expect(Date.parse(login.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(login.startedAt));
      }
      // Never a token, never a login id: handles only.
      expect(answer.text).not.toMatch(TOKEN_PATTERN);
      for (const browser of [first, second]) {
        expect(answer.text).not.toContain(await loginIdOf(browser));
        expect(answer.text).not.toContain(browser.jar.get('wv_session') as string);
      }
      // The same user by verified email.
      expect(logins(await list(admin, app, ben.email)).map((login) => login.login).sort()).toEqual(found.map((login) => login.login).sort());
    }
    const own = logins(await list(admin, b, ada.email));
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ sub: ada.sub, current: true });

    // End the second login (from B): signed out on both instances; the first still works on both.
    const secondId = await loginIdOf(second);
    const before = logins(await list(admin, a, ben.sub));
    // The second sign-in is the one that started last.
    const target = [...before].sort((x, y) => y.startedAt.localeCompare(x.startedAt))[0];
    expect(target).toBeDefined();
    const ended = await end(admin, b, { login: target?.login });
    expect(ended.status, ended.text).toBe(200);
    expect(ended.headers.get('cache-control')).toContain('no-store');
    expect(ended.json()).toEqual({ ended: 1, loggedOut: false });
    for (const app of [a, b]) {
      await expectSignedOut(second, app);
      await expectSignedIn(first, app);
    }
    expect(secondId).not.toBe(await loginIdOf(first));
    const after = logins(await list(admin, a, ben.sub));
    expect(after.map((login) => login.login)).toEqual(before.filter((login) => login.login !== target?.login).map((login) => login.login));
    // Ending it again: it is not active any more.
    expect((await end(admin, a, { login: target?.login })).status).toBe(404);

    // End all of Ben's logins (by email, from A): the first one ends on both instances too.
    const all = await end(admin, a, { user: ben.email });
    expect(all.status, all.text).toBe(200);
    expect(all.json()).toEqual({ ended: 1, loggedOut: false });
    for (const app of [a, b]) await expectSignedOut(first, app);
    expect(logins(await list(admin, b, ben.sub))).toEqual([]);
    // The admin was not touched.
    await expectSignedIn(admin, a);
  });

  it('“sign out everywhere” for a chosen user ends each of that user’s logins on every instance, and not the admin’s', async () => {
    const [a, b] = urls() as [string, string];
    origin = a;
    const { browser: admin } = await signIn(a, ada);
    const { browser: first } = await signIn(a, ben);
    const { browser: second } = await signIn(b, ben);
    const answer = await admin.request(`${b}/api/admin/tokens/sign-out`, {
      method: 'POST',
      csrf: true,
      headers: { 'content-type': 'application/json', origin: a },
      body: JSON.stringify({ user: ben.sub }),
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json()).toEqual({ ended: 2, loggedOut: false });
    for (const app of [a, b]) {
      await expectSignedOut(first, app);
      await expectSignedOut(second, app);
    }
    await expectSignedIn(admin, b);
  });

  it('“sign out everywhere” without a user ends every login of the admin, this one included', async () => {
    const [a, b] = urls() as [string, string];
    origin = a;
    const { browser: here } = await signIn(a, ada);
    const { browser: elsewhere } = await signIn(b, ada);
    const answer = await here.request(`${a}/api/admin/tokens/sign-out`, {
      method: 'POST',
      csrf: true,
      headers: { 'content-type': 'application/json', origin: a },
      body: '{}',
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json()).toMatchObject({ loggedOut: true, redirectTo: expect.any(String) });
    expect(answer.json<{ ended: number }>().ended).toBeGreaterThanOrEqual(2);
    for (const app of [a, b]) {
      await expectSignedOut(here, app);
      await expectSignedOut(elsewhere, app);
    }
  });

  it('a non-admin gets 403 and no login data; bad input gets 400; a write without X-CSRF gets 403', async () => {
    const [a, b] = urls() as [string, string];
    origin = a;
    const { browser: admin } = await signIn(a, ada);
    const { browser: regular } = await signIn(b, ben);
    const handle = logins(await list(admin, a, ben.sub))[0]?.login as string;
    expect(handle).toEqual(expect.any(String));

    const refusals = [
      await list(regular, a, ben.sub),
      await list(regular, b, ada.email),
      await end(regular, a, { login: handle }),
      await end(regular, b, { user: ada.sub }),
      await regular.request(`${b}/api/admin/tokens/sign-out`, { method: 'POST', csrf: true, headers: { 'content-type': 'application/json', origin: a }, body: JSON.stringify({ user: ada.sub }) }),
    ];
    for (const answer of refusals) {
      expect(answer.status, answer.url).toBe(403);
      expect(answer.headers.get('cache-control')).toContain('no-store');
      expect(answer.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
      for (const field of ['lastSeenAt', 'startedAt', 'userAgent', handle]) expect(answer.text).not.toContain(field);
    }
    await expectSignedIn(admin, a);
    await expectSignedIn(regular, b);

    const badQueries = ['', '?user=', '?user=%20%20', `?user=${'x'.repeat(321)}`, '?user=a&user=b', '?user=ben%00', '?who=ben'];
    for (const query of badQueries) {
      const answer = await admin.api(`${a}/api/admin/logins${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.headers.get('cache-control'), query).toContain('no-store');
      expect(answer.json(), query).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    }
    const badBodies: unknown[] = [
      {},
      [],
      'not json',
      '',
      null,
      { login: '' },
      { login: 'short' },
      { login: `${handle}x` },
      { login: 42 },
      { user: '' },
      { user: 'x'.repeat(321) },
      { user: ben.sub, login: handle },
      { user: ben.sub, extra: 1 },
    ];
    for (const body of badBodies) {
      const answer = await end(admin, a, body === null ? 'null' : body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.headers.get('cache-control')).toContain('no-store');
      expect(answer.json<{ error: { code: string } }>().error.code, JSON.stringify(body)).toMatch(/^BAD_REQUEST$/);
    }
    const tooLarge = await end(admin, a, { user: 'x'.repeat(10_000) });
    expect([400, 413]).toContain(tooLarge.status);
    const noCsrf = await admin.request(`${a}/api/admin/logins/end`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: a },
      body: JSON.stringify({ login: handle }),
    });
    expect(noCsrf.status).toBe(403);
    const crossSite = await admin.request(`${a}/api/admin/logins/end`, {
      method: 'POST',
      csrf: true,
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ login: handle }),
    });
    expect(crossSite.status).toBe(403);
    // None of that ended anything.
    await expectSignedIn(regular, a);
    expect(logins(await list(admin, b, ben.sub)).map((login) => login.login)).toContain(handle);
  });
});
