import 'server-only';
import { ConfigError, getConfig, type AppConfig } from '@/lib/config';
import { getPelotonConfiguration } from '@/lib/auth/peloton';
import { getSharedRedis } from '@/lib/shared-state/redis';

/**
 * Readiness: can this instance serve traffic? Only what is the instance's own: its configuration,
 * its Redis (when configured) and Peloton's discovery document. The upstream APIs are left out on
 * purpose: one API being down is the same for every instance, and taking them all out of rotation
 * for it would turn a degraded dashboard into no dashboard.
 */

/** A load balancer's probe must not hang on a dead Redis. */
export const REDIS_PING_TIMEOUT_MS = 1_000;
/** Discovery keeps loading in the background after this; the next probe shares that attempt. */
export const DISCOVERY_WAIT_MS = 3_000;

export interface ReadinessCheck {
  /** `null` when the check does not apply (Redis not configured). */
  ok: boolean | null;
  latencyMs?: number;
  /** Why it failed or was skipped; never a secret, a URL or an upstream's message. */
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: { config: ReadinessCheck; redis: ReadinessCheck; discovery: ReadinessCheck };
}

class TimedOut extends Error {}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function timed(run: () => Promise<void>, failure: string, timeoutMs: number): Promise<ReadinessCheck> {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  try {
    await within(run(), timeoutMs);
    return { ok: true, latencyMs: latencyMs() };
  } catch (error) {
    return {
      ok: false,
      latencyMs: latencyMs(),
      detail: error instanceof TimedOut ? `${failure}: timed out` : failure,
    };
  }
}

function checkConfig(): { check: ReadinessCheck; config: AppConfig | null } {
  try {
    return { check: { ok: true }, config: getConfig() };
  } catch (error) {
    // Variable names only, as at start-up: a reason can never carry a value.
    const names =
      error instanceof ConfigError
        ? [...new Set(error.problems.map((problem) => problem.name))].join(', ')
        : 'unknown';
    return { check: { ok: false, detail: `invalid: ${names}` }, config: null };
  }
}

async function checkRedis(config: AppConfig): Promise<ReadinessCheck> {
  const redis = config.redisUrl ? getSharedRedis() : null;
  if (!redis) return { ok: null, detail: 'not configured (state is per instance)' };
  // The app's own connection: it fails at once while disconnected (no offline queue).
  return timed(
    async () => {
      await redis.client.ping();
    },
    'Redis did not answer PING',
    REDIS_PING_TIMEOUT_MS,
  );
}

function checkDiscovery(config: AppConfig): Promise<ReadinessCheck> {
  // Loaded once and then reused; while it fails, each probe retries it (one attempt at a time).
  return timed(
    async () => {
      await getPelotonConfiguration(config);
    },
    'Peloton discovery could not be loaded',
    DISCOVERY_WAIT_MS,
  );
}

/**
 * Runs the readiness checks in parallel: `ready` only when none failed. At most
 * {@link DISCOVERY_WAIT_MS} long, whatever the providers do.
 */
export async function checkReadiness(): Promise<ReadinessReport> {
  const { check: configCheck, config } = checkConfig();
  const unchecked: ReadinessCheck = { ok: false, detail: 'not checked: the configuration is invalid' };
  const [redis, discovery] = config
    ? await Promise.all([checkRedis(config), checkDiscovery(config)])
    : [unchecked, unchecked];
  const checks = { config: configCheck, redis, discovery };
  return { ready: Object.values(checks).every((check) => check.ok !== false), checks };
}
