import { AppError } from '@/lib/errors';
import { FairQueue, NO_CALLER, type Waiter } from '@/lib/gateway/fair-queue';

export interface RateLimiterOptions {
  /** Calls allowed in any rolling window. */
  limit: number;
  windowMs?: number;
  /** Callers waiting beyond this many are refused at once. */
  maxQueue?: number;
  /** A caller that would wait longer than this is refused. */
  maxWaitMs?: number;
  /**
   * Calls one caller (one user) may have waiting at once; beyond it, that caller's extra calls
   * are refused at once. Default: a quarter of the queue, at least 10.
   */
  maxQueuedPerCaller?: number;
}

/** The per-caller share of the queue when none is configured: a quarter of it, at least 10. */
export function defaultQueuedPerCaller(maxQueue: number): number {
  return Math.max(10, Math.floor(maxQueue / 4));
}

export interface RateLimiterStats {
  limitPerSecond: number;
  currentPerSecond: number;
  queued: number;
  throttled: number;
}

/**
 * Calls that may start at once before the spacing applies. 1 = strictly even spacing: with a
 * burst of 4, jitter between us and the provider let it count 21 to 23 calls in one second
 * under load (tests/integration/redis), over its limit of 20.
 */
export const BURST = 1;

export interface Pace {
  intervalMs: number;
  toleranceMs: number;
}

/**
 * Even spacing on top of the window's count. A window's whole budget sent in one burst arrives
 * at the provider as one burst too, and any delay on the way can then push two windows' worth
 * into one of its seconds; spaced calls leave room for that jitter.
 */
export function pacing(limit: number, windowMs: number): Pace {
  const intervalMs = windowMs / limit;
  return { intervalMs, toleranceMs: (Math.min(BURST, limit) - 1) * intervalMs };
}

/** Anything that hands out permission to make one call (in memory, or shared through Redis). */
export interface CallLimiter {
  /**
   * Resolves when the call may start. A caller whose `signal` aborts while it waits leaves the
   * queue (its turn goes to the next one) and gets CLIENT_CLOSED_REQUEST. `caller` names whose
   * call it is (the user's subject id): waiting calls are served round-robin between callers, and
   * each caller may hold only a bounded share of the queue. Calls without one share one line.
   */
  acquire(signal?: AbortSignal, caller?: string): Promise<void>;
  stats(): RateLimiterStats;
}

/** Refuses a caller that has already gone. */
export function alreadyGone(signal: AbortSignal | undefined): Promise<never> | null {
  return signal?.aborted ? Promise.reject(new AppError('CLIENT_CLOSED_REQUEST')) : null;
}

/** The refusal for a call when the queue as a whole is full or too slow. */
export function queueBusy(maxWaitMs: number): AppError {
  return new AppError('RATE_LIMITED', {
    message: 'WellView is at its call limit right now. Please retry in a moment.',
    retryAfter: Math.max(1, Math.ceil(maxWaitMs / 1000 / 2)),
  });
}

/**
 * The refusal for a caller that already has its whole share of the queue waiting: Retry-After is
 * about when its own backlog will have gone at the current pace.
 */
export function shareUsed(queue: FairQueue, caller: string, limit: number, windowMs: number, maxWaitMs: number): AppError {
  const drainSeconds = Math.ceil(((queue.ahead(caller) / limit) * windowMs) / 1000);
  return new AppError('RATE_LIMITED', {
    message: 'You have too many WellView calls waiting already. Please retry in a moment.',
    retryAfter: Math.min(Math.max(1, drainSeconds), Math.max(1, Math.ceil(maxWaitMs / 1000))),
    details: { reason: 'caller_share' },
  });
}

/**
 * Frees a place in a full queue for `caller` when that is fair: the newest call of the longest
 * line leaves (it is answered `refusal`) if that line is longer than `caller`'s would be, so a
 * full queue ends up shared evenly rather than held by whoever filled it first. False when the
 * caller must be refused instead.
 */
export function makeRoom(queue: FairQueue, caller: string, refusal: () => AppError): boolean {
  const longest = queue.longest();
  if (!longest || longest.length <= queue.queuedBy(caller) + 1) return false;
  queue.popNewest(longest.caller)?.reject(refusal());
  return true;
}

