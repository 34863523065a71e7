import 'server-only';
import type { AppConfig } from '@/lib/config';
import { PacedLimiter, type CallLimiter, type RateLimiterOptions } from '@/lib/gateway/rate-limiter';
import { sharedLimiter } from '@/lib/gateway/shared-rate-limiter';
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
    limiter: subscriptionKeyLimiter(settings),
    timeouts: { connectMs: 5_000, totalMs: config.gateway.upstreamTimeoutMs },
  };
}

/**
 * The key's calls per second: one budget across every instance when Redis is configured. Waiting
 * calls are served round-robin between users (the gateway names the caller by `sub`), each user
 * holding at most `maxQueuedPerUser` places in the queue; a call that could not leave within
 * `maxQueueWaitMs` is refused at once.
 */
function subscriptionKeyLimiter(settings: AppConfig['wellview']): CallLimiter {
  const options: RateLimiterOptions = {
    limit: settings.rateLimitPerSecond,
    windowMs: 1000,
    maxQueue: 1000,
    maxWaitMs: settings.maxQueueWaitMs,
    maxQueuedPerCaller: settings.maxQueuedPerUser,
  };
  const redis = getSharedRedis();
  return observedLimiter(redis ? sharedLimiter(redis, storeKey('subscription-key', settings.subscriptionKey), options) : new PacedLimiter(options));
}
