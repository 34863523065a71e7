import Redis from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { signIn, TestBrowser, type BrowserResponse } from '../../helpers/browser';
import { startRedis, type TestRedis } from '../../helpers/redis';
import { startStack, tokenRequests, type Stack } from '../../helpers/stack';

/**
 * Sessions that stay ended: sign-out against a refresh in flight, revocation while the
 * provider is down, and a refresh token replayed after its rotation window. The token store is
 * Redis here, so a test can make a rotation record expire the way time would.
 */
const [ada, ben] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
const TTL_SECONDS = 8;
let redis: TestRedis;
let stack: Stack;
let app: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until a token issued `issuedAt` is due for renewal (past half its lifetime). */
const untilDue = (issuedAt: number) => sleep(Math.max(0, issuedAt + (TTL_SECONDS * 1000) / 2 + 200 - Date.now()));
const whoAmI = (browser: TestBrowser): Promise<BrowserResponse> => browser.api(`${app}/api/wellview/user`);
const signOut = (browser: TestBrowser) => browser.request(`${app}/api/auth/logout`, { method: 'POST', csrf: true });
const revocations = async () => Number((await stack.stats()).revocations ?? 0);

beforeAll(async () => {
  redis = await startRedis();
  stack = await startStack({ env: { REDIS_URL: redis.url, WELLVIEW_RATE_LIMIT_PER_SECOND: '100000' } });
  app = stack.app.url;
});
afterAll(async () => {
  await stack?.stop();
  await redis?.stop();
});
beforeEach(async () => {
  await stack.reset();
  await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: TTL_SECONDS });
  await stack.fault({ provider: 'wellview', rateLimitPerSecond: 100000 });
});

/** Refused as signed out: 401 SIGN_IN_REQUIRED. */
function expectSignedOut(answer: BrowserResponse, label: string): void {
  expect(answer.status, `${label}: ${answer.text}`).toBe(401);
  expect(answer.json(), label).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
}

describe('sign-out', () => {
  it('waits for a refresh in flight: neither the old cookie nor the one the refresh set works afterwards', async () => {
    const { browser } = await signIn(app, ada);
    // The token was issued before signIn returned: from here on, waiting half its life is enough.
    const issuedAt = Date.now();
    const kept = browser.jar.clone();
    await untilDue(issuedAt);
    await stack.fault({ provider: 'peloton', latencyMs: 2500 });

    const refreshing = new TestBrowser(browser.jar.clone());
    const refresh = whoAmI(refreshing);
    // The refresh is at the provider when the sign-out arrives.
    await sleep(600);
    const signedOut = await signOut(new TestBrowser(browser.jar.clone()));
    expect(signedOut.status).toBe(200);
    const refreshed = await refresh;
    expect([200, 401]).toContain(refreshed.status);
    await stack.fault({ provider: 'peloton', latencyMs: 0 });

    expectSignedOut(await whoAmI(new TestBrowser(kept.clone())), 'the cookie from before sign-out');
    expectSignedOut(await whoAmI(new TestBrowser(refreshing.jar.clone())), 'the cookie the refresh set');
    expectSignedOut(await browser.api(`${app}/api/meti/sources?limit=1`), 'a service-token call with the old cookie');
    const stats = await stack.stats();
    expect(tokenRequests(stats, 'peloton', 'refresh_token')).toBe(1);
    expect(stats.refreshReuseDetected).toBe(0);
    // The token the refresh issued was revoked, not the spent one.
    expect(stats.revocations).toBe(1);
  });

  it('retries the revocation in the background while the provider is down, and the token ends up revoked', async () => {
    const { browser } = await signIn(app, ben);
    expect((await whoAmI(browser)).status).toBe(200);
    await stack.reset();
    await stack.fault({ provider: 'peloton', down: true });
    const started = Date.now();
    const signedOut = await signOut(browser);
    expect(signedOut.status).toBe(200);
    // The answer did not wait for the retries.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await revocations()).toBe(0);

    await sleep(500);
    await stack.fault({ provider: 'peloton', down: false });
    const deadline = Date.now() + 20_000;
    while ((await revocations()) === 0 && Date.now() < deadline) await sleep(250);
    expect(await revocations()).toBe(1);
  });
});

describe('a refresh token replayed after its rotation window', () => {
  it('ends the login, revokes its newest refresh token and logs security.refresh_token_replay', async () => {
    await redis.flush();
    const { browser } = await signIn(app, ada);
    const issuedAt = Date.now();
    const copied = browser.jar.clone();
    await untilDue(issuedAt);
    expect((await whoAmI(browser)).status).toBe(200);
    expect(tokenRequests(await stack.stats(), 'peloton', 'refresh_token')).toBe(1);

    // The rotation window passes: its record expires (the spent-token record stays).
    const client = new Redis(redis.url);
    try {
      const rotations = await client.keys('*rotation:*');
      expect(rotations).toHaveLength(1);
      await client.del(...rotations);
      expect((await client.keys('*spent:*')).length).toBe(1);
    } finally {
      client.disconnect();
    }
    await stack.reset();

    const replay = await whoAmI(new TestBrowser(copied.clone()));
    expectSignedOut(replay, 'the copied cookie');
    // The login is over everywhere: the newest cookie is refused too, and Peloton revoked it.
    expectSignedOut(await whoAmI(browser), 'the newest cookie');
    const deadline = Date.now() + 5_000;
    while ((await revocations()) === 0 && Date.now() < deadline) await sleep(100);
    const stats = await stack.stats();
    expect(stats.revocations).toBeGreaterThanOrEqual(1);
    expect(tokenRequests(stats, 'peloton', 'refresh_token')).toBe(0);
    expect(stats.refreshReuseDetected).toBe(0);

    const lines = stack.app
      .logs()
      .split('\n')
      .filter((line) => line.includes('security.refresh_token_replay'));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'warn', sub: ada.sub });
    expect(typeof line.requestId).toBe('string');
    expect(lines[0]).not.toMatch(/v1\.[\w-]{20,}|eyJ/);
  });
});
