/**
 * Back-channel logout across instances: two dashboards share Redis; the user signs in on A, the
 * provider's logout token reaches B, and the session ends on both. A logout token's `jti` is
 * accepted once across both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../sandbox/server';
import { freePort, startApp, type RunningApp } from '../../helpers/app';
import { parseForm, TestBrowser } from '../../helpers/browser';
import { OIDC_USERS, startOidcProvider, type RunningOidcProvider } from '../../helpers/oidc-provider';
import { startRedis, type TestRedis } from '../../helpers/redis';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let redis: TestRedis;
let idp: RunningOidcProvider;
let appA: RunningApp;
let appB: RunningApp;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  redis = await startRedis();
  const [portA, portB] = [await freePort(), await freePort()];
  idp = await startOidcProvider({ appUrl: `http://127.0.0.1:${portA}`, backchannelAppUrl: `http://127.0.0.1:${portB}` });
  const env = {
    PELOTON_ISSUER: idp.issuer,
    PELOTON_CLIENT_ID: idp.clientId,
    PELOTON_CLIENT_SECRET: idp.clientSecret,
    PELOTON_AUDIENCE: '',
    PELOTON_AUTH_PARAMS: 'prompt=consent',
    REDIS_URL: redis.url,
  };
  // Both instances believe they are APP_URL A, as behind one load balancer.
  appA = await startApp({ sandboxUrl: sandbox.url, port: portA, env });
  appB = await startApp({ sandboxUrl: sandbox.url, port: portB, env: { ...env, APP_URL: `http://127.0.0.1:${portA}` } });
});

afterAll(async () => {
  await appA?.stop();
  await appB?.stop();
  await idp?.close();
  await redis?.stop();
  await sandbox?.close();
});

async function signIn(email: string): Promise<TestBrowser> {
  const browser = new TestBrowser();
  const login = await browser.request(`${appA.url}/api/auth/login`);
  let url = login.headers.get('location') as string;
  for (let step = 0; step < 16; step += 1) {
    if (url.startsWith(`${appA.url}/api/auth/callback`)) {
      expect((await browser.request(url)).status).toBe(302);
      return browser;
    }
    const page = await browser.request(url);
    if (page.status >= 300 && page.status < 400) {
      url = new URL(page.headers.get('location') as string, url).toString();
      continue;
    }
    const form = parseForm(page.text, url);
    const fields = 'login' in form.fields ? { ...form.fields, login: email, password: 'any' } : form.fields;
    const submitted = await browser.request(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    url = new URL(submitted.headers.get('location') as string, form.action).toString();
  }
  throw new Error('sign-in did not reach the callback');
}

const authenticatedOn = async (app: RunningApp, browser: TestBrowser) =>
  (await browser.request(`${app.url}/api/auth/session`)).json<{ authenticated: boolean }>().authenticated;

describe('back-channel logout with two instances sharing Redis', () => {
  it('a logout at the provider, delivered to B, ends the session signed in on A, on both, within a second', async () => {
    const browser = await signIn('ada@acme.test');
    expect(await authenticatedOn(appA, browser)).toBe(true);
    expect(await authenticatedOn(appB, browser)).toBe(true);
    const start = `${idp.issuer}/session/end?client_id=${idp.clientId}`;
    const form = parseForm((await browser.request(start)).text, start);
    await browser.request(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.fields, logout: 'yes' }).toString(),
    });
    const deadline = Date.now() + 1000;
    while ((await authenticatedOn(appA, browser)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await authenticatedOn(appA, browser)).toBe(false);
    expect(await authenticatedOn(appB, browser)).toBe(false);
  });

  it('accepts a logout token once across instances: the replay to the other one is refused', async () => {
    const browser = await signIn('grace@acme.test');
    const grace = OIDC_USERS['grace@acme.test'] as (typeof OIDC_USERS)[string];
    const token = await idp.signLogoutToken({ sub: grace.sub });
    const body = new URLSearchParams({ logout_token: token }).toString();
    const send = (app: RunningApp) =>
      fetch(`${app.url}/api/auth/backchannel-logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect((await send(appA)).status).toBe(200);
    expect((await send(appB)).status).toBe(400);
    expect(await authenticatedOn(appB, browser)).toBe(false);
  });
});
