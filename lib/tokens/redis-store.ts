import 'server-only';
import { randomUUID } from 'node:crypto';
import { KEY_PREFIX, type SharedRedis } from '@/lib/shared-state/redis';
import { LockTimeoutError, MemoryTokenStore, type TokenStore } from '@/lib/tokens/store';

/** Deletes KEYS[1] only while it holds ARGV[1]. */
const DELETE_IF_EQUALS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends a lease only while this holder still owns it. */
const RENEW_LEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const LOCK_POLL_MS = 15;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The token store shared by every instance through Redis. Values arrive sealed and keys as
 * keyed hashes (see TokenStore), so Redis never holds a token in the clear. Locks are leases
 * (`SET NX PX`) that the holder renews while it works and that expire if it dies. When Redis is
 * unavailable each call falls back to this instance's memory, so a Redis blip never fails a
 * request; sharing resumes by itself when Redis is back.
 */
export class RedisTokenStore implements TokenStore {
  readonly kind = 'redis' as const;
  private readonly fallback = new MemoryTokenStore();

  constructor(private readonly redis: SharedRedis) {}

  async get(key: string): Promise<string | null> {
    const result = await this.redis.attempt((client) => client.get(KEY_PREFIX + key));
    return result.ok ? result.value : this.fallback.get(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const ttl = Math.max(1, Math.round(ttlMs));
    const result = await this.redis.attempt((client) => client.set(KEY_PREFIX + key, value, 'PX', ttl));
    if (!result.ok) await this.fallback.set(key, value, ttl);
  }

  async delete(key: string): Promise<void> {
    await this.fallback.delete(key);
    await this.redis.attempt((client) => client.del(KEY_PREFIX + key));
  }

  async deleteIfEquals(key: string, expected: string): Promise<void> {
    await this.fallback.deleteIfEquals(key, expected);
    await this.redis.attempt((client) => client.eval(DELETE_IF_EQUALS, 1, KEY_PREFIX + key, expected));
  }

  async withLock<T>(key: string, options: { leaseMs: number; waitMs: number }, task: () => Promise<T>): Promise<T> {
    const lockKey = `${KEY_PREFIX}lock:${key}`;
    const holder = randomUUID();
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      const taken = await this.redis.attempt((client) => client.set(lockKey, holder, 'PX', options.leaseMs, 'NX'));
      // Redis down: the lock is per instance until it returns (the single-flight still holds here).
      if (!taken.ok) return this.fallback.withLock(key, options, task);
      if (taken.value === 'OK') break;
      if (Date.now() >= deadline) throw new LockTimeoutError(key);
      await sleep(LOCK_POLL_MS + Math.random() * LOCK_POLL_MS);
    }
    // A slow provider must not outlive the lease: renew it at a third of its length.
    const renewal = setInterval(() => {
      void this.redis.attempt((client) => client.eval(RENEW_LEASE, 1, lockKey, holder, String(options.leaseMs)));
    }, Math.max(50, Math.floor(options.leaseMs / 3)));
    renewal.unref();
    try {
      return await task();
    } finally {
      clearInterval(renewal);
      await this.redis.attempt((client) => client.eval(DELETE_IF_EQUALS, 1, lockKey, holder));
    }
  }
}
