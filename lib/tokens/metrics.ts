import 'server-only';
import { processSingleton } from '@/lib/runtime';
import { keyedIdHash } from '@/lib/tokens/keys';

/** What the admin page shows about one service's client token. Never the token itself. */
export interface ServiceTokenStatus {
  cached: boolean;
  issuedAt: number | null;
  expiresAt: number | null;
  fingerprint: string | null;
  scope: string | null;
  audience: string | null;
  tokenUrl: string;
  tokenRequests: number;
  lastError: { code: string; message: string; at: number } | null;
}

export interface TimelinePoint {
  /** Start of the minute, epoch ms. */
  minute: number;
  refreshes: number;
  tokenRequests: number;
  unauthorized: number;
  rateLimited: number;
  errors: number;
}

type TimelineField = Exclude<keyof TimelinePoint, 'minute'>;

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
const MAX_TRACKED_LOGINS = 10_000;

/** Counters kept in memory for the admin page and the logs. */
class Metrics {
  readonly services = new Map<string, ServiceTokenStatus>();
  userRefreshes = 0;
  sharedRefreshes = 0;
  private readonly timeline = new Map<number, TimelinePoint>();
  private readonly logins = new Map<string, LoginActivity>();

  service(name: string, tokenUrl: string): ServiceTokenStatus {
    let status = this.services.get(name);
    if (!status) {
      status = {
        cached: false,
        issuedAt: null,
        expiresAt: null,
        fingerprint: null,
        scope: null,
        audience: null,
        tokenUrl,
        tokenRequests: 0,
        lastError: null,
      };
      this.services.set(name, status);
    }
    return status;
  }

  /** Counts an event in the per-minute timeline (the last hour is kept). */
  count(field: TimelineField, now = Date.now()): void {
    const minute = Math.floor(now / 60_000) * 60_000;
    let point = this.timeline.get(minute);
    if (!point) {
      point = { minute, refreshes: 0, tokenRequests: 0, unauthorized: 0, rateLimited: 0, errors: 0 };
      this.timeline.set(minute, point);
      for (const key of this.timeline.keys()) if (key < minute - 60 * 60_000) this.timeline.delete(key);
    }
    point[field] += 1;
  }

  /** Records how a refresh of this login ended (for the admin page's "last refresh"). */
  recordRefresh(sid: string, outcome: RefreshOutcome['outcome'], code: string | null = null): void {
    this.activity(sid, true).lastRefresh = { outcome, code, at: Date.now() };
  }

  /** Counts a request that was served by a concurrent refresh of its login. */
  countSharedRefresh(sid: string): void {
    this.sharedRefreshes += 1;
    this.activity(sid, true).sharedRefreshes += 1;
  }

  /** What this instance saw of a login, or null when nothing. */
  loginActivity(sid: string): LoginActivity | null {
    return this.activity(sid, false);
  }

  private activity(sid: string, create: true): LoginActivity;
  private activity(sid: string, create: false): LoginActivity | null;
  private activity(sid: string, create: boolean): LoginActivity | null {
    // Keyed by a keyed hash, like the token store: a login id is never a key itself.
    const key = keyedIdHash('login-activity', sid);
    const found = this.logins.get(key);
    if (!create) return found ?? null;
    const entry = found ?? { lastRefresh: null, sharedRefreshes: 0 };
    // Re-inserting keeps the map ordered by last activity, so the oldest goes first.
    this.logins.delete(key);
    this.logins.set(key, entry);
    if (this.logins.size > MAX_TRACKED_LOGINS) this.logins.delete(this.logins.keys().next().value as string);
    return entry;
  }

  lastHour(now = Date.now()): TimelinePoint[] {
    const from = Math.floor(now / 60_000) * 60_000 - 59 * 60_000;
    return [...this.timeline.values()].filter((point) => point.minute >= from).sort((a, b) => a.minute - b.minute);
  }
}

export function getMetrics(): Metrics {
  return processSingleton('metrics', () => new Metrics());
}
