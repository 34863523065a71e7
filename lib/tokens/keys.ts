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
 * A keyed hash to use as a store key: a refresh token, a login id or a client secret is never a
 * key itself, and without the server's password the key reveals nothing about it.
 */
export function keyedHash(purpose: string, value: string): string {
  return createHmac('sha256', key()).update(purpose).update('\0').update(value).digest('base64url');
}

/** The first 8 hex characters of the SHA-256 of a token: enough to tell tokens apart for support. */
export function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 8);
}

const idHashes = new Map<string, string>();
const MAX_ID_HASHES = 10_000;

/**
 * {@link keyedHash} for ids that come back on every request (a login id, a user id), remembered
 * so the HMAC runs once per id. Not for secrets such as tokens: those must not sit in a map.
 */
export function keyedIdHash(purpose: string, id: string): string {
  const memoKey = `${purpose}\0${id}`;
  let hash = idHashes.get(memoKey);
  if (hash === undefined) {
    hash = keyedHash(purpose, id);
    if (idHashes.size >= MAX_ID_HASHES) idHashes.clear();
    idHashes.set(memoKey, hash);
  }
  return hash;
}
