import 'server-only';
import { processSingleton } from '@/lib/runtime';
import { getSharedRedis } from '@/lib/shared-state/redis';
import { RedisTokenStore } from '@/lib/tokens/redis-store';
import { MemoryTokenStore, type TokenStore } from '@/lib/tokens/store';

/** The process's token store: shared through Redis when REDIS_URL is set, else in memory. */
export function getTokenStore(): TokenStore {
  return processSingleton('token-store', () => {
    const redis = getSharedRedis();
    return redis ? new RedisTokenStore(redis) : new MemoryTokenStore();
  });
}
