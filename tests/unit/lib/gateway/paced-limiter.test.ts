import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANSWER_WAIT_CAP_MS, GRANT_GUARD_MS, LocalSlots, PacedLimiter, SAFETY_MARGIN_MS, slotInterval, type Admission, type SharedWindow, type SlotSource } from '@/lib/gateway/rate-limiter';

/**
 * The budget used and the wait bounded: under sustained demand the limiter lets go the whole
 * budget but its margin, never more than the limit in any window, and no call waits beyond
 * `maxWaitMs` (those that could not leave in time are refused at once).
 */

interface Refusal {
  code?: string;
  retryAfter?: number;
}

function recorder(limiter: PacedLimiter) {
  const granted: { caller: string; asked: number; at: number }[] = [];
  const refused: { caller: string; asked: number; at: number; error: Refusal }[] = [];
  const call = (caller: string) => {
    const asked = performance.now();
    return limiter.acquire(undefined, caller).then(
      (slot) => {
        // The provider answers at once.
        slot.answered();
        granted.push({ caller, asked, at: performance.now() });
      },
      (error: Refusal) => {
        refused.push({ caller, asked, at: performance.now(), error });
      },
    );
  };
  return { granted, refused, call };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the paced limiter under sustained demand', () => {
  it('lets go the whole budget but the margin, and every call is a window plus the margin after the one `limit` places before it', async () => {
    const limit = 18;
    const limiter = new PacedLimiter({ limit, windowMs: 1000, maxQueue: 1000, maxWaitMs: 10_000 });
    const { granted, refused, call } = recorder(limiter);
    // 100 calls a second for 10 s; a refusal counts as at once when it came within acquire().
    const calls: Promise<void>[] = [];
    let refusedAtOnce = 0;
    for (let index = 0; index < 1000; index += 1) {
      const before = limiter.stats().throttled;
      calls.push(call('someone'));
      if (limiter.stats().throttled > before) refusedAtOnce += 1;
      await vi.advanceTimersByTimeAsync(10);
    }
    const inDemand = granted.filter((grant) => grant.at < 10_000).length;
    expect(inDemand / 10).toBeGreaterThanOrEqual((limit * 1000) / (1000 + SAFETY_MARGIN_MS) - 0.2);
    for (let index = limit; index < granted.length; index += 1) {
      expect((granted[index]?.at as number) - (granted[index - limit]?.at as number)).toBeGreaterThanOrEqual(1000 + SAFETY_MARGIN_MS - 1);
    }
    await vi.advanceTimersByTimeAsync(20_000);
    await Promise.all(calls);
    // Nobody waited past the bound; those that could not leave within it were refused at once.
    expect(Math.max(...granted.map((grant) => grant.at - grant.asked))).toBeLessThanOrEqual(10_000);
    expect(refused.length).toBeGreaterThan(500);
    expect(refusedAtOnce).toBe(refused.length);
    for (const refusal of refused) {
      expect(refusal.error.code).toBe('RATE_LIMITED');
      expect(refusal.error.retryAfter).toBeGreaterThanOrEqual(1);
    }
    expect(granted.length + refused.length).toBe(1000);
  });

  it('refuses at once a call that could not leave within the bound, with its wait as Retry-After', async () => {
    // 10 a second with a 5 ms margin: one call every 100.5 ms.
    const limiter = new PacedLimiter({ limit: 10, windowMs: 1000, marginMs: 5, maxQueue: 1000, maxWaitMs: 2_100 });
    const { granted, refused, call } = recorder(limiter);
    const calls = Array.from({ length: 30 }, () => call('someone'));
    await vi.advanceTimersByTimeAsync(0);
    // The first goes at once; 20 more fit in 2.1 s; the rest learn it before any time passes.
    expect(granted).toHaveLength(1);
    expect(refused).toHaveLength(9);
    expect(refused.map((refusal) => refusal.error.retryAfter)).toEqual(Array(9).fill(3));
    expect(limiter.stats()).toMatchObject({ queued: 20, throttled: 9 });
    await vi.advanceTimersByTimeAsync(2_200);
    await Promise.all(calls);
    expect(granted).toHaveLength(21);
    expect(Math.max(...granted.map((grant) => grant.at - grant.asked))).toBeLessThanOrEqual(2_100);
  });

  it('refuses a call that fair ordering pushed past the bound when its time is up, and lets no call wait longer', async () => {
    const limiter = new PacedLimiter({ limit: 10, windowMs: 1000, marginMs: 0, maxQueue: 1000, maxWaitMs: 950 });
    const { granted, refused, call } = recorder(limiter);
    const greedy = Array.from({ length: 10 }, () => call('greedy'));
    await vi.advanceTimersByTimeAsync(50);
    // Another user's call fits in the bound, and goes before most of the greedy backlog...
    const normal = call('normal');
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all([...greedy, normal]);
    expect(granted.findIndex((grant) => grant.caller === 'normal')).toBe(2);
    // ...which pushes the greedy user's last call past its bound: refused then, not served late.
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ caller: 'greedy', asked: 0, error: { code: 'RATE_LIMITED' } });
    // (At the bound plus a timer's grace, before the start time it was pushed back to.)
    expect(refused[0]?.at).toBeGreaterThanOrEqual(950);
    expect(refused[0]?.at).toBeLessThan(1000);
    expect(Math.max(...granted.map((grant) => grant.at - grant.asked))).toBeLessThanOrEqual(950);
    expect(limiter.stats()).toMatchObject({ queued: 0, throttled: 1 });
  });
});

