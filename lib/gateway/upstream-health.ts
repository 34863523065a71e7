import 'server-only';
import { processSingleton } from '@/lib/runtime';
import type { UpstreamName } from '@/lib/upstreams/types';

export interface UpstreamHealth {
  /** `null` until the first call. */
  healthy: boolean | null;
  lastStatus: number | null;
  latencyMs: number | null;
  lastCallAt: number | null;
  /** Start times of recent calls, for "calls in the last minute". */
  recentCalls: number[];
  rateLimited: number;
  unauthorized: number;
}

function all(): Map<UpstreamName, UpstreamHealth> {
  return processSingleton('upstream-health', () => new Map<UpstreamName, UpstreamHealth>());
}

export function upstreamHealth(name: UpstreamName): UpstreamHealth {
  let health = all().get(name);
  if (!health) {
    health = { healthy: null, lastStatus: null, latencyMs: null, lastCallAt: null, recentCalls: [], rateLimited: 0, unauthorized: 0 };
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
  health.recentCalls.push(now);
  while ((health.recentCalls[0] ?? now) < now - 60_000) health.recentCalls.shift();
  // Keep memory flat under heavy load: the count is what matters.
  if (health.recentCalls.length > 10_000) health.recentCalls.splice(0, health.recentCalls.length - 10_000);
}
