/**
 * `GET /api/targets/wellview` over real HTTP: the built dashboard, the sandbox, and a small
 * proxy in front of the sandbox's WellView that answers `/user` with the shape each test sets,
 * so discovery is tried against shapes the sandbox itself does not serve.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { startSandbox } from '../../../sandbox/server';
import { startApp, type RunningApp } from '../../helpers/app';
import { signIn, TestBrowser } from '../../helpers/browser';

const [user] = DEMO_USERS as [(typeof DEMO_USERS)[number]];

/** What the proxy answers for `/user`: `null` passes it through to the sandbox. */
let userAnswer: { status: number; type: string; body: string } | null = null;
const seenUserCalls: { authorization?: string; key?: string }[] = [];

function startShapingProxy(sandboxUrl: string): Promise<Server> {
  const target = new URL(sandboxUrl);
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    if (incoming.url?.startsWith('/wellview/user') && userAnswer) {
      seenUserCalls.push({
        authorization: incoming.headers.authorization,
        key: incoming.headers['ocp-apim-subscription-key'] as string,
      });
      response.writeHead(userAnswer.status, {
        'content-type': userAnswer.type,
        'content-length': Buffer.byteLength(userAnswer.body),
      });
      response.end(userAnswer.body);
      return;
    }
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    incoming.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function shape(body: unknown, status = 200, type = 'application/json'): void {
  userAnswer = { status, type, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let proxy: Server;
let app: RunningApp;
let configuredApp: RunningApp;
/** Remembers a login's /user answer (the default); `app` reads it every time, as these tests reshape it. */
let rememberingApp: RunningApp;
let browser: TestBrowser;
let configuredBrowser: TestBrowser;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  proxy = await startShapingProxy(sandbox.url);
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const env = { GATEWAY_CACHE_TTL_SECONDS: '0', WELLVIEW_API_BASE_URL: `${proxyUrl}/wellview` };
  [app, configuredApp, rememberingApp] = await Promise.all([
    startApp({ sandboxUrl: sandbox.url, env: { ...env, WELLVIEW_APP_VERSION: 'v10', WELLVIEW_TARGET_CACHE_SECONDS: '0' } }),
    startApp({
      sandboxUrl: sandbox.url,
      env: { ...env, WELLVIEW_ORG_UNIT: 'cfg-org', WELLVIEW_APP: 'cfg-app', WELLVIEW_APP_VERSION: 'cfg-1' },
    }),
    startApp({ sandboxUrl: sandbox.url, env }),
  ]);
  browser = (await signIn(app.url, user)).browser;
  configuredBrowser = (await signIn(configuredApp.url, user)).browser;
});
afterAll(async () => {
  await Promise.all([app?.stop(), configuredApp?.stop(), rememberingApp?.stop()]);
  await new Promise((resolve) => proxy?.close(resolve));
  await sandbox?.close();
});
beforeEach(() => {
  userAnswer = null;
  seenUserCalls.length = 0;
});

async function discover(which = browser, base = app.url, query = '') {
  const answer = await which.api(`${base}/api/targets/wellview${query}`);
  return { status: answer.status, body: answer.json<Record<string, unknown>>(), headers: answer.headers };
}

describe('GET /api/targets/wellview', () => {
  it("resolves the sandbox's own /user, with the configured version winning", async () => {
    const { status, body } = await discover();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'resolved',
      source: 'user',
      target: { orgUnit: 'demo-org', path: 'demo-org/wellview/v10' },
    });
  });

  it("reads org units by name with nested apps and defaultVersion, with the user's token", async () => {
    shape({
      orgUnits: [
        {
          name: 'acme',
          displayName: 'Acme',
          apps: [{ name: 'wv', versions: ['v9', 'v10'], defaultVersion: 'v9' }],
        },
      ],
    });
    const { body } = await discover();
    // WELLVIEW_APP_VERSION=v10 is configured on this dashboard: it wins over defaultVersion.
    expect(body).toMatchObject({
      status: 'resolved',
      target: { orgUnit: 'acme', app: 'wv', version: 'v10', orgUnitLabel: 'Acme' },
    });
    expect(seenUserCalls[0]?.authorization).toMatch(/^Bearer .{20,}/);
    expect(seenUserCalls[0]?.key).toBeTruthy();
  });

  it('reads flat apps with a ready path and offers a choice among several', async () => {
    shape({
      apps: [
        { orgUnit: 'a', app: 'wv', version: 'v10', path: 'a/wv/v10' },
        { org_unit: 'b', app_name: 'wv', version: 'v10' },
      ],
    });
    const { body } = await discover();
    expect(body).toMatchObject({ status: 'choose' });
    expect((body.candidates as { path: string }[]).map((candidate) => candidate.path)).toEqual([
      'a/wv/v10',
      'b/wv/v10',
    ]);
    const chosen = await discover(browser, app.url, '?target=b%2Fwv%2Fv10');
    expect(chosen.body).toMatchObject({ status: 'resolved', source: 'chosen', target: { path: 'b/wv/v10' } });
  });

  it('names the variables and the reported fields when nothing is usable', async () => {
    shape({ sub: 'x', email: 'x@example.com', tenants: [{ tenantName: 'T' }] });
    const { status, body } = await discover();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'none',
      configure: ['WELLVIEW_ORG_UNIT', 'WELLVIEW_APP', 'WELLVIEW_APP_VERSION'],
      reported: ['sub', 'email', 'tenants[].tenantName'],
    });
  });

  it.each([
    ['an HTML page', '<!doctype html><title>Portal</title>', 'text/html', /web page \("Portal"\)/],
    ['an empty body', '', 'application/json', /empty body/],
    [
      'an error object',
      JSON.stringify({ error: { message: 'Tenant suspended' } }),
      'application/json',
      /Tenant suspended/,
    ],
  ])('answers a 200 carrying %s with a 502 that says so', async (_name, text, type, message) => {
    shape(text, 200, type);
    const { status, body } = await discover();
    expect(status).toBe(502);
    expect((body.error as { message: string }).message).toMatch(message);
  });

  it("passes WellView's own refusals on", async () => {
    shape({ statusCode: 403, message: 'Forbidden by policy' }, 403);
    const { status, body } = await discover();
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: { message: 'Forbidden by policy' } });
  });

  it('uses configured values without calling /user', async () => {
    shape({ sub: 'x' });
    const { body } = await discover(configuredBrowser, configuredApp.url);
    expect(body).toMatchObject({
      status: 'resolved',
      source: 'configured',
      target: { path: 'cfg-org/cfg-app/cfg-1' },
    });
    expect(seenUserCalls).toHaveLength(0);
  });

  it('requires a session and the X-CSRF header', async () => {
    const anonymous = await fetch(`${app.url}/api/targets/wellview`, { headers: { 'x-csrf': '1' } });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
    const noCsrf = await browser.request(`${app.url}/api/targets/wellview`);
    expect(noCsrf.status).toBe(403);
  });
});

