import 'server-only';
import Redis from 'ioredis';
import { getConfig } from '@/lib/config';
import { log } from '@/lib/log';
import { addSpanEvent } from '@/lib/observability/tracing';
import { processSingleton } from '@/lib/runtime';
import { recordSharedStateFallback } from '@/lib/observability/store';

/** Every key this app writes starts with this, so one Redis can serve other things too. */
export const KEY_PREFIX = 'wvd:';
/** A Redis that does not answer within this is treated as down for that call. */
const COMMAND_TIMEOUT_MS = 1_500;
/** At start-up, a call waits this long for the first connection before falling back. */
const FIRST_CONNECT_WAIT_MS = 2_000;
/** While Redis is down, the fallback warning is logged at most this often. */
const WARN_EVERY_MS = 30_000;

export interface SharedStateHealth {
  mode: 'memory' | 'redis';
  /** `null` on memory; on Redis, whether the last command worked. */
  healthy: boolean | null;
  lastError: { message: string; at: string } | null;
  /** Operations served by per-instance fallbacks because Redis was unavailable. */
  fallbacks: number;
}

export type Attempt<T> = { ok: true; value: T } | { ok: false };

/**
 * The shared Redis connection. Commands fail fast while it is down (no offline queue, short
 * timeouts), so callers fall back to per-instance state instead of waiting; ioredis reconnects by
 * itself, and sharing resumes when it does.
 */
export class SharedRedis {
  readonly client: Redis;
  private ready = false;
  private readonly firstConnection: Promise<void>;
  private lastError: { message: string; at: number } | null = null;
  private fallbacks = 0;
  private lastWarnAt = 0;

  constructor(url: string) {
    this.client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
      // Commands are never queued for a reconnect: a request must not wait on a dead Redis.
      autoResendUnfulfilledCommands: false,
    });
    this.firstConnection = new Promise<void>((resolve) => {
      this.client.once('ready', () => resolve());
      setTimeout(resolve, FIRST_CONNECT_WAIT_MS).unref();
    });
    this.client.on('ready', () => {
      if (!this.ready && this.lastError) log.warn('shared_state.redis.recovered', { note: 'token state and rate limits are shared again' });
      this.ready = true;
    });
    this.client.on('error', (error: Error) => this.failed(error));
    this.client.on('close', () => {
      this.ready = false;
    });
  }

  /** Runs one Redis operation; `{ ok: false }` when Redis is down or failed (already logged). */
  async attempt<T>(operation: (client: Redis) => Promise<T>): Promise<Attempt<T>> {
    // Only the very first connection is waited for; a Redis that went away fails at once.
    if (!this.ready && this.lastError === null) await this.firstConnection;
    if (!this.ready) {
      this.fellBack();
      return { ok: false };
    }
    try {
      return { ok: true, value: await operation(this.client) };
    } catch (error) {
      this.failed(error as Error);
      this.fellBack();
      return { ok: false };
    }
  }

  health(): SharedStateHealth {
    return {
      mode: 'redis',
      healthy: this.ready,
      lastError: this.lastError ? { message: this.lastError.message, at: new Date(this.lastError.at).toISOString() } : null,
      fallbacks: this.fallbacks,
    };
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  private failed(error: Error): void {
    // The message only: a connection error can carry the URL, and the URL can carry a password.
    const message = /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|Connection is closed|Command timed out/i.test(error.message)
      ? `Redis is unreachable (${error.message.split(/[\s:]/)[0] ?? 'error'})`
      : 'Redis command failed';
    this.lastError = { message, at: Date.now() };
  }

  private fellBack(): void {
    this.fallbacks += 1;
    // In a trace, the request's span shows that this call used per-instance state.
    addSpanEvent('shared_state.fallback');
    recordSharedStateFallback();
    const now = Date.now();
    if (now - this.lastWarnAt >= WARN_EVERY_MS) {
      this.lastWarnAt = now;
      log.error('shared_state.redis.unavailable', {
        note: 'Redis is down: falling back to per-instance token state and rate limits until it returns',
        fallbacks: this.fallbacks,
        lastError: this.lastError?.message,
      });
    }
  }
}

/** The process's Redis connection, or null when REDIS_URL is not set. */
export function getSharedRedis(): SharedRedis | null {
  const url = getConfig().redisUrl;
  if (!url) return null;
  return processSingleton('shared-redis', () => new SharedRedis(url));
}

export function sharedStateHealth(): SharedStateHealth {
  return getSharedRedis()?.health() ?? { mode: 'memory', healthy: null, lastError: null, fallbacks: 0 };
}
