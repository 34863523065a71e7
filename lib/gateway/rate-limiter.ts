import { AppError } from '@/lib/errors';

export interface RateLimiterOptions {
  /** Calls allowed in any rolling window. */
  limit: number;
  windowMs?: number;
  /** Callers waiting beyond this many are refused at once. */
  maxQueue?: number;
  /** A caller that would wait longer than this is refused. */
  maxWaitMs?: number;
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
   * queue (its turn goes to the next one) and gets CLIENT_CLOSED_REQUEST.
   */
  acquire(signal?: AbortSignal): Promise<void>;
  stats(): RateLimiterStats;
}

export interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  deadline: number;
  signal?: AbortSignal;
}

/** Queues a waiter that leaves `queue` (and is refused) if `signal` aborts before its turn. */
export function enqueue(queue: Waiter[], deadline: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (!signal) {
      queue.push({ resolve, reject, deadline });
      return;
    }
    const leave = () => {
      removeWaiter(queue, waiter);
      reject(new AppError('CLIENT_CLOSED_REQUEST'));
    };
    const settle = () => signal.removeEventListener('abort', leave);
    const waiter: Waiter = {
      resolve: () => {
        settle();
        resolve();
      },
      reject: (error) => {
        settle();
        reject(error);
      },
      deadline,
      signal,
    };
    queue.push(waiter);
    signal.addEventListener('abort', leave, { once: true });
  });
}

/** Takes `waiter` out of `queue`; false when it was no longer there (it left). */
export function removeWaiter(queue: Waiter[], waiter: Waiter): boolean {
  const index = queue.indexOf(waiter);
  if (index < 0) return false;
  queue.splice(index, 1);
  return true;
}

/** Refuses a caller that has already gone. */
export function alreadyGone(signal: AbortSignal | undefined): Promise<never> | null {
  return signal?.aborted ? Promise.reject(new AppError('CLIENT_CLOSED_REQUEST')) : null;
}

/**
 * A sliding-log limiter: at most `limit` calls start in any rolling `windowMs`, counted the way
 * the provider counts them. Callers beyond that wait in a bounded FIFO queue; past the queue's
 * size or wait they get 503 with Retry-After.
 */
export class SlidingWindowLimiter implements CallLimiter {
  private readonly starts: number[] = [];
  /** Pacing (GCRA): the theoretical time of the next call, so a full window is not one burst. */
  private nextAt = 0;
  private readonly pace: Pace;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private throttled = 0;
  private readonly windowMs: number;
  private readonly maxQueue: number;
  private readonly maxWaitMs: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.windowMs = options.windowMs ?? 1000;
    this.maxQueue = options.maxQueue ?? 500;
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
    this.pace = pacing(options.limit, this.windowMs);
  }

  acquire(signal?: AbortSignal): Promise<void> {
    const gone = alreadyGone(signal);
    if (gone) return gone;
    const now = performance.now();
    this.prune(now);
    if (this.queue.length === 0 && this.waitMs(now) === 0) {
      this.grant(now);
      return Promise.resolve();
    }
    // The wait if every queued caller ahead takes its turn.
    const ahead = this.queue.length + this.starts.length - this.options.limit + 1;
    const estimatedWaitMs = Math.ceil(ahead / this.options.limit) * this.windowMs;
    if (this.queue.length >= this.maxQueue || estimatedWaitMs > this.maxWaitMs) {
      this.throttled += 1;
      return Promise.reject(this.busy());
    }
    const waiting = enqueue(this.queue, now + this.maxWaitMs, signal);
    this.schedule();
    return waiting;
  }

  stats(): RateLimiterStats {
    this.prune(performance.now());
    return {
      limitPerSecond: Math.round((this.options.limit * 1000) / this.windowMs),
      currentPerSecond: this.starts.length,
      queued: this.queue.length,
      throttled: this.throttled,
    };
  }

  private busy(): AppError {
    return new AppError('RATE_LIMITED', {
      message: 'WellView is at its call limit right now. Please retry in a moment.',
      retryAfter: Math.max(1, Math.ceil(this.maxWaitMs / 1000 / 2)),
    });
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
    if (this.timer || this.queue.length === 0) return;
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
    while (this.queue.length > 0 && this.waitMs(now) === 0) {
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
