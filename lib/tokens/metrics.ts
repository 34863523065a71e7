import 'server-only';
import { processSingleton } from '@/lib/runtime';

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

/** Counters kept in memory for the admin page and the logs. */
class Metrics {
  readonly services = new Map<string, ServiceTokenStatus>();
  userRefreshes = 0;
  sharedRefreshes = 0;
  private readonly timeline = new Map<number, TimelinePoint>();

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

  lastHour(now = Date.now()): TimelinePoint[] {
    const from = Math.floor(now / 60_000) * 60_000 - 59 * 60_000;
    return [...this.timeline.values()].filter((point) => point.minute >= from).sort((a, b) => a.minute - b.minute);
  }
}

export function getMetrics(): Metrics {
  return processSingleton('metrics', () => new Metrics());
}
