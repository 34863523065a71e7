/**
 * The built dashboard against a real certified OpenID provider (oidc-provider), configured unlike
 * the sandbox (tests/helpers/oidc-provider.ts): path issuer, ES256 ID tokens, client_secret_basic
 * only, offline_access only with prompt=consent, rotating refresh tokens whose reuse revokes the
 * grant, name and email only from userinfo. Only environment variables differ from the sandbox run.
 *
 * The sandbox's WellView accepts only the sandbox's own tokens, so WellView here is a stub that
 * accepts a bearer token only if this provider issued it and it is still valid.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../sandbox/server';
import { freePort, startApp, type RunningApp } from '../../helpers/app';
import { parseForm, TestBrowser } from '../../helpers/browser';
import { OIDC_USERS, startOidcProvider, type RunningOidcProvider } from '../../helpers/oidc-provider';

const ACCESS_TOKEN_TTL_SECONDS = 6;
const ada = OIDC_USERS['ada@acme.test'] as (typeof OIDC_USERS)[string];

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let idp: RunningOidcProvider;
let app: RunningApp;
let appUrl: string;
let wellview: Server;
/** Bearer tokens the WellView stub accepted, in order. */
const accepted: string[] = [];
let refused = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  idp = await startOidcProvider({ appUrl, accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS });
  wellview = createServer((request, response) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    void idp.provider.AccessToken.find(token).then((found) => {
      if (!found || found.isExpired) {
        refused += 1;
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
        return;
      }
      accepted.push(token);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
    });
  });
  await new Promise<void>((resolve) => wellview.listen(0, '127.0.0.1', resolve));
  const wellviewPort = (wellview.address() as { port: number }).port;
  app = await startApp({
    sandboxUrl: sandbox.url,
    port,
    env: {
      PELOTON_ISSUER: idp.issuer,
      PELOTON_CLIENT_ID: idp.clientId,
      PELOTON_CLIENT_SECRET: idp.clientSecret,
      PELOTON_AUDIENCE: '',
      PELOTON_AUTH_PARAMS: 'prompt=consent',
      ADMIN_USERS: '',
      GATEWAY_CACHE_TTL_SECONDS: '0',
      WELLVIEW_API_BASE_URL: `http://127.0.0.1:${wellviewPort}`,
      WELLVIEW_ORG_UNIT: 'acme',
      WELLVIEW_APP: 'wellview',
      WELLVIEW_APP_VERSION: '1',
    },
  });
});

afterAll(async () => {
  await app?.stop();
  await new Promise<void>((resolve) => (wellview ? wellview.close(() => resolve()) : resolve()));
  await idp?.close();
  await sandbox?.close();
});

interface ProviderSignIn {
  browser: TestBrowser;
  authorize: URL;
  /** Which of the provider's interaction pages were shown, in order. */
  pages: string[];
  landedOn: string;
}

