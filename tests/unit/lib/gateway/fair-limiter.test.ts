import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PacedLimiter, type CallLimiter } from '@/lib/gateway/rate-limiter';
import { sharedLimiter } from '@/lib/gateway/shared-rate-limiter';
import type { SharedRedis } from '@/lib/shared-state/redis';

/**
 * Fair use of one budget: waiting calls are served round-robin between callers, and no caller
 * holds more than its share of the queue, whatever the budget does meanwhile.
 */

interface Refusal {
  code?: string;
  retryAfter?: number;
  details?: { reason?: string };
}

/** Fires calls and records, in order, whose call was granted and when. */
function recorder(limiter: CallLimiter) {
  const granted: { caller: string; at: number }[] = [];
  const refused: { caller: string; error: Refusal }[] = [];
  const call = (caller: string, signal?: AbortSignal) =>
    limiter.acquire(signal, caller).then(
      (slot) => {
        // The provider answers at once.
        slot.answered();
        granted.push({ caller, at: performance.now() });
      },
      (error: Refusal) => {
        refused.push({ caller, error });
      },
    );
  return { granted, refused, call };
}

/** No more than `limit` grants in any rolling `windowMs` (a start exactly a window old has left it). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[first] as number) <= (sorted[last] as number) - windowMs) first += 1;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}

describe('the in-memory limiter with several callers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves waiting calls round-robin between callers, not in arrival order', async () => {
    const limiter = new PacedLimiter({ limit: 2, windowMs: 100, maxQueue: 100, maxQueuedPerCaller: 50 });
    const { granted, call } = recorder(limiter);
    const calls = [
      ...Array.from({ length: 5 }, () => call('greedy')),
      ...Array.from({ length: 5 }, () => call('busy')),
      call('normal'),
    ];
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all(calls);
    // The first call started at once; from then on each waiting caller takes one turn in order.
    expect(granted.map((grant) => grant.caller)).toEqual([
      'greedy',
      'greedy',
      'busy',
      'normal',
      'greedy',
      'busy',
      'greedy',
      'busy',
      'greedy',
      'busy',
      'busy',
    ]);
  });

  it("serves a newcomer's call within one turn of each busy caller, however long their backlog", async () => {
    const limit = 5;
    const windowMs = 1000;
    const limiter = new PacedLimiter({ limit, windowMs, maxQueue: 1000, maxWaitMs: 60_000 });
    const { granted, call } = recorder(limiter);
    const greedy = Array.from({ length: 200 }, () => call('greedy'));
    await vi.advanceTimersByTimeAsync(3 * windowMs);
    const before = granted.length;
    const asked = performance.now();
    const normal = call('normal');
    await vi.advanceTimersByTimeAsync(windowMs);
    await normal;
    const served = granted.findIndex((grant) => grant.caller === 'normal');
    expect(served).toBeGreaterThanOrEqual(before);
    // At most one greedy call went between the normal call's arrival and its start.
    expect(served - before).toBeLessThanOrEqual(1);
    expect((granted[served]?.at ?? Infinity) - asked).toBeLessThanOrEqual((2 * windowMs) / limit);
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(greedy);
  });

  it("refuses a caller's calls past its share of the queue at once, and only that caller's", async () => {
    const limiter = new PacedLimiter({ limit: 1, windowMs: 100, maxQueue: 100, maxQueuedPerCaller: 4 });
    const { granted, refused, call } = recorder(limiter);
    const greedy = Array.from({ length: 10 }, () => call('greedy'));
    // Refusals come before any time passes: nobody waits to learn they were refused.
    await vi.advanceTimersByTimeAsync(0);
    expect(granted.map((grant) => grant.caller)).toEqual(['greedy']);
    expect(refused).toHaveLength(5);
    for (const { caller, error } of refused) {
      expect(caller).toBe('greedy');
      expect(error.code).toBe('RATE_LIMITED');
      expect(error.details?.reason).toBe('caller_share');
      expect(error.retryAfter).toBeGreaterThanOrEqual(1);
    }
    expect(limiter.stats()).toMatchObject({ queued: 4, throttled: 5 });

    // Another caller still gets a place, and its call goes next.
    const normal = call('normal');
    expect(limiter.stats()).toMatchObject({ queued: 5, throttled: 5 });
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all([...greedy, normal]);
    expect(granted.map((grant) => grant.caller)).toEqual(['greedy', 'greedy', 'normal', 'greedy', 'greedy', 'greedy']);
    expect(limiter.stats()).toMatchObject({ queued: 0, throttled: 5 });
  });

  it('gives a caller a place in a full queue by refusing the newest call of a longer line, never of an even one', async () => {
    const limiter = new PacedLimiter({ limit: 1, windowMs: 100, maxQueue: 6, maxQueuedPerCaller: 6 });
    const { granted, refused, call } = recorder(limiter);
    const greedy = Array.from({ length: 7 }, () => call('greedy'));
    expect(limiter.stats().queued).toBe(6);
    const normal = call('normal');
    await vi.advanceTimersByTimeAsync(0);
    expect(refused.map((refusal) => [refusal.caller, refusal.error.code])).toEqual([['greedy', 'RATE_LIMITED']]);
    expect(limiter.stats()).toMatchObject({ queued: 6, throttled: 1 });
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all([...greedy, normal]);
    expect(granted.filter((grant) => grant.caller === 'normal')).toHaveLength(1);
    expect(granted.filter((grant) => grant.caller === 'greedy')).toHaveLength(6);

    // When the lines are already even, a full queue refuses the newcomer instead.
    const evenLimiter = new PacedLimiter({ limit: 1, windowMs: 100, maxQueue: 4, maxQueuedPerCaller: 4 });
    const even = recorder(evenLimiter);
    void even.call('a');
    for (const caller of ['a', 'b', 'a', 'b']) void even.call(caller);
    expect(evenLimiter.stats().queued).toBe(4);
    // 'b' has 2 waiting, the longest line 2: refusing one of 'a' would not make it fairer.
    void even.call('b');
    await vi.advanceTimersByTimeAsync(0);
    expect(even.refused.map((refusal) => refusal.caller)).toEqual(['b']);
    expect(evenLimiter.stats()).toMatchObject({ queued: 4, throttled: 1 });
  });

  it('a caller that leaves gives its turn to the others', async () => {
    const limiter = new PacedLimiter({ limit: 1, windowMs: 100, maxQueue: 100, maxQueuedPerCaller: 2 });
    const { granted, refused, call } = recorder(limiter);
    void call('greedy');
    const leaving = new AbortController();
    void call('normal', leaving.signal);
    void call('greedy');
    void call('greedy');
    void call('other');
    leaving.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(refused.map((refusal) => [refusal.caller, refusal.error.code])).toEqual([['normal', 'CLIENT_CLOSED_REQUEST']]);
    expect(limiter.stats().queued).toBe(3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(granted.map((grant) => grant.caller)).toEqual(['greedy', 'greedy', 'other', 'greedy']);
  });

  it('never lets more than the limit start in any rolling window, and serves every caller within one round', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.record({ caller: fc.integer({ min: 0, max: 4 }), afterMs: fc.integer({ min: 0, max: 120 }), count: fc.integer({ min: 1, max: 30 }) }), {
          minLength: 1,
          maxLength: 25,
        }),
        async (limit, bursts) => {
          const windowMs = 200;
          const limiter = new PacedLimiter({ limit, windowMs, maxQueue: 10_000, maxQueuedPerCaller: 10_000, maxWaitMs: 10_000_000 });
          const { granted, refused, call } = recorder(limiter);
          const asked: { caller: string; at: number }[] = [];
          const calls: Promise<void>[] = [];
          for (const burst of bursts) {
            await vi.advanceTimersByTimeAsync(burst.afterMs);
            for (let index = 0; index < burst.count; index += 1) {
              asked.push({ caller: `c${burst.caller}`, at: performance.now() });
              calls.push(call(`c${burst.caller}`));
            }
          }
          await vi.advanceTimersByTimeAsync(1_000_000);
          await Promise.all(calls);
          expect(refused).toEqual([]);
          expect(granted).toHaveLength(asked.length);
          expect(busiestWindow(granted.map((grant) => grant.at), windowMs)).toBeLessThanOrEqual(limit);
          // Round-robin: between two grants to one caller that had calls waiting the whole
          // time, every other caller gets at most one.
          const callers = new Set(granted.map((grant) => grant.caller));
          for (const caller of callers) {
            const mine = granted.map((grant, index) => (grant.caller === caller ? index : -1)).filter((index) => index >= 0);
            for (let turn = 1; turn < mine.length; turn += 1) {
              const between = granted.slice((mine[turn - 1] as number) + 1, mine[turn] as number);
              const perCaller = new Map<string, number>();
              for (const grant of between) perCaller.set(grant.caller, (perCaller.get(grant.caller) ?? 0) + 1);
              const ownAskedBefore = asked.filter((ask) => ask.caller === caller && ask.at <= (granted[mine[turn - 1] as number] as { at: number }).at).length;
              // Only while this caller's next call was already waiting does the bound apply.
              if (ownAskedBefore > turn) for (const count of perCaller.values()) expect(count).toBeLessThanOrEqual(1);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the shared (Redis) limiter with several callers', () => {
  /** A Redis whose schedule grants every start time asked for, 5 ms apart, answering at once (its clock is ours). */
  const schedulingRedis = () => {
    let next = 0;
    return {
      attempt: async (operation: (client: unknown) => Promise<unknown>) => {
        const client = { eval: async () => [1, String(next++ * 5), String(performance.now())] };
        return { ok: true, value: await operation(client) };
      },
    } as unknown as SharedRedis;
  };

  it('serves its waiting callers round-robin between them, with start times from Redis', async () => {
    const limiter = sharedLimiter(schedulingRedis(), 'test', { limit: 100, maxQueuedPerCaller: 50 });
    const { granted, call } = recorder(limiter);
    const calls = [...Array.from({ length: 4 }, () => call('greedy')), call('normal'), call('other')];
    await Promise.all(calls);
    // The first call's start time was now, but it leaves only once the shared window says so: by
    // then every call waits, and they go round-robin.
    expect(granted.map((grant) => grant.caller)).toEqual(['greedy', 'normal', 'other', 'greedy', 'greedy', 'greedy']);
  });

  it("refuses a caller's calls past its share at once, counting calls still asking Redis, as throttled", async () => {
    const limiter = sharedLimiter(schedulingRedis(), 'test', { limit: 100, maxQueuedPerCaller: 3 });
    const { granted, refused, call } = recorder(limiter);
    const calls = Array.from({ length: 5 }, () => call('greedy'));
    expect(limiter.stats()).toMatchObject({ queued: 3, throttled: 2 });
    const normal = call('normal');
    await Promise.all([...calls, normal]);
    expect(refused.map((refusal) => [refusal.caller, refusal.error.code, refusal.error.details?.reason])).toEqual([
      ['greedy', 'RATE_LIMITED', 'caller_share'],
      ['greedy', 'RATE_LIMITED', 'caller_share'],
    ]);
    expect(granted.map((grant) => grant.caller)).toEqual(['greedy', 'normal', 'greedy', 'greedy']);
    expect(limiter.stats()).toMatchObject({ queued: 0, throttled: 2 });
  });

  it('refuses at once, with the wait Redis reported as Retry-After, a call the schedule cannot fit within the bound', async () => {
    const redis = {
      attempt: async (operation: (client: unknown) => Promise<unknown>) => ({ ok: true, value: await operation({ eval: async () => [0, '12345.5', String(performance.now())] }) }),
    } as unknown as SharedRedis;
    const limiter = sharedLimiter(redis, 'test', { limit: 1, maxWaitMs: 10_000 });
    const { refused, call } = recorder(limiter);
    await call('someone');
    expect(refused.map((refusal) => [refusal.error.code, refusal.error.retryAfter])).toEqual([['RATE_LIMITED', 13]]);
    expect(limiter.stats()).toMatchObject({ queued: 0, throttled: 1 });
  });
});
