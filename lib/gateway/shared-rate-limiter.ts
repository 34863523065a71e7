import 'server-only';
import { KEY_PREFIX, type SharedRedis } from '@/lib/shared-state/redis';
import { LocalSlots, PacedLimiter, SAFETY_MARGIN_MS, slotInterval, type RateLimiterOptions, type Reservation, type SlotSource } from '@/lib/gateway/rate-limiter';

/**
 * Takes the next start time of the shared schedule, on Redis's own clock so that every instance
 * reads the same one: KEYS[1] holds the next free start (ms, GCRA's "theoretical arrival time");
 * the caller gets the later of it and now, if that is at most ARGV[2] ms away, and the schedule
 * moves on by ARGV[1]. Answers `{ 1, wait, now }` or `{ 0, wait, now }` (ms, as text to keep
 * fractions; `now` is Redis's clock, for the instance to place the start on its own).
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local at = tonumber(redis.call('GET', KEYS[1]) or '0')
if at < now then at = now end
local wait = at - now
if wait > maxWait then return {0, string.format('%.3f', wait), string.format('%.3f', now)} end
redis.call('SET', KEYS[1], string.format('%.3f', at + interval), 'PX', math.ceil(wait + interval + tonumber(ARGV[3])))
return {1, string.format('%.3f', wait), string.format('%.3f', now)}
`;

/** How far the clock offset may rise per answer (ms), to follow a clock that moves. */
const OFFSET_DRIFT_MS = 0.05;

/**
 * Start times from one schedule shared by every instance through Redis: one Redis command per
 * call, answering at once how long the call waits (no polling). While Redis is down, this
 * instance's own schedule takes over (the same queue, the same caller names), so a Redis blip
 * slows nobody down for long and fails no request.
 */
export class RedisSlots implements SlotSource {
  /** Other instances take start times from the same schedule (see SlotSource.shared). */
  readonly shared = true;

  /**
   * This process's clock minus Redis's, as seen by the quickest answer (an answer read late, by
   * a busy event loop, must not move its start later than the schedule says: another instance
   * would then send the call `limit` places on too soon after it). Drifts up slowly so that it
   * follows a clock that moves.
   */
  private offset = Number.POSITIVE_INFINITY;

  constructor(
    private readonly redis: SharedRedis,
    /** A keyed hash naming the budget (never the subscription key itself). */
    private readonly budget: string,
    private readonly intervalMs: number,
    private readonly windowMs: number,
    private readonly fallback: LocalSlots,
  ) {}

  /** Takes the next shared start time (see {@link SlotSource.reserve}). */
  async reserve(maxWaitMs: number): Promise<Reservation> {
    const step = await this.redis.attempt(
      (client) =>
        client.eval(RESERVE, 1, `${KEY_PREFIX}ratelimit-next:${this.budget}`, String(this.intervalMs), String(maxWaitMs), String(this.windowMs)) as Promise<
          [number, string, string]
        >,
    );
    if (!step.ok) return this.fallback.reserve(maxWaitMs);
    const local = performance.now();
    const [granted, wait, redisNow] = step.value;
    const waitMs = Number(wait);
    this.offset = Math.min(local - Number(redisNow), this.offset + OFFSET_DRIFT_MS);
    // The start on this process's clock: Redis's now plus the wait, moved by the offset.
    const inMs = Number(redisNow) + this.offset + waitMs - local;
    return granted === 1 ? { ok: true, inMs: Math.max(0, inMs) } : { ok: false, waitMs };
  }
}

/**
 * The subscription key's budget shared by every instance: at most `limit` calls start in any
 * rolling window across all of them. Callers queue on their own instance (bounded, round-robin
 * between callers, a bounded share each) holding start times from the shared schedule.
 */
export function sharedLimiter(redis: SharedRedis, budget: string, options: RateLimiterOptions): PacedLimiter {
  const windowMs = options.windowMs ?? 1000;
  const intervalMs = slotInterval(options.limit, windowMs, options.marginMs ?? SAFETY_MARGIN_MS);
  return new PacedLimiter(options, new RedisSlots(redis, budget, intervalMs, windowMs, new LocalSlots(intervalMs)));
}
