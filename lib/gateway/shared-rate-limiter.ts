import 'server-only';
import { KEY_PREFIX, type SharedRedis } from '@/lib/shared-state/redis';
import { randomUUID } from 'node:crypto';
import {
  ADMISSION_TIMEOUT_MS,
  ANSWER_WAIT_CAP_MS,
  GRANT_GUARD_MS,
  LocalSlots,
  PacedLimiter,
  SAFETY_MARGIN_MS,
  slotInterval,
  type Admission,
  type RateLimiterOptions,
  type Reservation,
  type SharedWindow,
  type SlotSource,
} from '@/lib/gateway/rate-limiter';

/**
 * Takes the next start time of the shared schedule, on Redis's own clock so that every instance
 * reads the same one: KEYS[1] holds the next free start (ms, GCRA's "theoretical arrival time");
 * the caller gets the later of it and now, if that is at most ARGV[2] ms away, and the schedule
 * moves on by ARGV[1]. KEYS[2] notes the instance (ARGV[4]) as busy and answers how many were in
 * the last two windows. Answers `{ 1 | 0, wait, now, busy }` (ms, as text to keep fractions;
 * `now` is Redis's clock, for the instance to place the start on its own).
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
redis.call('ZADD', KEYS[2], string.format('%.3f', now), ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%.3f', now - 2 * window))
redis.call('PEXPIRE', KEYS[2], math.ceil(2 * window))
local busy = redis.call('ZCARD', KEYS[2])
local at = tonumber(redis.call('GET', KEYS[1]) or '0')
if at < now then at = now end
local wait = at - now
if wait > maxWait then return {0, string.format('%.3f', wait), string.format('%.3f', now), busy} end
redis.call('SET', KEYS[1], string.format('%.3f', at + interval), 'PX', math.ceil(wait + interval + window))
return {1, string.format('%.3f', wait), string.format('%.3f', now), busy}
`;

/**
 * The shared window (see SharedWindow): KEYS[1] is a sorted set of the budget's calls, each
 * scored with the time it leaves the window's reckoning (ms, Redis's clock): a call that leaves
 * now is scored now + ARGV[4] (the answer cap) until its answer comes. A call may leave if fewer
 * than ARGV[3] calls are scored after now - ARGV[2] (the window); it is recorded as ARGV[1].
 * Answers `{ 1, 0 }`, or `{ 0, wait }` with the ms until the earliest call leaves the window.
 */
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local window = tonumber(ARGV[2])
local cap = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.3f', now - window))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, string.format('%.3f', tonumber(first[2]) + window - now)}
end
redis.call('ZADD', KEYS[1], string.format('%.3f', now + cap), ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil(cap + window + 1000))
return {1, '0'}
`;

/**
 * A call's answer came (ARGV[1]): it now leaves the window's reckoning ARGV[2] ms (the grant
 * guard) from now, if that is sooner than it was to.
 */
const ANSWERED = `
local t = redis.call('TIME')
local at = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 + tonumber(ARGV[2])
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) > at then redis.call('ZADD', KEYS[1], string.format('%.3f', at), ARGV[1]) end
return 0
`;

/** A call admitted that never left (RELEASE): it leaves the window's reckoning now. */
const RELEASE = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

/** After the window did not answer in time, the instance goes by its own guard alone this long. */
const WINDOW_PAUSE_MS = 5_000;

/** How far the clock offset may rise per answer (ms), to follow a clock that moves. */
const OFFSET_DRIFT_MS = 0.05;

/** The budget's figures the shared schedule and window work with (ms). */
interface SharedBudget {
  /** A keyed hash naming the budget (never the subscription key itself). */
  name: string;
  limit: number;
  intervalMs: number;
  windowMs: number;
  answerWaitCapMs: number;
  guardMs: number;
}

/**
 * Start times from one schedule shared by every instance through Redis: one Redis command per
 * call, answering at once how long the call waits (no polling). While Redis is down, this
 * instance's own schedule takes over (the same queue, the same caller names), so a Redis blip
 * slows nobody down for long and fails no request. It is also the budget's shared window
 * (SharedWindow): one more command before a call leaves, and one when its answer comes.
 */
export class RedisSlots implements SlotSource, SharedWindow {
  readonly shared: SharedWindow = this;

  /**
   * This process's clock minus Redis's, as seen by the quickest answer (an answer read late, by
   * a busy event loop, must not move its start later than the schedule says: another instance
   * would then send the call `limit` places on too soon after it). Drifts up slowly so that it
   * follows a clock that moves.
   */
  private offset = Number.POSITIVE_INFINITY;
  /** This process among the instances (the busy count, the window's call names). */
  private readonly instance = randomUUID();
  private busy = 1;
  private calls = 0;
  /** Until when the shared window is not asked (it did not answer in time). */
  private windowPausedUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly redis: SharedRedis,
    private readonly budget: SharedBudget,
    private readonly fallback: LocalSlots,
  ) {}

  /** Takes the next shared start time (see {@link SlotSource.reserve}). */
  async reserve(maxWaitMs: number): Promise<Reservation> {
    const { name, intervalMs, windowMs } = this.budget;
    const step = await this.redis.attempt(
      (client) =>
        client.eval(RESERVE, 2, `${KEY_PREFIX}ratelimit-next:${name}`, `${KEY_PREFIX}ratelimit-busy:${name}`, String(intervalMs), String(maxWaitMs), String(windowMs), this.instance) as Promise<
          [number, string, string, number]
        >,
    );
    if (!step.ok) {
      // This instance's own schedule: nobody else takes its start times.
      this.busy = 1;
      return this.fallback.reserve(maxWaitMs);
    }
    const local = performance.now();
    const [granted, wait, redisNow, busy] = step.value;
    this.busy = Math.max(1, Number(busy));
    const waitMs = Number(wait);
    this.offset = Math.min(local - Number(redisNow), this.offset + OFFSET_DRIFT_MS);
    // The start on this process's clock: Redis's now plus the wait, moved by the offset.
    const inMs = Number(redisNow) + this.offset + waitMs - local;
    return granted === 1 ? { ok: true, inMs: Math.max(0, inMs) } : { ok: false, waitMs };
  }

  busyInstances(): number {
    return this.busy;
  }

  /**
   * See {@link SharedWindow.admit}. While Redis does not answer (within ADMISSION_TIMEOUT_MS,
   * then for WINDOW_PAUSE_MS), this instance's own guard alone decides.
   */
  async admit(): Promise<Admission> {
    if (performance.now() < this.windowPausedUntil) return { ok: true };
    const { name, limit, windowMs, answerWaitCapMs } = this.budget;
    const call = `${this.instance}:${(this.calls += 1)}`;
    const asked = this.redis.attempt(
      (client) =>
        client.eval(ADMIT, 1, `${KEY_PREFIX}ratelimit-window:${name}`, call, String(windowMs), String(limit), String(answerWaitCapMs)) as Promise<[number, string]>,
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      // After a stall of this process, timers run before the answers already received are read:
      // give those one turn of the event loop (setImmediate runs after them) before giving up.
      timer = setTimeout(() => setImmediate(() => resolve(null)), ADMISSION_TIMEOUT_MS);
    });
    try {
      const step = await Promise.race([asked, late]);
      if (step === null) {
        this.windowPausedUntil = performance.now() + WINDOW_PAUSE_MS;
        return { ok: true };
      }
      if (!step.ok) return { ok: true };
      const [admitted, wait] = step.value;
      return admitted === 1 ? { ok: true, call } : { ok: false, waitMs: Number(wait) };
    } catch {
      return { ok: true };
    } finally {
      clearTimeout(timer);
    }
  }

  /** See {@link SharedWindow.answered}. */
  answered(call: string): void {
    const { name, guardMs } = this.budget;
    void this.redis.attempt((client) => client.eval(ANSWERED, 1, `${KEY_PREFIX}ratelimit-window:${name}`, call, String(guardMs)));
  }

  /** See {@link SharedWindow.release}. */
  release(call: string): void {
    void this.redis.attempt((client) => client.eval(RELEASE, 1, `${KEY_PREFIX}ratelimit-window:${this.budget.name}`, call));
  }
}

/**
 * The subscription key's budget shared by every instance: at most `limit` calls start in any
 * rolling window across all of them. Callers queue on their own instance (bounded, round-robin
 * between callers, a bounded share each) holding start times from the shared schedule, and a
 * call leaves only while the shared window has room.
 */
export function sharedLimiter(redis: SharedRedis, budget: string, options: RateLimiterOptions): PacedLimiter {
  const windowMs = options.windowMs ?? 1000;
  const marginMs = options.marginMs ?? SAFETY_MARGIN_MS;
  const intervalMs = slotInterval(options.limit, windowMs, marginMs);
  const figures: SharedBudget = {
    name: budget,
    limit: options.limit,
    intervalMs,
    windowMs,
    answerWaitCapMs: options.answerWaitCapMs ?? ANSWER_WAIT_CAP_MS,
    guardMs: Math.min(GRANT_GUARD_MS, marginMs),
  };
  return new PacedLimiter(options, new RedisSlots(redis, figures, new LocalSlots(intervalMs)));
}
