import 'server-only';
import { processSingleton } from '@/lib/runtime';
import { MemoryTokenStore, type TokenStore } from '@/lib/tokens/store';

/** The process's token store: in memory on one instance. */
export function getTokenStore(): TokenStore {
  return processSingleton('token-store', () => new MemoryTokenStore());
}
