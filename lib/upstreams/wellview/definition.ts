import 'server-only';
import type { AppConfig } from '@/lib/config';
import { SlidingWindowLimiter } from '@/lib/gateway/rate-limiter';
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
    // A generous queue: a burst of a few hundred calls waits its turn rather than failing.
    limiter: new SlidingWindowLimiter({ limit: settings.rateLimitPerSecond, windowMs: 1000, maxQueue: 1000, maxWaitMs: 30_000 }),
    timeouts: { connectMs: 5_000, totalMs: config.gateway.upstreamTimeoutMs },
  };
}
