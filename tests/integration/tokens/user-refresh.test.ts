import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { signIn, TestBrowser, type BrowserResponse } from '../../helpers/browser';
import { startStack, tokenRequests, type Stack } from '../../helpers/stack';

const [ada, ben] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
/** Access tokens live this long in these tests; the dashboard renews at half of it. */
const TTL_SECONDS = 6;
let stack: Stack;
let app: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until a token issued `issuedAt` is due for renewal (past half its lifetime). */
const untilDue = (issuedAt: number, ttlSeconds = TTL_SECONDS) => sleep(Math.max(0, issuedAt + (ttlSeconds * 1000) / 2 + 200 - Date.now()));

beforeAll(async () => {
  // The sandbox's per-key limit is lifted here so that only token behaviour is measured.
  stack = await startStack({ env: { WELLVIEW_RATE_LIMIT_PER_SECOND: '100000' } });
  app = stack.app.url;
});
afterAll(async () => stack?.stop());
beforeEach(async () => {
  await stack.reset();
  await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: TTL_SECONDS });
  await stack.fault({ provider: 'wellview', rateLimitPerSecond: 100000 });
});

async function whoAmI(browser: TestBrowser): Promise<BrowserResponse> {
  return browser.api(`${app}/api/wellview/user`);
}

describe('user access tokens', () => {
  it('200 concurrent requests at expiry share exactly one refresh, and all succeed', async () => {
    const { browser } = await signIn(app, ada);
    // Issued before signIn returned: waiting from here is never too early on a slow machine.
    const issuedAt = Date.now();
    const beforeRotation = browser.jar.clone();
    await untilDue(issuedAt);

    const answers = await Promise.all(Array.from({ length: 200 }, () => whoAmI(new TestBrowser(beforeRotation.clone()))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(200).fill(200));
    for (const answer of answers) expect(answer.json<{ email: string }>().email).toBe(ada.email);

    const stats = await stack.stats();
    expect(tokenRequests(stats, 'peloton', 'refresh_token')).toBe(1);
    expect(stats.refreshReuseDetected).toBe(0);
    expect(stats.revokedLogins).toBe(0);

    // A request that still carries the pre-rotation cookie is served from the rotation record.
    const late = await whoAmI(new TestBrowser(beforeRotation.clone()));
    expect(late.status).toBe(200);
    expect(late.setCookies.some((cookie) => cookie.name === 'wv_session')).toBe(true);
    const after = await stack.stats();
    expect(tokenRequests(after, 'peloton', 'refresh_token')).toBe(1);
    expect(after.refreshReuseDetected).toBe(0);
  });

  it('50 sessions × 20 concurrent requests over three expiry cycles refresh exactly sessions × cycles times', async () => {
    // Longer-lived tokens here: a cycle of 1,000 requests must end before its new tokens are due
    // (half the lifetime). At 14 s that left 7 s, and a cycle on a busy 2-core machine took
    // about that long now and then: every session then refreshed once more, rightly.
    const ttlSeconds = 24;
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: ttlSeconds });
    const sessions = await Promise.all(
      Array.from({ length: 50 }, async (_, index) => {
        const { browser } = await signIn(app, index % 2 === 0 ? ada : ben);
        return { browser, user: index % 2 === 0 ? ada : ben };
      }),
    );
    // Each cycle waits from the moment every token of the last cycle surely existed (an upper
    // bound of their issue times), so every session is due; none has expired (TTL > due + load).
    let issuedBy = Date.now();
    for (let cycle = 0; cycle < 3; cycle += 1) {
      await untilDue(issuedBy, ttlSeconds);
      await Promise.all(
        sessions.map(async (session) => {
          const answers = await Promise.all(Array.from({ length: 20 }, () => whoAmI(new TestBrowser(session.browser.jar.clone()))));
          for (const answer of answers) {
            expect(answer.status).toBe(200);
            expect(answer.json<{ email: string }>().email).toBe(session.user.email);
            // The browser keeps whatever cookie arrived (every response sets the newest one).
            session.browser.jar.apply(answer.setCookies);
          }
        }),
      );
      issuedBy = Date.now();
    }
    const stats = await stack.stats();
    expect(tokenRequests(stats, 'peloton', 'refresh_token')).toBe(50 * 3);
    expect(stats.refreshReuseDetected).toBe(0);
    expect(stats.revokedLogins).toBe(0);
    // Three due-waits (~37 s) and 3,000 calls: past the default 60 s on a loaded 2-core machine.
  }, 180_000);

  it("two users' interleaved requests each carry their own user's token", async () => {
    const users = [ada, ben];
    const browsers = await Promise.all(users.map(async (user) => (await signIn(app, user)).browser));
    const calls = Array.from({ length: 300 }, (_, index) => index % 2);
    const answers = await Promise.all(calls.map((which) => whoAmI(new TestBrowser((browsers[which] as TestBrowser).jar.clone()))));
    answers.forEach((answer, index) => {
      expect(answer.status).toBe(200);
      expect(answer.json<{ email: string }>().email).toBe((users[calls[index] as number] as typeof ada).email);
    });
    const bySubject = (await stack.stats()).requestsBySubject as { wellview: Record<string, number> };
    expect(Object.values(bySubject.wellview).sort()).toEqual([150, 150]);
  });

  it('keeps the session while the provider is down, and refreshes once when it is back', async () => {
    const { browser } = await signIn(app, ada);
    // Issued before signIn returned: waiting from here is never too early on a slow machine.
    const issuedAt = Date.now();
    await sleep(Math.max(0, issuedAt + TTL_SECONDS * 1000 + 500 - Date.now()));
    await stack.reset();
    await stack.fault({ provider: 'peloton', down: true });
    const failing = await whoAmI(browser);
    expect(failing.status).toBe(502);
    expect(failing.json()).toMatchObject({ error: { code: 'IDP_UNAVAILABLE' } });
    expect(Number(failing.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(failing.setCookies).toEqual([]);

    await stack.reset();
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: TTL_SECONDS });
    const back = await whoAmI(browser);
    expect(back.status).toBe(200);
    expect(tokenRequests(await stack.stats(), 'peloton', 'refresh_token')).toBe(1);
  });

  it('ends the session when the provider answers invalid_grant', async () => {
    const { browser } = await signIn(app, ben);
    // Issued before signIn returned: waiting from here is never too early on a slow machine.
    const issuedAt = Date.now();
    const response = await fetch(`${stack.sandboxUrl}/__sandbox/logins/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: ben.sub }),
    });
    expect(response.ok).toBe(true);
    await untilDue(issuedAt);
    const ended = await whoAmI(browser);
    expect(ended.status).toBe(401);
    expect(ended.json()).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });
    expect(ended.json<{ error: { message: string } }>().error.message).toMatch(/sign in again/i);
    expect(browser.jar.get('wv_session')).toBeUndefined();
    const page = await browser.request(`${app}/wells`);
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toContain('/login');
  });
});
