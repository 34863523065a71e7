/**
 * Smoke tests of the standalone server, run as the Dockerfile runs it: `node server.js` from
 * `.next/standalone` with `.next/static` and `public/` copied in (CI cannot run Docker).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../sandbox/server';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { startApp, type RunningApp } from '../../helpers/app';
import { signIn, TestBrowser, type BrowserResponse } from '../../helpers/browser';

const [admin] = DEMO_USERS as [(typeof DEMO_USERS)[number]];
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let app: RunningApp;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  // A keep-alive other than the default shows the container's setting reaches the server.
  app = await startApp({
    sandboxUrl: sandbox.url,
    standalone: true,
    env: { KEEP_ALIVE_TIMEOUT_MS: '61000' },
  });
});
afterAll(async () => {
  await app?.stop();
  await sandbox?.close();
});

function expectSecurityHeaders(answer: BrowserResponse | Response, label: string) {
  expect(answer.headers.get('content-security-policy'), label).toContain("frame-ancestors 'none'");
  expect(answer.headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(answer.headers.get('referrer-policy'), label).toBeTruthy();
  expect(answer.headers.get('x-powered-by'), label).toBeNull();
}

describe('the standalone server', () => {
  it('is live and ready', async () => {
    const health = await fetch(`${app.url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const ready = await fetch(`${app.url}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      checks: { config: { ok: true }, discovery: { ok: true } },
    });
    expect(ready.headers.get('keep-alive')).toBe('timeout=61');
  });

  it('signs in over HTTP with cookies and proxies a gateway call', async () => {
    const { browser, landedOn } = await signIn(app.url, admin, { returnTo: '/wells' });
    expect(new URL(landedOn).pathname).toBe('/wells');
    const session = await browser.request(`${app.url}/api/auth/session`);
    expect(session.json()).toMatchObject({ authenticated: true, user: { email: admin.email } });
    const page = await browser.request(`${app.url}/wells`);
    expect(page.status).toBe(200);
    expectSecurityHeaders(page, 'page');
    const gateway = await browser.api(`${app.url}/api/wellview/user`);
    expect(gateway.status).toBe(200);
    expect(gateway.json<{ email: string }>().email).toBe(admin.email);
    expectSecurityHeaders(gateway, 'gateway');
  });

  it('serves the copied static assets and public files to anyone', async () => {
    const login = await new TestBrowser().request(`${app.url}/login`);
    expect(login.status).toBe(200);
    expectSecurityHeaders(login, 'login');
    const asset = /\/_next\/static\/[^"'\s]+\.(?:js|css)/.exec(login.text)?.[0];
    expect(asset, 'the login page links a static asset').toBeTruthy();
    const assetAnswer = await fetch(`${app.url}${asset}`);
    expect(assetAnswer.status).toBe(200);
    expectSecurityHeaders(assetAnswer, 'static asset');

    const robots = await fetch(`${app.url}/robots.txt`, { redirect: 'manual' });
    expect(robots.status).toBe(200);
    expect(await robots.text()).toMatch(/^User-agent: \*\s*\nDisallow: \/\s*$/m);
    expectSecurityHeaders(robots, 'robots.txt');
    const favicon = await fetch(`${app.url}/favicon.ico`, { redirect: 'manual' });
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toMatch(/icon/);
    expectSecurityHeaders(favicon, 'favicon');
  });

  it('refuses a signed-out gateway call with JSON', async () => {
    const answer = await new TestBrowser().api(`${app.url}/api/wellview/user`);
    expect(answer.status).toBe(401);
    expect(answer.json<{ error: { code: string } }>().error.code).toBeTruthy();
  });
});
