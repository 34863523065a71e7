/**
 * Smoke tests of the standalone server, run as the Dockerfile runs it: `node server.js` from
 * `.next/standalone` with `.next/static` and `public/` copied in (CI cannot run Docker).
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAppEnv } from '../../../scripts/sandbox-env';
import { startSandbox } from '../../../sandbox/server';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { freePort, startApp, type RunningApp } from '../../helpers/app';
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

describe('npm start (scripts/start.mjs)', () => {
  const root = path.resolve(__dirname, '../../..');

  it('runs the standalone server on the port and host given, like next start', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['scripts/start.mjs', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        ...sandboxAppEnv(sandbox.url, url),
      },
      stdio: 'ignore',
    });
    try {
      const deadline = Date.now() + 30_000;
      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        status = await fetch(`${url}/api/health/ready`).then(
          (answer) => answer.status,
          () => 0,
        );
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status).toBe(200);
      expect(child.exitCode).toBeNull();
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a port that is not a number', () => {
    const result = spawnSync(process.execPath, ['scripts/start.mjs', '-p', 'http'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/port must be a number/);
  });
});
