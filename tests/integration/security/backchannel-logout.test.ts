/**
 * The attack suite for `POST /api/auth/backchannel-logout`, against a real certified provider
 * (oidc-provider, ES256, whose discovery also lists HS256): forged, spoiled, replayed, oversized
 * and mis-typed logout tokens. For every one: 400 with an OAuth error in JSON, `Cache-Control:
 * no-store`, never a redirect, never a 5xx, nothing echoed, and the signed-in session untouched.
 * A valid token (the control) does end a session, so the refusals mean something.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../sandbox/server';
import { recordAttackCounts } from '../../helpers/attack-counts';
import { freePort, startApp, type RunningApp } from '../../helpers/app';
import { parseForm, TestBrowser } from '../../helpers/browser';
import { OIDC_USERS, startOidcProvider, type RunningOidcProvider } from '../../helpers/oidc-provider';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const ada = OIDC_USERS['ada@acme.test'] as (typeof OIDC_USERS)[string];
const grace = OIDC_USERS['grace@acme.test'] as (typeof OIDC_USERS)[string];

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let idp: RunningOidcProvider;
let app: RunningApp;
const counts = { inputs: 0, failures: 0 };

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const port = await freePort();
  idp = await startOidcProvider({ appUrl: `http://127.0.0.1:${port}` });
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
    },
  });
});
afterAll(async () => {
  const totals = recordAttackCounts('backchannel-logout', counts);
  console.log(`attack suite: ${counts.inputs} hostile logout requests tried here, ${counts.failures} failures (suite: ${totals.inputs}, ${totals.failures})`);
  await app?.stop();
  await idp?.close();
  await sandbox?.close();
});

/** Signs in through the provider's own login and consent pages. */
async function signIn(email: string): Promise<TestBrowser> {
  const browser = new TestBrowser();
  const login = await browser.request(`${app.url}/api/auth/login`);
  let url = login.headers.get('location') as string;
  for (let step = 0; step < 16; step += 1) {
    if (url.startsWith(`${app.url}/api/auth/callback`)) {
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

const authenticated = async (browser: TestBrowser) =>
  (await browser.request(`${app.url}/api/auth/session`)).json<{ authenticated: boolean }>().authenticated;

interface Hostile {
  label: string;
  body?: string | ReadableStream<Uint8Array>;
  contentType?: string | null;
}

const form = (token: string) => new URLSearchParams({ logout_token: token }).toString();
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Sends one request and returns what is wrong with its answer (empty when it is a proper refusal). */
async function refusalProblems(input: Hostile): Promise<string[]> {
  counts.inputs += 1;
  const headers: Record<string, string> = {};
  if (input.contentType !== null) headers['content-type'] = input.contentType ?? 'application/x-www-form-urlencoded';
  // A connection of its own: a server may close one whose oversized body it refused unread.
  const dispatcher = new Agent({ pipelining: 0 });
  const init: UndiciRequestInit = { method: 'POST', headers, body: input.body as UndiciRequestInit['body'], redirect: 'manual', dispatcher };
  if (input.body instanceof ReadableStream) init.duplex = 'half';
  const found: string[] = [];
  let response: Awaited<ReturnType<typeof undiciFetch>>;
  let text: string;
  try {
    response = await undiciFetch(`${app.url}/api/auth/backchannel-logout`, init);
    text = await response.text();
  } catch (error) {
    found.push(`${input.label}: no answer (${String(error)})`);
    counts.failures += found.length;
    return found;
  } finally {
    void dispatcher.close();
  }
  const oversized = input.label.startsWith('huge');
  if (response.status !== 400 && !(oversized && response.status === 413)) found.push(`${input.label}: status ${response.status}`);
  if (response.headers.get('location')) found.push(`${input.label}: a redirect`);
  if (!(response.headers.get('cache-control') ?? '').includes('no-store')) found.push(`${input.label}: no no-store`);
  if (response.status === 400) {
    try {
      const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
      if (body.error !== 'invalid_request') found.push(`${input.label}: not invalid_request but ${String(body.error)}`);
      if (body.error_description !== undefined && typeof body.error_description !== 'string') found.push(`${input.label}: error_description not a string`);
    } catch {
      found.push(`${input.label}: not JSON: ${text.slice(0, 80)}`);
    }
    if (!(response.headers.get('content-type') ?? '').includes('application/json')) found.push(`${input.label}: content type ${response.headers.get('content-type')}`);
  }
  if (/eyJ[\w-]{10,}\.eyJ[\w-]{20,}/.test(text)) found.push(`${input.label}: a token echoed`);
  counts.failures += found.length;
  return found;
}

describe('back-channel logout under attack (POST /api/auth/backchannel-logout)', () => {
  it('refuses every forged, spoiled, oversized or mis-typed request with 400 JSON, no-store, no redirect, and ends nothing', async () => {
    const browser = await signIn(ada.email);
    expect(await authenticated(browser)).toBe(true);
    const valid = { iss: idp.issuer, aud: idp.clientId, sub: ada.sub, iat: now(), jti: 'x', events: { [EVENT]: {} } };
    const foreignKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const foreignRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signWith = (claims: Record<string, unknown>, header: Record<string, unknown>, key: Parameters<SignJWT['sign']>[0]) =>
      new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);
    const tokens: Record<string, string> = {
      'unsigned (alg none)': `${b64({ alg: 'none', typ: 'logout+jwt' })}.${b64({ ...valid, jti: 'none-1' })}.`,
      'unsigned (alg NONE, a signature appended)': `${b64({ alg: 'NONE' })}.${b64({ ...valid, jti: 'none-2' })}.${Buffer.from('sig').toString('base64url')}`,
      'wrong signature key, the provider’s kid': await signWith({ ...valid, jti: 'forged-1' }, { alg: 'ES256', kid: 'es256-1' }, foreignKey),
      'wrong signature key, no kid': await signWith({ ...valid, jti: 'forged-2' }, { alg: 'ES256' }, foreignKey),
      'own key embedded in the header (jwk)': await signWith(
        { ...valid, jti: 'forged-3' },
        { alg: 'RS256', jwk: foreignRsa.publicKey.export({ format: 'jwk' }) },
        foreignRsa.privateKey,
      ),
      'HS256 with the client secret (discovery lists HS256)': await signWith(
        { ...valid, jti: 'hs-1' },
        { alg: 'HS256' },
        new TextEncoder().encode(idp.clientSecret),
      ),
      'wrong aud': await idp.signLogoutToken({ sub: ada.sub, aud: 'someone-else' }),
      'aud list without this client': await idp.signLogoutToken({ sub: ada.sub, aud: ['someone-else', 'another'] }),
      'no aud': await idp.signLogoutToken({ sub: ada.sub, aud: undefined }),
      'wrong iss': await idp.signLogoutToken({ sub: ada.sub, iss: 'http://127.0.0.1:1/realms/acme' }),
      'iss with a trailing slash': await idp.signLogoutToken({ sub: ada.sub, iss: `${idp.issuer}/` }),
      'old iat (an hour ago)': await idp.signLogoutToken({ sub: ada.sub, iat: now() - 3600 }),
      'iat just outside the window': await idp.signLogoutToken({ sub: ada.sub, iat: now() - 400 }),
      'iat in the future': await idp.signLogoutToken({ sub: ada.sub, iat: now() + 3600 }),
      'no iat': await idp.signLogoutToken({ sub: ada.sub, iat: undefined }),
      'iat as a string': await idp.signLogoutToken({ sub: ada.sub, iat: String(now()) }),
      'expired exp': await idp.signLogoutToken({ sub: ada.sub, exp: now() - 3600 }),
      'nonce present': await idp.signLogoutToken({ sub: ada.sub, nonce: 'n' }),
      'nonce present, empty': await idp.signLogoutToken({ sub: ada.sub, nonce: '' }),
      'neither sid nor sub': await idp.signLogoutToken({}),
      'empty sid and sub': await idp.signLogoutToken({ sid: '', sub: '' }),
      'sub not a string': await idp.signLogoutToken({ sub: 42 }),
      'missing events claim': await idp.signLogoutToken({ sub: ada.sub, events: undefined }),
      'another event only': await idp.signLogoutToken({ sub: ada.sub, events: { 'http://example.com/other': {} } }),
      'event not an object': await idp.signLogoutToken({ sub: ada.sub, events: { [EVENT]: 'yes' } }),
      'events as an array': await idp.signLogoutToken({ sub: ada.sub, events: [EVENT] }),
      'no jti': await idp.signLogoutToken({ sub: ada.sub, jti: undefined }),
      'empty jti': await idp.signLogoutToken({ sub: ada.sub, jti: '' }),
      'jti not a string': await idp.signLogoutToken({ sub: ada.sub, jti: 7 }),
      'not a JWT': 'not-a-jwt',
      'five segments (JWE shape)': 'a.b.c.d.e',
      'garbage segments': 'eyJ!!!.eyJ???.###',
    };
    // A valid header and payload under the signature of another valid token.
    const [header, , signature] = (await idp.signLogoutToken({ sub: grace.sub })).split('.');
    tokens['signature of another token'] = `${header}.${b64({ ...valid, jti: 'spliced-1' })}.${signature}`;

    const inputs: Hostile[] = Object.entries(tokens).map(([label, token]) => ({ label, body: form(token) }));
    const good = await idp.signLogoutToken({ sub: ada.sub });
    inputs.push(
      { label: 'huge body (200 KB, declared)', body: `logout_token=${'a'.repeat(200_000)}` },
      {
        label: 'huge body (chunked, no length)',
        body: new ReadableStream({
          start(controller) {
            for (let index = 0; index < 40; index += 1) controller.enqueue(new TextEncoder().encode('a'.repeat(8192)));
            controller.close();
          },
        }),
      },
      { label: 'wrong content type (JSON)', body: JSON.stringify({ logout_token: good }), contentType: 'application/json' },
      { label: 'wrong content type (text/plain)', body: form(good), contentType: 'text/plain' },
      { label: 'wrong content type (multipart)', body: `--x\r\nContent-Disposition: form-data; name="logout_token"\r\n\r\n${good}\r\n--x--\r\n`, contentType: 'multipart/form-data; boundary=x' },
      { label: 'no content type', body: form(good), contentType: null },
      { label: 'empty body', body: '' },
      { label: 'no logout_token field', body: 'token=x' },
      { label: 'empty logout_token', body: 'logout_token=' },
      { label: 'two logout_token fields', body: `${form(good)}&${form(good)}` },
    );
    const found: string[] = [];
    for (const input of inputs) found.push(...(await refusalProblems(input)));
    expect(found.join('\n')).toBe('');
    // Every refusal left the session alone.
    expect(await authenticated(browser)).toBe(true);

    // The control: a valid token (by sub) ends it, with 200, no-store and no redirect.
    const accepted = await fetch(`${app.url}/api/auth/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(good),
      redirect: 'manual',
    });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('cache-control')).toContain('no-store');
    expect(accepted.headers.get('location')).toBeNull();
    expect(await authenticated(browser)).toBe(false);
  });

  it('refuses a replayed jti, and the replay ends nothing', async () => {
    const first = await signIn(grace.email);
    const token = await idp.signLogoutToken({ sub: grace.sub });
    const send = () =>
      fetch(`${app.url}/api/auth/backchannel-logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(token), redirect: 'manual' });
    expect((await send()).status).toBe(200);
    expect(await authenticated(first)).toBe(false);
    // Grace signs in again; the same token sent again must not end the new session.
    const again = await signIn(grace.email);
    const replayed = await refusalProblems({ label: 'replayed jti', body: form(token) });
    expect(replayed).toEqual([]);
    // The same jti in a freshly signed token is a replay too.
    const [, payload] = token.split('.');
    const jti = (JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as { jti: string }).jti;
    expect(await refusalProblems({ label: 'replayed jti, re-signed', body: form(await idp.signLogoutToken({ sub: grace.sub, jti })) })).toEqual([]);
    expect(await authenticated(again)).toBe(true);
  });
});