/**
 * A sliding-log limiter: at most `limit` calls start in any rolling `windowMs`, counted the way
 * the provider counts them. Callers beyond that wait in a bounded queue, served round-robin between
 * callers (`FairQueue`), each caller holding at most `maxQueuedPerCaller` places; past its share,
 * the queue's size or its wait they get 503 with Retry-After.
 */
export class SlidingWindowLimiter implements CallLimiter {
  private readonly starts: number[] = [];
  /** Pacing (GCRA): the theoretical time of the next call, so a full window is not one burst. */
  private nextAt = 0;
  private readonly pace: Pace;
  private readonly queue = new FairQueue();
  private timer: NodeJS.Timeout | undefined;
  private throttled = 0;
  private readonly windowMs: number;
  private readonly maxQueue: number;
  private readonly maxWaitMs: number;
  private readonly maxQueuedPerCaller: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.windowMs = options.windowMs ?? 1000;
    this.maxQueue = options.maxQueue ?? 500;
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
    this.maxQueuedPerCaller = options.maxQueuedPerCaller ?? defaultQueuedPerCaller(this.maxQueue);
    this.pace = pacing(options.limit, this.windowMs);
  }

  acquire(signal?: AbortSignal, caller: string = NO_CALLER): Promise<void> {
    const gone = alreadyGone(signal);
    if (gone) return gone;
    const now = performance.now();
    this.prune(now);
    if (this.queue.size === 0 && this.waitMs(now) === 0) {
      this.grant(now);
      return Promise.resolve();
    }
    if (this.queue.queuedBy(caller) >= this.maxQueuedPerCaller) {
      this.throttled += 1;
      return Promise.reject(shareUsed(this.queue, caller, this.options.limit, this.windowMs, this.maxWaitMs));
    }
    // The wait if every queued caller served before this one takes its turn.
    const ahead = this.queue.ahead(caller) + this.starts.length - this.options.limit + 1;
    const estimatedWaitMs = Math.ceil(ahead / this.options.limit) * this.windowMs;
    if (estimatedWaitMs > this.maxWaitMs || (this.queue.size >= this.maxQueue && !makeRoom(this.queue, caller, () => this.refuseQueued()))) {
      this.throttled += 1;
      return Promise.reject(this.busy());
    }
    const waiting = this.queue.add(caller, now + this.maxWaitMs, signal);
    this.schedule();
    return waiting;
  }

  stats(): RateLimiterStats {
    this.prune(performance.now());
    return {
      limitPerSecond: Math.round((this.options.limit * 1000) / this.windowMs),
      currentPerSecond: this.starts.length,
      queued: this.queue.size,
      throttled: this.throttled,
    };
  }

  private busy(): AppError {
    return queueBusy(this.maxWaitMs);
  }

  /** The refusal for a waiter pushed out of a full queue (it counts as throttled too). */
  private refuseQueued(): AppError {
    this.throttled += 1;
    return this.busy();
  }

  private prune(now: number): void {
    while (this.starts.length > 0 && (this.starts[0] as number) <= now - this.windowMs) this.starts.shift();
  }

  /** How long until the next call may start: 0 when a slot is free and the pace allows it. */
  private waitMs(now: number): number {
    const oldest = this.starts[0];
    const logWait = this.starts.length < this.options.limit || oldest === undefined ? 0 : oldest + this.windowMs - now;
    const paceWait = Math.max(this.nextAt, now) - this.pace.toleranceMs - now;
    return Math.max(0, logWait, paceWait);
  }

  private grant(now: number): void {
    this.starts.push(now);
    this.nextAt = Math.max(this.nextAt, now) + this.pace.intervalMs;
  }

  private schedule(): void {
    if (this.timer || this.queue.size === 0) return;
    const now = performance.now();
    this.prune(now);
    const delay = this.waitMs(now);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, Math.max(0, Math.ceil(delay)));
  }

  private drain(): void {
    const now = performance.now();
    this.prune(now);
    while (this.queue.size > 0 && this.waitMs(now) === 0) {
      const next = this.queue.shift() as Waiter;
      if (next.deadline < now) {
        this.throttled += 1;
        next.reject(this.busy());
        continue;
      }
      this.grant(now);
      next.resolve();
    }
    this.schedule();
  }
}