describe('the paced limiter and a provider that counts calls late', () => {
  it('lets the call `limit` places on go only a window after the earlier call was answered', async () => {
    const limit = 5;
    const limiter = new PacedLimiter({ limit, windowMs: 1000, maxQueue: 1000, maxWaitMs: 10_000 });
    const slots: { at: number; answered: () => void }[] = [];
    const calls = Array.from({ length: limit + 1 }, () =>
      limiter.acquire(undefined, 'someone').then((slot) => {
        slots.push({ at: performance.now(), answered: () => slot.answered() });
      }),
    );
    // The first call's answer takes 60 ms (the provider may have counted it that late); the
    // others come back at once.
    await vi.advanceTimersByTimeAsync(0);
    expect(slots).toHaveLength(1);
    setTimeout(() => slots[0]?.answered(), 60);
    for (let step = 0; step < 100 && slots.length < limit; step += 1) {
      await vi.advanceTimersByTimeAsync(10);
      for (const slot of slots.slice(1)) slot.answered();
    }
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all(calls);
    // By the schedule alone it would have gone at 1,025 ms; it waited for the answer's window.
    expect(slots[limit]?.at).toBeGreaterThanOrEqual(60 + 1000 + 1);
    expect(slots[limit]?.at).toBeLessThan(60 + 1000 + 20);
  });

  it('waits at most a capped time for an answer that does not come', async () => {
    const limiter = new PacedLimiter({ limit: 2, windowMs: 1000, maxQueue: 1000, maxWaitMs: 10_000 });
    const times: number[] = [];
    const calls = Array.from({ length: 3 }, () => limiter.acquire(undefined, 'someone').then(() => void times.push(performance.now())));
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(calls);
    expect(times[2]).toBeGreaterThanOrEqual(ANSWER_WAIT_CAP_MS + 1000);
    expect(times[2]).toBeLessThan(ANSWER_WAIT_CAP_MS + 1000 + 20);
  });
});

