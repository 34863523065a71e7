import 'server-only';

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

/** Raised when a lock could not be had in time. */
export class LockTimeoutError extends Error {
  constructor(key: string) {
    super(`timed out waiting for lock ${key.slice(0, 12)}`);
    this.name = 'LockTimeoutError';
  }
}

interface Entry {
  value: string;
  expiresAt: number;
}

/** A bounded in-memory store: entries expire, and the oldest go first past `maxEntries`. */
export class MemoryTokenStore implements TokenStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly locks = new Map<string, Promise<void>>();

  constructor(private readonly maxEntries = 50_000) {}

  async get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async deleteIfEquals(key: string, expected: string): Promise<void> {
    if (this.entries.get(key)?.value === expected) this.entries.delete(key);
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
    return this.entries.size;
  }
}
