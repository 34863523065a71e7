import 'server-only';
import { z } from 'zod';
import { log } from '@/lib/log';
import { openSeal, seal } from '@/lib/session';
import { storeKey } from '@/lib/tokens/keys';
import { getTokenStore } from '@/lib/tokens/store-factory';

/**
 * A login's ID token, kept server-side for RP-initiated logout (`id_token_hint`). It stays out of
 * the cookie, which must stay under the browser's 4,096-byte limit (an RS/PS-signed ID token alone
 * can be 1-2 kB), and lives sealed in the shared token store under the login id, so any instance
 * can send it at sign-out. Losing it costs only the hint: logout then goes without one.
 */
const idTokenKey = (sid: string) => `idtoken:${storeKey('login-id-token', sid)}`;
const idTokenSchema = z.object({ idToken: z.string().min(1) });

/** Keeps a login's ID token for as long as its session can live. */
export async function rememberIdToken(sid: string, idToken: string, ttlSeconds: number, requestId: string): Promise<void> {
  try {
    await getTokenStore().set(idTokenKey(sid), await seal({ idToken }, ttlSeconds), ttlSeconds * 1000);
  } catch (error) {
    // Sign-in must not fail over a logout hint.
    log.warn('auth.id_token.store_failed', { requestId, error });
  }
}

/** The login's ID token, removed from the store (a logout uses it once); null when unknown. */
export async function takeIdToken(sid: string, requestId: string): Promise<string | null> {
  try {
    const store = getTokenStore();
    const sealed = await store.get(idTokenKey(sid));
    if (!sealed) return null;
    await store.delete(idTokenKey(sid));
    return (await openSeal(idTokenSchema, sealed))?.idToken ?? null;
  } catch (error) {
    log.warn('auth.id_token.read_failed', { requestId, error });
    return null;
  }
}
