import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { DEMO_SESSION_PASSWORD } from '../../../scripts/sandbox-env';
import { freePort, startApp, type RunningApp } from '../../helpers/app';
import { signIn, TestBrowser, type BrowserResponse } from '../../helpers/browser';
import { startRedis, type TestRedis } from '../../helpers/redis';
import { startSandboxProcess, type Sandbox } from '../../helpers/sandbox-process';
import type { SandboxStats } from '../../helpers/stack';

/**
 * A rolling SESSION_PASSWORD rotation done as the README says (the new password first): for a
 * while instance A runs with [old] and instance B with [new, old], sharing one Redis. Sessions
 * signed in under [old] must keep exactly one refresh per expiry and stay ended after sign-out,
 * whichever instance serves them.
 */
const [ada, ben] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
const OLD = DEMO_SESSION_PASSWORD;
const NEW = 'rotated-session-password-for-the-rotation-test-0002';
const TTL_SECONDS = 8;
let redis: TestRedis;
let sandbox: Sandbox;
let a: RunningApp;
let b: RunningApp;
let publicUrl: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const post = async (path: string, body: unknown = {}) => {
  const response = await fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
};
const stats = async () => (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as SandboxStats;
const refreshes = (all: SandboxStats) => all.tokenRequests.peloton?.refresh_token ?? 0;
const untilDue = (issuedAt: number) => sleep(Math.max(0, issuedAt + (TTL_SECONDS * 1000) / 2 + 300 - Date.now()));
const whoAmI = (instance: RunningApp, jar: TestBrowser['jar']): Promise<BrowserResponse> => new TestBrowser(jar.clone()).api(`${instance.url}/api/wellview/user`);

const start = (port: number, passwords: string) =>
  startApp({
    sandboxUrl: sandbox.url,
    port,
    env: { APP_URL: publicUrl, REDIS_URL: redis.url, SESSION_PASSWORD: passwords, GATEWAY_CACHE_TTL_SECONDS: '0', LOG_LEVEL: 'warn' },
  });

/** Sessions of both users, signed in on A while every instance still runs [old]. */
const sessions: Record<'ada' | 'ben', { browser: TestBrowser; issuedAt: number }> = {} as never;

beforeAll(async () => {
  redis = await startRedis();
  sandbox = await startSandboxProcess();
  const ports = [await freePort(), await freePort()] as [number, number];
  publicUrl = `http://127.0.0.1:${ports[0]}`;
  [a, b] = await Promise.all([start(ports[0], OLD), start(ports[1], OLD)]);
  await post('/__sandbox/faults', { provider: 'peloton', accessTokenTtlSeconds: TTL_SECONDS });
  await post('/__sandbox/faults', { provider: 'wellview', rateLimitPerSecond: 100_000 });
  for (const [name, user] of [['ada', ada], ['ben', ben]] as const) {
    const browser = (await signIn(a.url, user)).browser;
    // The token was issued before signIn returned: from here on, waiting half its life is enough.
    sessions[name] = { browser, issuedAt: Date.now() };
  }
  // The rolling deploy reaches B: the new password first, the old one kept to open old seals.
  await b.stop();
  b = await start(ports[1], `${NEW},${OLD}`);
});
afterAll(async () => {
  await Promise.all([a, b].map((instance) => instance?.stop()));
  await sandbox?.close();
  await redis?.stop();
});

describe('a SESSION_PASSWORD rotation with live sessions on two instances', () => {
  it('one refresh per login: a refresh on [old] is adopted by [new, old], one made on [new, old] is never repeated on [old]', async () => {
    await untilDue(Math.max(sessions.ada.issuedAt, sessions.ben.issuedAt));
    await post('/__sandbox/reset');
    await post('/__sandbox/faults', { provider: 'wellview', rateLimitPerSecond: 100_000 });

    // Ada: A refreshes; B, given the same pre-rotation cookie, adopts A's rotation.
    const adaJar = sessions.ada.browser.jar.clone();
    const onA = await Promise.all(Array.from({ length: 10 }, () => whoAmI(a, adaJar)));
    const onB = await Promise.all(Array.from({ length: 10 }, () => whoAmI(b, adaJar)));
    expect([...onA, ...onB].map((answer) => answer.status)).toEqual(Array(20).fill(200));
    for (const answer of onB) expect(answer.json<{ email: string }>().email).toBe(ada.email);

    // Ben: B refreshes (sealing with the new password); A, which cannot open that seal yet,
    // must not present the spent refresh token: it answers 503 BUSY and the login lives on.
    const benJar = sessions.ben.browser.jar.clone();
    const benOnB = await Promise.all(Array.from({ length: 10 }, () => whoAmI(b, benJar)));
    expect(benOnB.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    const benOnA = await Promise.all(Array.from({ length: 10 }, () => whoAmI(a, benJar)));
    for (const answer of benOnA) {
      expect([200, 503], answer.text).toContain(answer.status);
      if (answer.status === 503) {
        expect(answer.json()).toMatchObject({ error: { code: 'BUSY' } });
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }

    const after = await stats();
    expect(refreshes(after)).toBe(2);
    expect(after.refreshReuseDetected).toBe(0);
    expect(after.revokedLogins).toBe(0);
  });

  it('a sign-out on either instance ends the cookie copy on the other', async () => {
    await post('/__sandbox/reset');
    await post('/__sandbox/faults', { provider: 'wellview', rateLimitPerSecond: 100_000 });
    for (const [signOutOn, copyOn] of [
      [b, a],
      [a, b],
    ] as const) {
      const { browser } = await signIn(a.url, ada);
      const copy = browser.jar.clone();
      expect((await whoAmI(copyOn, copy)).status).toBe(200);
      const signedOut = await browser.request(`${signOutOn.url}/api/auth/logout`, { method: 'POST', csrf: true });
      expect(signedOut.status).toBe(200);
      for (const path of ['/api/wellview/user', '/api/meti/sources?limit=1']) {
        const answer = await new TestBrowser(copy.clone()).api(`${copyOn.url}${path}`);
        expect(answer.status, `${path} on ${copyOn === a ? 'A' : 'B'}: ${answer.text}`).toBe(401);
        expect(answer.json()).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
      }
    }
  });
});
