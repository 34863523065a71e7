import { keyedIdHash } from '@/lib/tokens/keys';

/**
 * The in-memory state behind the admin page: a per-minute timeline of the last hour, the token
 * requests of each service, and what this instance saw of each login's refreshes. Plain classes,
 * free of prom-client, so they can be tested alone; `store.ts` holds the one instance.
 */

export interface TimelinePoint {
  /** Start of the minute, epoch ms. */
  minute: number;
  refreshes: number;
  tokenRequests: number;
  unauthorized: number;
  rateLimited: number;
  errors: number;
}

export type TimelineField = Exclude<keyof TimelinePoint, 'minute'>;

/** Events counted per minute; only the last hour is kept, so memory stays at 60 points. */
export class Timeline {
  private readonly points = new Map<number, TimelinePoint>();

  count(field: TimelineField, now = Date.now()): void {
    const minute = Math.floor(now / 60_000) * 60_000;
    let point = this.points.get(minute);
    if (!point) {
      point = { minute, refreshes: 0, tokenRequests: 0, unauthorized: 0, rateLimited: 0, errors: 0 };
      this.points.set(minute, point);
      for (const key of this.points.keys()) if (key < minute - 60 * 60_000) this.points.delete(key);
    }
    point[field] += 1;
  }

  /** The minutes of the last hour that saw anything, oldest first. */
  lastHour(now = Date.now()): TimelinePoint[] {
    const from = Math.floor(now / 60_000) * 60_000 - 59 * 60_000;
    return [...this.points.values()].filter((point) => point.minute >= from).sort((a, b) => a.minute - b.minute);
  }
}

/** Calls counted per second over the last minute: constant memory and work at any load. */
export class CallsPerSecond {
  private readonly seconds = new Array<number>(60).fill(-1);
  private readonly counts = new Array<number>(60).fill(0);

  add(now: number): void {
    const second = Math.floor(now / 1000);
    const slot = second % 60;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] = (this.counts[slot] ?? 0) + 1;
  }

  /** Calls in the last 60 seconds (whole seconds, this one included). */
  lastMinute(now: number): number {
    const newest = Math.floor(now / 1000);
    let total = 0;
    for (let slot = 0; slot < 60; slot += 1) {
      const second = this.seconds[slot] ?? -1;
      if (second > newest - 60 && second <= newest) total += this.counts[slot] ?? 0;
    }
    return total;
  }
}

/** How the last refresh of one login ended on this instance. */
export interface RefreshOutcome {
  outcome: 'succeeded' | 'failed';
  /** The OAuth error or failure kind when it failed. */
  code: string | null;
  at: number;
}

/** What this instance saw of one login's refreshes. */
export interface LoginActivity {
  lastRefresh: RefreshOutcome | null;
  /** Requests that waited for another request's refresh instead of refreshing themselves. */
  sharedRefreshes: number;
}

/** Logins remembered per instance; the least recently active are forgotten first. */
export const MAX_TRACKED_LOGINS = 10_000;

/** Per-login activity, bounded: the least recently active login is forgotten first. */
export class LoginActivities {
  private readonly logins = new Map<string, LoginActivity>();

  constructor(private readonly limit = MAX_TRACKED_LOGINS) {}

  get size(): number {
    return this.logins.size;
  }

  /** What this instance saw of a login, or null when nothing. */
  find(sid: string): LoginActivity | null {
    return this.logins.get(keyOf(sid)) ?? null;
  }

  /** The login's record, created if new and moved to the most recently active place. */
  touch(sid: string): LoginActivity {
    const key = keyOf(sid);
    const entry = this.logins.get(key) ?? { lastRefresh: null, sharedRefreshes: 0 };
    // Re-inserting keeps the map ordered by last activity, so the oldest goes first.
    this.logins.delete(key);
    this.logins.set(key, entry);
    if (this.logins.size > this.limit) this.logins.delete(this.logins.keys().next().value as string);
    return entry;
  }
}

/** Keyed by a keyed hash, like the token store: a login id is never a key itself. */
const keyOf = (sid: string) => keyedIdHash('login-activity', sid);

/** What the admin page shows of one service's token requests on this instance. */
export interface ServiceTokenActivity {
  tokenRequests: number;
  lastError: { code: string; message: string; at: number } | null;
}