/** Signs in as a browser does: dashboard → provider login page → consent page → callback. */
async function signInAtProvider(user: { email: string }): Promise<ProviderSignIn> {
  const browser = new TestBrowser();
  const login = await browser.request(`${appUrl}/api/auth/login?returnTo=/wells`);
  expect(login.status).toBe(302);
  let url = login.headers.get('location') as string;
  const authorize = new URL(url);
  const pages: string[] = [];
  for (let step = 0; step < 16; step += 1) {
    if (url.startsWith(`${appUrl}/api/auth/callback`)) {
      const callback = await browser.request(url);
      expect(callback.status, callback.text).toBe(302);
      return { browser, authorize, pages, landedOn: new URL(callback.headers.get('location') as string, appUrl).toString() };
    }
    const page = await browser.request(url);
    if (page.status >= 300 && page.status < 400) {
      url = new URL(page.headers.get('location') as string, url).toString();
      continue;
    }
    expect(page.status, page.text.slice(0, 400)).toBe(200);
    const form = parseForm(page.text, url);
    const fields = { ...form.fields };
    if ('login' in fields) {
      pages.push('login');
      Object.assign(fields, { login: user.email, password: 'any-password' });
    } else {
      pages.push(fields.prompt ?? 'unknown');
    }
    const submitted = await browser.request(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    expect([302, 303]).toContain(submitted.status);
    url = new URL(submitted.headers.get('location') as string, form.action).toString();
  }
  throw new Error('sign-in did not reach the callback');
}

const decodeJwtPart = (token: string, index: number) =>
  JSON.parse(Buffer.from(token.split('.')[index] as string, 'base64url').toString()) as Record<string, unknown>;

describe('a certified OpenID provider (oidc-provider), by environment variables only', () => {
  let signedIn: ProviderSignIn;

  it('signs in through the provider’s own login and consent pages, with prompt=consent from PELOTON_AUTH_PARAMS', async () => {
    signedIn = await signInAtProvider(ada);
    expect(signedIn.authorize.origin + signedIn.authorize.pathname).toBe(`${idp.issuer}/auth`);
    expect(signedIn.authorize.searchParams.get('prompt')).toBe('consent');
    expect(signedIn.authorize.searchParams.get('scope')).toBe('openid profile email offline_access');
    expect(signedIn.authorize.searchParams.has('audience')).toBe(false);
    expect(signedIn.pages).toEqual(['login', 'consent']);
    expect(signedIn.landedOn).toBe(`${appUrl}/wells`);
    expect(idp.grants.ok.authorization_code).toBe(1);

    // The ID token (ES256, no name or email in it) was accepted; userinfo supplied the rest.
    const session = await signedIn.browser.request(`${appUrl}/api/auth/session`);
    expect(session.status).toBe(200);
    expect(session.json()).toMatchObject({ authenticated: true, user: { name: ada.name, email: ada.email } });
  });

  it('calls an API with the provider’s access token, then refreshes it once for concurrent requests at expiry, every time, without reuse', async () => {
    const call = () => signedIn.browser.api(`${appUrl}/api/wellview/wells`);
    const first = await call();
    expect(first.status, first.text).toBe(200);
    for (let round = 1; round <= 2; round += 1) {
      // Renewal is due at half the access token's lifetime at most; wait past it.
      await new Promise((resolve) => setTimeout(resolve, (ACCESS_TOKEN_TTL_SECONDS / 2 + 1) * 1000));
      const answers = await Promise.all(Array.from({ length: 8 }, call));
      expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
      expect(idp.grants.ok.refresh_token).toBe(round);
    }
    // A refresh token was issued (offline_access with consent), rotated twice, and a spent one
    // was never presented: the provider would have revoked the grant with invalid_grant.
    expect(idp.grants.failed).toEqual({});
    expect(new Set(accepted).size).toBe(3);
    expect(refused).toBe(0);
    const session = await signedIn.browser.request(`${appUrl}/api/auth/session`);
    expect(session.json()).toMatchObject({ authenticated: true });
  }, 60_000);

  it('signs out at the provider with id_token_hint, post_logout_redirect_uri and client_id, and comes back to /login', async () => {
    const logout = await signedIn.browser.api(`${appUrl}/api/auth/logout`, { method: 'POST' });
    expect(logout.status).toBe(200);
    const target = new URL(logout.json<{ redirectTo: string }>().redirectTo);
    expect(target.origin + target.pathname).toBe(`${idp.issuer}/session/end`);
    expect(target.searchParams.get('client_id')).toBe(idp.clientId);
    expect(target.searchParams.get('post_logout_redirect_uri')).toBe(`${appUrl}/login?error=signed_out`);
    const hint = target.searchParams.get('id_token_hint') as string;
    expect(decodeJwtPart(hint, 0)).toMatchObject({ alg: 'ES256' });
    expect(decodeJwtPart(hint, 1)).toMatchObject({ iss: idp.issuer, aud: idp.clientId, sub: ada.sub });
    // The ID token had no name or email: the session's came from userinfo (first test).
    expect(decodeJwtPart(hint, 1)).not.toHaveProperty('email');
    expect(decodeJwtPart(hint, 1)).not.toHaveProperty('name');
    // The ID token lives server-side, never in a cookie.
    expect(signedIn.browser.jar.header()).not.toContain(hint.split('.')[2] as string);

    // At the provider: its confirmation page, then back to the dashboard's /login.
    const page = await signedIn.browser.request(target.toString());
    expect(page.status, page.text.slice(0, 300)).toBe(200);
    expect(idp.endSessions.at(-1)?.get('id_token_hint')).toBe(hint);
    const form = parseForm(page.text, target.toString());
    const confirmed = await signedIn.browser.request(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.fields, logout: 'yes' }).toString(),
    });
    expect([302, 303]).toContain(confirmed.status);
    expect(confirmed.headers.get('location')).toBe(`${appUrl}/login?error=signed_out`);

    const session = await signedIn.browser.request(`${appUrl}/api/auth/session`);
    expect(session.json()).toMatchObject({ authenticated: false });
    // The refresh token was revoked at sign-out (client_secret_basic there too); nothing was ever
    // presented twice.
    expect(idp.grants.ok.revocation).toBe(1);
    expect(idp.grants.failed).toEqual({});
  });
});

describe('back-channel logout (POST /api/auth/backchannel-logout)', () => {
  const grace = OIDC_USERS['grace@acme.test'] as (typeof OIDC_USERS)[string];
  const authenticated = async (browser: TestBrowser) =>
    (await browser.request(`${appUrl}/api/auth/session`)).json<{ authenticated: boolean }>().authenticated;

  it('ends the session when the user signs out at the provider itself, within a second', async () => {
    const { browser } = await signInAtProvider(grace);
    expect(await authenticated(browser)).toBe(true);
    // At the provider, not through the dashboard: its own logout page.
    const start = `${idp.issuer}/session/end?client_id=${idp.clientId}`;
    const page = await browser.request(start);
    expect(page.status, page.text.slice(0, 300)).toBe(200);
    const form = parseForm(page.text, start);
    const confirmed = await browser.request(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.fields, logout: 'yes' }).toString(),
    });
    expect(confirmed.status).toBeLessThan(400);
    const deadline = Date.now() + 1000;
    while ((await authenticated(browser)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await authenticated(browser)).toBe(false);
  });
  // Forged, spoiled, replayed and oversized logout tokens: the attack suite,
  // tests/integration/security/backchannel-logout.test.ts.
});

// Runs last: it makes grants of its own.
describe('the provider is strict about refresh tokens (so the dashboard’s clean record above means something)', () => {
  it('rotates on every use, and a reused refresh token revokes the whole grant with 400 invalid_grant', async () => {
    const first = await idp.issueRefreshToken(ada.sub);
    const rotated = await idp.refresh(first);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).toEqual(expect.any(String));
    expect(rotated.body.refresh_token).not.toBe(first);
    const reused = await idp.refresh(first);
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The successor died with the grant.
    expect(await idp.refresh(rotated.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
