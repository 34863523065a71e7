import 'server-only';
import { processSingleton } from '@/lib/runtime';
import type { UpstreamName } from '@/lib/upstreams/types';

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

export interface UpstreamHealth {
  /** `null` until the first call. */
  healthy: boolean | null;
  lastStatus: number | null;
  latencyMs: number | null;
  lastCallAt: number | null;
  recentCalls: CallsPerSecond;
  rateLimited: number;
  unauthorized: number;
}

function all(): Map<UpstreamName, UpstreamHealth> {
  return processSingleton('upstream-health', () => new Map<UpstreamName, UpstreamHealth>());
}

export function upstreamHealth(name: UpstreamName): UpstreamHealth {
  let health = all().get(name);
  if (!health) {
    health = { healthy: null, lastStatus: null, latencyMs: null, lastCallAt: null, recentCalls: new CallsPerSecond(), rateLimited: 0, unauthorized: 0 };
    all().set(name, health);
  }
  return health;
}

/** Records one call's outcome: `status` null when the upstream could not be reached. */
export function recordUpstreamCall(name: UpstreamName, status: number | null, latencyMs: number): void {
  const health = upstreamHealth(name);
  const now = Date.now();
  health.lastStatus = status;
  health.latencyMs = Math.round(latencyMs * 10) / 10;
  health.lastCallAt = now;
  health.healthy = status !== null && status < 500;
  if (status === 429) health.rateLimited += 1;
  if (status === 401) health.unauthorized += 1;
  health.recentCalls.add(now);
}
