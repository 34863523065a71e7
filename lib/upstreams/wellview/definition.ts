import 'server-only';
import type { AppConfig } from '@/lib/config';
import { SlidingWindowLimiter, type CallLimiter, type RateLimiterOptions } from '@/lib/gateway/rate-limiter';
import { SharedWindowLimiter } from '@/lib/gateway/shared-rate-limiter';
import { getSharedRedis } from '@/lib/shared-state/redis';
import { observedLimiter } from '@/lib/observability/rate-limit';
import { storeKey } from '@/lib/tokens/keys';
import { SAFE_METHODS, type UpstreamDefinition } from '@/lib/upstreams/types';

/** WellView: the user's own Peloton token, the subscription key and region on every call. */
export function wellviewDefinition(config: AppConfig): UpstreamDefinition {
  const settings = config.wellview;
  return {
    name: 'wellview',
    label: 'WellView',
    baseUrl: settings.baseUrl,
    auth: { kind: 'user' },
    headers: {
      'ocp-apim-subscription-key': settings.subscriptionKey,
      'x-peloton-region': settings.region,
    },
    isRead: (method) => SAFE_METHODS.has(method),
    limiter: subscriptionKeyLimiter(settings.subscriptionKey, settings.rateLimitPerSecond, settings.maxQueuedPerUser),
    timeouts: { connectMs: 5_000, totalMs: config.gateway.upstreamTimeoutMs },
  };
}

/**
 * The key's calls per second: one budget across every instance when Redis is configured. Waiting
 * calls are served round-robin between users (the gateway names the caller by `sub`), each user
 * holding at most `maxQueuedPerUser` places in the queue.
 */
function subscriptionKeyLimiter(subscriptionKey: string, perSecond: number, maxQueuedPerUser: number): CallLimiter {
  // A generous queue: a burst of a few hundred calls waits its turn rather than failing.
  const options: RateLimiterOptions = { limit: perSecond, windowMs: 1000, maxQueue: 1000, maxWaitMs: 30_000, maxQueuedPerCaller: maxQueuedPerUser };
  const local = new SlidingWindowLimiter(options);
  const redis = getSharedRedis();
  return observedLimiter(redis ? new SharedWindowLimiter(redis, storeKey('subscription-key', subscriptionKey), options, local) : local);
}
