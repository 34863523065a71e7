import 'server-only';
import { createHash, createHmac } from 'node:crypto';
import { getConfig } from '@/lib/config';

let hmacKey: Buffer | undefined;

/** A server-side key for hashing, derived from the sealing password (so every instance agrees). */
function key(): Buffer {
  const [password] = getConfig().session.passwords;
  hmacKey ??= createHash('sha256').update(`wellview-dashboard/store-keys/v1\0${password}`).digest();
  return hmacKey;
}

/**
 * A keyed hash, for low-entropy values (a user's `sub`, an email) whose plain hash could be
 * guessed. Changes when the first `SESSION_PASSWORD` changes, so use it only for state that one
 * instance keeps for itself (the response cache, metrics), never for shared store keys.
 */
export function keyedHash(purpose: string, value: string): string {
  return createHmac('sha256', key()).update(purpose).update('\0').update(value).digest('base64url');
}

/**
 * The key under which shared state about a high-entropy secret is stored: a random login id, a
 * refresh token, a subscription key, a client-credentials parameter set (secret included).
 * A domain-separated SHA-256 with no password: for values with 128+ bits of entropy it reveals
 * nothing, and unlike {@link keyedHash} it never changes with a `SESSION_PASSWORD` rotation, so
 * instances on [old], [new, old] and [new] find the same rotation records, "ended" markers,
 * spent tokens and locks. Never use it for guessable values.
 */
export function storeKey(purpose: string, value: string): string {
  return createHash('sha256').update('wellview-dashboard/shared-state/v2\0').update(purpose).update('\0').update(value).digest('base64url');
}

/** The first 8 hex characters of the SHA-256 of a token: enough to tell tokens apart for support. */
export function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 8);
}

const idHashes = new Map<string, string>();
const MAX_ID_HASHES = 10_000;

function memoized(kind: string, purpose: string, id: string, hash: (purpose: string, value: string) => string): string {
  const memoKey = `${kind}\0${purpose}\0${id}`;
  let result = idHashes.get(memoKey);
  if (result === undefined) {
    result = hash(purpose, id);
    if (idHashes.size >= MAX_ID_HASHES) idHashes.clear();
    idHashes.set(memoKey, result);
  }
  return result;
}

/**
 * {@link keyedHash} for ids that come back on every request (a user id), remembered so the
 * HMAC runs once per id. Not for secrets such as tokens: those must not sit in a map.
 */
export function keyedIdHash(purpose: string, id: string): string {
  return memoized('keyed', purpose, id, keyedHash);
}

/**
 * {@link storeKey} for random ids that come back on every request (a login id), remembered so
 * the hash runs once per id. Not for tokens: those must not sit in a map.
 */
export function storeIdKey(purpose: string, id: string): string {
  return memoized('store', purpose, id, storeKey);
}