describe('the paced limiter after a stall of its own process', () => {
  it('presumes an unanswered call counted when its cap timer actually runs, not at the nominal cap time', async () => {
    // Real timers: the stall is this process busy, which fake timers cannot show.
    vi.useRealTimers();
    const windowMs = 200;
    const capMs = 100;
    const limiter = new PacedLimiter({ limit: 2, windowMs, maxQueue: 100, maxWaitMs: 10_000, answerWaitCapMs: capMs });
    const started = performance.now();
    const grantedAt: number[] = [];
    // The first call is let go and never answered (it could not even leave during the stall).
    const calls = Array.from({ length: 3 }, () => limiter.acquire(undefined, 'someone').then(() => void grantedAt.push(performance.now() - started)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The process is busy for 3 caps: the first call's cap timer can only run when it ends.
    const busyUntil = performance.now() + 3 * capMs;
    while (performance.now() < busyUntil) {
      // busy
    }
    const stallEnded = performance.now() - started;
    await Promise.all(calls);
    // By the nominal cap (100 ms after it left) the third call could go right after the stall;
    // it waits a window after the stall instead, when the provider may have counted the first.
    expect(grantedAt[2]).toBeGreaterThanOrEqual(stallEnded + windowMs);
  });
});

/**
 * The shared window as the Redis script keeps it (lib/gateway/shared-rate-limiter.ts), in memory:
 * each call scored with when it leaves the reckoning, the cap until its answer comes.
 */
class MemoryWindow implements SharedWindow {
  private readonly calls = new Map<string, number>();
  private count = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly busy = 2,
  ) {}

  busyInstances(): number {
    return this.busy;
  }

  admit(): Promise<Admission> {
    const now = performance.now();
    for (const [call, until] of this.calls) if (until <= now - this.windowMs) this.calls.delete(call);
    if (this.calls.size >= this.limit) return Promise.resolve({ ok: false, waitMs: Math.min(...this.calls.values()) + this.windowMs - now });
    const call = String((this.count += 1));
    this.calls.set(call, now + ANSWER_WAIT_CAP_MS);
    return Promise.resolve({ ok: true, call });
  }

  answered(call: string): void {
    const until = this.calls.get(call);
    const at = performance.now() + GRANT_GUARD_MS;
    if (until !== undefined && until > at) this.calls.set(call, at);
  }

  release(call: string): void {
    this.calls.delete(call);
  }
}

/** A window that never says no: what each instance had before the window was shared. */
const unguarded: SharedWindow = { busyInstances: () => 2, admit: () => Promise.resolve({ ok: true }), answered: () => undefined, release: () => undefined };

function twoInstances(limit: number, windowMs: number, window: SharedWindow, maxWaitMs = 60_000) {
  const schedule = new LocalSlots(slotInterval(limit, windowMs, SAFETY_MARGIN_MS));
  const source: SlotSource = { shared: window, reserve: (wait) => schedule.reserve(wait) };
  const options = { limit, windowMs, maxQueue: 1000, maxQueuedPerCaller: 1000, maxWaitMs };
  return [new PacedLimiter(options, source), new PacedLimiter(options, source)] as const;
}

describe('two instances on one shared schedule', () => {
  it("serves a light user on the instance whose backlog came second within about a window, not behind the other instance's backlog", async () => {
    const limit = 10;
    const windowMs = 1000;
    const [first, second] = twoInstances(limit, windowMs, new MemoryWindow(limit, windowMs));
    const answerAtOnce = (slot: { answered(): void }) => slot.answered();
    // One instance takes a backlog of 100 calls; a moment later the other takes 100 more and then
    // a light user's call.
    const backlog = Array.from({ length: 100 }, () => first.acquire(undefined, 'greedy').then(answerAtOnce));
    await vi.advanceTimersByTimeAsync(1);
    const more = Array.from({ length: 100 }, () => second.acquire(undefined, 'greedy').then(answerAtOnce));
    let lightAt = Number.NaN;
    const asked = performance.now();
    const light = second.acquire(undefined, 'light').then((slot) => {
      lightAt = performance.now() - asked;
      slot.answered();
    });
    await vi.advanceTimersByTimeAsync(30_000);
    await Promise.all([...backlog, ...more, light]);
    // Reserving every arrival at once put it behind the first instance's 100 calls (~10 s).
    expect(lightAt).toBeLessThan(2.5 * windowMs);
  });

  /**
   * Both instances busy; the provider stalls for 600 ms and then counts at once every call that
   * reached it meanwhile. Each instance holds back only after `limit` calls of its own are
   * unanswered, so without the shared window the provider counted 27 in one second (limit 18).
   */
  async function busiestSecond(window: SharedWindow): Promise<{ busiest: number; granted: number }> {
    const limit = 18;
    const windowMs = 1000;
    const instances = twoInstances(limit, windowMs, window);
    const started = performance.now();
    const stall = { from: started + 2000, to: started + 2600 };
    const counted: number[] = [];
    const calls = Array.from({ length: 160 }, (_, index) =>
      (instances[index % 2] as PacedLimiter).acquire(undefined, `user-${index % 7}`).then((slot) => {
        const now = performance.now();
        const at = now >= stall.from && now < stall.to ? stall.to : now;
        counted.push(at);
        setTimeout(() => slot.answered(), at - now);
      }),
    );
    await vi.advanceTimersByTimeAsync(15_000);
    await Promise.all(calls);
    counted.sort((a, b) => a - b);
    let busiest = 0;
    for (let start = 0, end = 0; end < counted.length; end += 1) {
      while ((counted[start] as number) <= (counted[end] as number) - windowMs) start += 1;
      busiest = Math.max(busiest, end - start + 1);
    }
    return { busiest, granted: counted.length };
  }

  it('never lets the provider count more than the limit in a second when it counts calls late', async () => {
    const limit = 18;
    const without = await busiestSecond(unguarded);
    const shared = await busiestSecond(new MemoryWindow(limit, 1000));
    expect(without.busiest).toBeGreaterThan(limit);
    expect(shared.granted).toBe(160);
    expect(shared.busiest).toBeLessThanOrEqual(limit);
  });
});
