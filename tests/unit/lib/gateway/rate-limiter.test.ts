import { describe, expect, it } from 'vitest';
import { PacedLimiter, type Slot } from '@/lib/gateway/rate-limiter';
import { sharedLimiter } from '@/lib/gateway/shared-rate-limiter';
import type { SharedRedis } from '@/lib/shared-state/redis';

/** 'granted' (the provider answering at once) or the refusal's code. */
const codeOf = (promise: Promise<Slot>) =>
  promise.then(
    (slot) => {
      slot.answered();
      return 'granted';
    },
    (error: { code?: string }) => error.code,
  );

describe('a caller that leaves while it waits for a slot', () => {
  it('leaves the queue at once and gives its turn to the next caller', async () => {
    const limiter = new PacedLimiter({ limit: 1, windowMs: 500 });
    (await limiter.acquire()).answered();
    const leaving = new AbortController();
    const first = codeOf(limiter.acquire(leaving.signal));
    const second = limiter.acquire();
    expect(limiter.stats().queued).toBe(2);

    leaving.abort();
    expect(await first).toBe('CLIENT_CLOSED_REQUEST');
    expect(limiter.stats().queued).toBe(1);
    const started = performance.now();
    await second;
    // The next window's slot (500 ms on) went to the second caller; behind a caller that stayed,
    // it would have waited two windows (1,000 ms).
    expect(performance.now() - started).toBeLessThan(800);
    expect(limiter.stats().queued).toBe(0);
  });

  it('is refused at once when it has already gone', async () => {
    const limiter = new PacedLimiter({ limit: 5 });
    const gone = new AbortController();
    gone.abort();
    expect(await codeOf(limiter.acquire(gone.signal))).toBe('CLIENT_CLOSED_REQUEST');
    expect(limiter.stats().currentPerSecond).toBe(0);
  });

  it('hands a start time Redis gave it on to the next caller (shared budget)', async () => {
    // Redis answers only when the test says so, so the caller can leave mid-answer.
    // (The shared window answers at once that the call may leave.)
    const answers: ((value: [number, string, string]) => void)[] = [];
    const redis = {
      attempt: async (operation: (client: unknown) => Promise<unknown>) => {
        const client = {
          eval: (_script: string, _keys: number, key: string) =>
            key.includes('ratelimit-window') ? Promise.resolve([1, '0']) : new Promise((resolve) => answers.push(resolve)),
        };
        return { ok: true, value: await operation(client) };
      },
    } as unknown as SharedRedis;
    const limiter = sharedLimiter(redis, 'test', { limit: 1, maxWaitMs: 10_000 });
    const leaving = new AbortController();
    const first = codeOf(limiter.acquire(leaving.signal));
    const second = codeOf(limiter.acquire());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(answers).toHaveLength(2);

    leaving.abort();
    answers[0]?.([1, '50', String(performance.now())]);
    expect(await first).toBe('CLIENT_CLOSED_REQUEST');
    // The schedule is full for the second caller, but the first one's start time is free.
    answers[1]?.([0, '20000', String(performance.now())]);
    const asked = performance.now();
    expect(await second).toBe('granted');
    expect(performance.now() - asked).toBeLessThan(1_000);
    expect(limiter.stats()).toMatchObject({ queued: 0, throttled: 0 });
  });
});

describe('the shared budget when Redis stops answering', () => {
  it("goes by the instance's own guard after a short wait instead of holding every call for Redis's command timeout", async () => {
    // Start times come at once; the shared window never answers (a connected Redis that hangs).
    let next = 0;
    const redis = {
      attempt: async (operation: (client: unknown) => Promise<unknown>) => {
        const client = {
          eval: (_script: string, _keys: number, key: string) =>
            key.includes('ratelimit-window') ? new Promise(() => undefined) : Promise.resolve([1, String(next++ * 5), String(performance.now())]),
        };
        return { ok: true, value: await operation(client) };
      },
    } as unknown as SharedRedis;
    const limiter = sharedLimiter(redis, 'test', { limit: 100, maxWaitMs: 10_000 });
    const asked = performance.now();
    const codes = await Promise.all(Array.from({ length: 10 }, () => codeOf(limiter.acquire())));
    expect(codes).toEqual(Array(10).fill('granted'));
    // One wait of ADMISSION_TIMEOUT_MS (500 ms), then the schedule's pace (5 ms apart), not 10 × 1.5 s.
    expect(performance.now() - asked).toBeLessThan(1_500);
  });
});
