import 'server-only';
import { BusyError } from '@/lib/errors';
import { log } from '@/lib/log';

/**
 * Where token state shared between requests lives: rotation records, spent-refresh-token
 * tombstones, client-credentials caches and per-key locks. Values are always sealed (encrypted)
 * strings and keys are keyed hashes, so no implementation ever holds a token in the clear.
 * The in-memory store serves one instance; the Redis store (REDIS_URL) serves several.
 */
export interface TokenStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes `key` only while it still holds `expected` (so a newer value is never dropped). */
  deleteIfEquals(key: string, expected: string): Promise<void>;
  /**
   * Runs `task` while holding an exclusive lease on `key`, waiting up to `waitMs` for it. The
   * lease lasts `leaseMs` and is renewed while `task` runs, and expires if its holder dies.
   */
  withLock<T>(key: string, options: { leaseMs: number; waitMs: number }, task: () => Promise<T>): Promise<T>;
}

/** Raised when a lock could not be had in time: the work is busy elsewhere, so retry shortly. */
export class LockTimeoutError extends BusyError {
  constructor(key: string) {
    super({ cause: new Error(`timed out waiting for lock ${key.slice(0, 12)}`) });
    this.name = 'LockTimeoutError';
  }
}

/**
 * Records whose loss weakens security: a login's newest state or "ended" marker (`rotation:`)
 * and spent refresh tokens (`spent:`). Dropping one could let a signed-out cookie back in or
 * present a spent token to the provider, so they are never evicted to make room.
 */
const SECURITY_PREFIXES = ['rotation:', 'spent:'];
export const isSecurityRecord = (key: string) => SECURITY_PREFIXES.some((prefix) => key.startsWith(prefix));

/** How often at most a store over its cap says so. */
const OVER_CAPACITY_LOG_INTERVAL_MS = 60_000;
/** A full sweep of expired entries runs at most this often while the store stays over its cap. */
const SWEEP_INTERVAL_MS = 1_000;

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * A bounded in-memory store. Past `maxEntries`, expired entries go first, then the oldest
 * ordinary ones (client-token caches, which can be fetched again); security records are kept
 * even beyond the cap, with a warning at most once a minute.
 */
export class MemoryTokenStore implements TokenStore {
  readonly kind = 'memory' as const;
  /** Two maps, each in insertion order, so the oldest ordinary entry is found without a scan. */
  private readonly ordinary = new Map<string, Entry>();
  private readonly security = new Map<string, Entry>();
  private readonly locks = new Map<string, Promise<void>>();
  private nextSweepAt = 0;
  private lastOverCapacityLogAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly maxEntries = 50_000) {}

  private mapFor(key: string): Map<string, Entry> {
    return isSecurityRecord(key) ? this.security : this.ordinary;
  }

  async get(key: string): Promise<string | null> {
    const entries = this.mapFor(key);
    const entry = entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return null;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const entries = this.mapFor(key);
    entries.delete(key);
    entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    if (this.size() > this.maxEntries) this.makeRoom();
  }

  async delete(key: string): Promise<void> {
    this.mapFor(key).delete(key);
  }

  async deleteIfEquals(key: string, expected: string): Promise<void> {
    const entries = this.mapFor(key);
    if (entries.get(key)?.value === expected) entries.delete(key);
  }

  /** Expired entries first, then the oldest ordinary ones; security records are never dropped. */
  private makeRoom(): void {
    const now = Date.now();
    if (now >= this.nextSweepAt) {
      for (const entries of [this.ordinary, this.security]) {
        for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
      }
    }
    while (this.size() > this.maxEntries) {
      const oldest = this.ordinary.keys().next().value;
      if (oldest === undefined) break;
      this.ordinary.delete(oldest);
    }
    // Over the cap with security records only: the sweep is not repeated on every write.
    this.nextSweepAt = this.size() > this.maxEntries ? now + SWEEP_INTERVAL_MS : 0;
    if (this.size() > this.maxEntries && now - this.lastOverCapacityLogAt >= OVER_CAPACITY_LOG_INTERVAL_MS) {
      this.lastOverCapacityLogAt = now;
      log.warn('shared_state.memory.over_capacity', {
        entries: this.size(),
        maxEntries: this.maxEntries,
        note: 'only security records (rotation, ended, spent) are left; they are kept beyond the cap',
      });
    }
  }

  /** One process needs no lease: a promise chain per key serialises the tasks. */
  async withLock<T>(key: string, options: { leaseMs: number; waitMs: number }, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => mine);
    this.locks.set(key, chained);
    try {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LockTimeoutError(key)), options.waitMs);
      });
      try {
        await Promise.race([previous, timedOut]);
      } finally {
        clearTimeout(timer);
      }
      return await task();
    } finally {
      release();
      if (this.locks.get(key) === chained) this.locks.delete(key);
    }
  }

  /** For tests and the admin page. */
  size(): number {
    return this.ordinary.size + this.security.size;
  }
}
