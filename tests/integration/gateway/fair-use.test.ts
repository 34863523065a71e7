import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, WELLVIEW_RATE_LIMIT_PER_SECOND as KEY_LIMIT } from '../../../sandbox/defaults';
import { startApp, type RunningApp } from '../../helpers/app';
import { signIn, type BrowserResponse, type TestBrowser } from '../../helpers/browser';
import { startSandboxProcess, type Sandbox } from '../../helpers/sandbox-process';
import type { SandboxStats } from '../../helpers/stack';

/**
 * Fair use of the WellView subscription key's budget over real HTTP: one user firing hundreds of
 * calls at once neither starves another user nor pushes the key past its limit.
 */
const [normalUser, greedyUser] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
/**
 * WELLVIEW_RATE_LIMIT_PER_SECOND's default (what may leave in any second; the key itself allows
 * KEY_LIMIT, 20, at WellView) and a share of the queue per user set below the default of 250, so
 * that 300 calls overflow it however slowly this machine lets them arrive.
 */
const LIMIT = 18;
const SHARE = 100;
const GREEDY_CALLS = 300;

// In its own process: its per-second counts must not wait on this test's event loop.
let sandbox: Sandbox;
let app: RunningApp;

const post = async (path: string, body: unknown = {}) => {
  const response = await fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
};
const sandboxStats = async () => (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as SandboxStats;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RateLimitFigures {
  limitPerSecond: number;
  currentPerSecond: number;
  queued: number;
  throttled: number;
}
/** Every `currentPerSecond` the admin page reported during the test. */
const sampled: number[] = [];
const rateLimitFigures = async (admin: TestBrowser) => {
  const figures = (await admin.api(`${app.url}/api/admin/tokens`)).json<{ rateLimit: { wellview: RateLimitFigures } }>().rateLimit.wellview;
  sampled.push(figures.currentPerSecond);
  return figures;
};

beforeAll(async () => {
  sandbox = await startSandboxProcess();
  app = await startApp({
    sandboxUrl: sandbox.url,
    env: { GATEWAY_CACHE_TTL_SECONDS: '0', LOG_LEVEL: 'warn', WELLVIEW_MAX_QUEUED_PER_USER: String(SHARE) },
  });
});
afterAll(async () => {
  await app?.stop();
  await sandbox?.close();
});

describe('one greedy user and one normal user on the WellView budget', () => {
  it("serves the normal user's call within about a window while the greedy backlog waits, and never exceeds the limit", async () => {
    const normal = (await signIn(app.url, normalUser)).browser;
    const greedy = (await signIn(app.url, greedyUser)).browser;
    await post('/__sandbox/reset');

    // Every answer, in the order they come back.
    const finished: { who: 'greedy' | 'normal'; answer: BrowserResponse; greedyServedBefore: number }[] = [];
    const greedyServed = () => finished.filter((entry) => entry.who === 'greedy' && entry.answer.status === 200).length;
    const send = (who: 'greedy' | 'normal', browser: TestBrowser) =>
      browser.api(`${app.url}/api/wellview/user`).then((answer) => {
        finished.push({ who, answer, greedyServedBefore: greedyServed() });
        return answer;
      });

    const greedyCalls = Array.from({ length: GREEDY_CALLS }, () => send('greedy', greedy));
    // Wait until the greedy backlog is in the queue (the admin figures say so).
    let figures = await rateLimitFigures(normal);
    for (let tries = 0; tries < 300 && figures.queued < SHARE - 2 * LIMIT; tries += 1) {
      await sleep(20);
      figures = await rateLimitFigures(normal);
    }
    expect(figures.queued).toBeGreaterThanOrEqual(SHARE - 2 * LIMIT);
    // The greedy user holds at most its share of the queue.
    expect(figures.queued).toBeLessThanOrEqual(SHARE);

    const greedyServedWhenAsked = greedyServed();
    const askedAt = performance.now();
    const normalAnswer = await send('normal', normal);
    const normalMs = performance.now() - askedAt;
    expect(normalAnswer.status, normalAnswer.text.slice(0, 300)).toBe(200);
    expect(normalAnswer.json<{ email: string }>().email).toBe(normalUser.email);
    // Slots, not milliseconds: while the normal call waited, at most two windows' worth of greedy
    // calls went (in strict arrival order it would have waited for the whole backlog)...
    const greedyWentMeanwhile = greedyServed() - greedyServedWhenAsked;
    expect(greedyWentMeanwhile).toBeLessThanOrEqual(2 * LIMIT);
    // ...and most of the backlog was still waiting when it was answered.
    const stillWaiting = (await rateLimitFigures(normal)).queued;
    expect(stillWaiting).toBeGreaterThan(SHARE / 2);
    // In rate windows (1 s each): about one, with room for a loaded machine; the backlog is ~5.
    expect(normalMs).toBeLessThan(3 * 1000);

    // Keep sampling the limiter's own count until the backlog has gone.
    let done = false;
    const answered = Promise.all(greedyCalls).finally(() => (done = true));
    while (!done) {
      await rateLimitFigures(normal);
      await sleep(100);
    }
    const greedyAnswers = await answered;
    const refused = greedyAnswers.filter((answer) => answer.status !== 200);
    // Past its share, the greedy user's extra calls were refused at once (while its backlog was
    // still waiting, not after their turn), as 503 RATE_LIMITED with Retry-After.
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(GREEDY_CALLS - SHARE);
    for (const answer of refused) {
      expect(answer.status, answer.text.slice(0, 300)).toBe(503);
      expect(answer.json<{ error: { code: string } }>().error.code).toBe('RATE_LIMITED');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    const greedyTotal = greedyAnswers.length - refused.length;
    expect(greedyTotal).toBeGreaterThanOrEqual(SHARE);
    for (const entry of finished.filter((item) => item.who === 'greedy' && item.answer.status !== 200)) {
      expect(entry.greedyServedBefore).toBeLessThanOrEqual(greedyTotal - SHARE / 2);
    }

    // Never more than LIMIT calls left in any second (the limiter's own count, sampled all along),
    // the key never went over its limit at WellView (arrivals there also carry the jitter of the
    // way, which the margin between 18 and 20 is for), and WellView refused nothing.
    expect(Math.max(...sampled)).toBeLessThanOrEqual(LIMIT);
    const after = await sandboxStats();
    const busiest = Math.max(0, ...Object.values(after.maxCallsPerSecond));
    expect(busiest, JSON.stringify(after.maxCallsPerSecond)).toBeLessThanOrEqual(KEY_LIMIT);
    expect(after.responses.wellview?.['429'] ?? 0).toBe(0);
    // The admin page's figures tell the same story: nothing left waiting, every refusal counted.
    expect(await rateLimitFigures(normal)).toMatchObject({ limitPerSecond: LIMIT, queued: 0, throttled: refused.length });
  });
});