describe("a login's /user answer, remembered (WELLVIEW_TARGET_CACHE_SECONDS)", () => {
  it('is read once per login, read again after a new sign-in, and never answers for a login that has ended', async () => {
    shape({
      apps: [
        { orgUnit: 'a', app: 'wv', version: 'v10', path: 'a/wv/v10' },
        { orgUnit: 'b', app: 'wv', version: 'v10', path: 'b/wv/v10' },
      ],
    });
    const first = (await signIn(rememberingApp.url, user)).browser;
    expect((await discover(first, rememberingApp.url)).body).toMatchObject({ status: 'choose' });
    // The response cache is off here: only the memo spares these calls.
    expect((await discover(first, rememberingApp.url, '?target=b%2Fwv%2Fv10')).body).toMatchObject({ status: 'resolved', target: { path: 'b/wv/v10' } });
    expect((await discover(first, rememberingApp.url)).body).toMatchObject({ status: 'choose' });
    expect(seenUserCalls).toHaveLength(1);

    // A new sign-in is a new login: it reads /user again (and sees what it says now).
    shape({ apps: [{ orgUnit: 'c', app: 'wv', version: 'v10', path: 'c/wv/v10' }] });
    const second = (await signIn(rememberingApp.url, user)).browser;
    expect((await discover(second, rememberingApp.url)).body).toMatchObject({ status: 'resolved', target: { path: 'c/wv/v10' } });
    expect(seenUserCalls).toHaveLength(2);

    // A copy of the first login's cookies, kept past its sign-out, gets nothing remembered.
    const copy = new TestBrowser(first.jar.clone());
    expect((await first.request(`${rememberingApp.url}/api/auth/logout`, { method: 'POST', csrf: true })).status).toBeLessThan(400);
    const replayed = await discover(copy, rememberingApp.url);
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
  });

  it('is not kept when /user fails: the next page reads it again', async () => {
    const fresh = (await signIn(rememberingApp.url, user)).browser;
    shape({ statusCode: 503, message: 'maintenance' }, 503);
    expect((await discover(fresh, rememberingApp.url)).status).toBe(502);
    shape({ apps: [{ orgUnit: 'd', app: 'wv', version: 'v10', path: 'd/wv/v10' }] });
    expect((await discover(fresh, rememberingApp.url)).body).toMatchObject({ status: 'resolved', target: { path: 'd/wv/v10' } });
    expect(seenUserCalls).toHaveLength(2);
  });
});
