import 'server-only';
import type { CallLimiter, Slot } from '@/lib/gateway/rate-limiter';
import { AppError } from '@/lib/errors';
import { recordRateLimitWait } from '@/lib/observability/store';

/**
 * Wraps a rate limiter so every call's wait for a slot is recorded: how long it waited when it
 * got one, or that it was turned away (queue full, share used, waited too long) or left while
 * waiting. The limiter itself stays unaware of metrics; its queue depth is sampled at scrape time.
 */
export function observedLimiter(limiter: CallLimiter): CallLimiter {
  return {
    async acquire(signal, caller) {
      const started = performance.now();
      let slot: Slot;
      try {
        slot = await limiter.acquire(signal, caller);
      } catch (error) {
        const gone = error instanceof AppError && error.code === 'CLIENT_CLOSED_REQUEST';
        recordRateLimitWait(gone ? 'abandoned' : 'turned_away', (performance.now() - started) / 1000);
        throw error;
      }
      recordRateLimitWait('delivered', (performance.now() - started) / 1000);
      return slot;
    },
    stats: () => limiter.stats(),
  };
}
