import 'server-only';
import { randomUUID } from 'node:crypto';
import { AppError } from '@/lib/errors';
import { KEY_PREFIX, type SharedRedis } from '@/lib/shared-state/redis';
import { FairQueue, NO_CALLER } from '@/lib/gateway/fair-queue';
import {
  alreadyGone,
  defaultQueuedPerCaller,
  makeRoom,
  pacing,
  queueBusy,
  shareUsed,
  type CallLimiter,
  type Pace,
  type RateLimiterOptions,
  type RateLimiterStats,
  type SlidingWindowLimiter,
} from '@/lib/gateway/rate-limiter';

/**
 * One atomic step of the shared sliding log and pace, on Redis's own clock so that every
 * instance counts the same window: drop starts older than the window, then take a slot if one is
 * free and the pace (KEYS[2], the next call's theoretical time) allows it. Answers
 * `{ granted, count, waitMs }`.
 */
const TAKE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local interval = tonumber(ARGV[4])
local tolerance = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local nextAt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nextAt < now then nextAt = now end
local paceWait = nextAt - tolerance - now
if count < limit and paceWait <= 0 then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window * 2)
  redis.call('SET', KEYS[2], tostring(nextAt + interval), 'PX', window * 2)
  return {1, count + 1, 0}
end
local logWait = 0
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  logWait = tonumber(oldest[2]) + window - now
end
return {0, count, math.ceil(math.max(logWait, paceWait, 1))}
`;

/**
 * The subscription key's budget shared by every instance: at most `limit` calls start in any
 * rolling window across all of them. Callers queue here as in memory (bounded, round-robin between
 * callers, a bounded share each) and one drain loop per instance asks Redis for slots on behalf
 * of the caller whose turn it is. While Redis is down, the per-instance
 * limiter takes over, so a Redis blip slows nobody down for long and fails no request.
 */
export class SharedWindowLimiter implements CallLimiter {
  private readonly queue = new FairQueue();
  private draining = false;
  private throttled = 0;
  private lastCount = 0;
  private readonly windowMs: number;
  private readonly maxQueue: number;
  private readonly maxWaitMs: number;
  private readonly maxQueuedPerCaller: number;
  private readonly pace: Pace;

  constructor(
    private readonly redis: SharedRedis,
    /** A keyed hash naming the budget (never the subscription key itself). */
    private readonly budget: string,
    private readonly options: RateLimiterOptions,
    private readonly fallback: SlidingWindowLimiter,
  ) {
    this.windowMs = options.windowMs ?? 1000;
    this.maxQueue = options.maxQueue ?? 500;
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
    this.maxQueuedPerCaller = options.maxQueuedPerCaller ?? defaultQueuedPerCaller(this.maxQueue);
    this.pace = pacing(options.limit, this.windowMs);
  }

  acquire(signal?: AbortSignal, caller: string = NO_CALLER): Promise<void> {
    const gone = alreadyGone(signal);
    if (gone) return gone;
    if (this.queue.queuedBy(caller) >= this.maxQueuedPerCaller) {
      this.throttled += 1;
      return Promise.reject(shareUsed(this.queue, caller, this.options.limit, this.windowMs, this.maxWaitMs));
    }
    if (this.queue.size >= this.maxQueue && !makeRoom(this.queue, caller, () => this.refuseQueued())) {
      this.throttled += 1;
      return Promise.reject(this.busy());
    }
    const waiting = this.queue.add(caller, performance.now() + this.maxWaitMs, signal);
    void this.drain();
    return waiting;
  }

  stats(): RateLimiterStats {
    const local = this.fallback.stats();
    return {
      limitPerSecond: Math.round((this.options.limit * 1000) / this.windowMs),
      currentPerSecond: Math.max(this.lastCount, local.currentPerSecond),
      queued: this.queue.size + local.queued,
      throttled: this.throttled + local.throttled,
    };
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let head = this.queue.peek(); head; head = this.queue.peek()) {
        if (head.deadline < performance.now()) {
          this.queue.take(head);
          this.throttled += 1;
          head.reject(this.busy());
          continue;
        }
        const step = await this.redis.attempt(
          (client) =>
            client.eval(
              TAKE_SLOT,
              2,
              `${KEY_PREFIX}ratelimit:${this.budget}`,
              `${KEY_PREFIX}ratelimit-pace:${this.budget}`,
              String(this.windowMs),
              String(this.options.limit),
              randomUUID(),
              String(this.pace.intervalMs),
              String(this.pace.toleranceMs),
            ) as Promise<[number, number, number]>,
        );
        // The head may have left (its browser went away) while Redis answered.
        if (!step.ok) {
          // Redis is down: this waiter (and the next ones, as they come) use the local budget.
          if (this.queue.take(head)) this.fallback.acquire(head.signal, head.caller).then(head.resolve, head.reject);
          continue;
        }
        const [granted, count, waitMs] = step.value;
        this.lastCount = count;
        if (granted === 1) {
          // A slot taken for a waiter that left goes to the next in turn rather than to waste.
          const taker = this.queue.take(head) ? head : this.queue.shift();
          taker?.resolve();
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(waitMs, this.windowMs))));
      }
    } finally {
      this.draining = false;
    }
  }

  private busy(): AppError {
    return queueBusy(this.maxWaitMs);
  }

  /** The refusal for a waiter pushed out of a full queue (it counts as throttled too). */
  private refuseQueued(): AppError {
    this.throttled += 1;
    return this.busy();
  }
}
