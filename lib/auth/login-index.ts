import 'server-only';
import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { log } from '@/lib/log';
import { openSeal, seal } from '@/lib/session';
import { storeKey } from '@/lib/tokens/keys';
import { getTokenStore } from '@/lib/tokens/store-factory';
import { isLoginEnded } from '@/lib/tokens/user-tokens';

/**
 * Which dashboard logins belong to a provider session (`sid` of the ID token), to a user (`sub`)
 * and to a verified email, so a back-channel logout or an admin can end them on every instance.
 * Kept sealed in the shared token store, one bounded list per key, written under a lock
 * (read-modify-write).
 */
const MAX_LOGINS_PER_KEY = 50;
const LOCK = { leaseMs: 5_000, waitMs: 5_000 };
const listSchema = z.object({ logins: z.array(z.string()).max(MAX_LOGINS_PER_KEY) });

const sidKey = (issuer: string, idpSid: string) => `bcl-sid:${storeKey('idp-session', `${issuer}\0${idpSid}`)}`;
// A sub is guessable, but the key holds only sealed login ids; the hash just names the slot.
const subKey = (issuer: string, sub: string) => `bcl-sub:${storeKey('idp-subject', `${issuer}\0${sub}`)}`;
// Verified addresses only: anyone may register an unverified copy of someone else's address.
const emailKey = (issuer: string, email: string) => `login-email:${storeKey('verified-email', `${issuer}\0${email.toLowerCase()}`)}`;

async function add(key: string, loginId: string): Promise<void> {
  const store = getTokenStore();
  const ttlSeconds = getConfig().session.absoluteTimeoutSeconds;
  await store.withLock(`lock:${key}`, LOCK, async () => {
    const sealed = await store.get(key);
    const current = sealed ? ((await openSeal(listSchema, sealed))?.logins ?? []) : [];
    let kept = current.filter((id) => id !== loginId);
    // Full: ended logins make room before live ones, so a logout or "end all" still reaches every live login.
    if (kept.length >= MAX_LOGINS_PER_KEY) {
      const live: string[] = [];
      for (const id of kept) if (!(await isLoginEnded(id))) live.push(id);
      kept = live;
    }
    const logins = [...kept, loginId].slice(-MAX_LOGINS_PER_KEY);
    await store.set(key, await seal({ logins }, ttlSeconds), ttlSeconds * 1000);
  });
}

async function remove(key: string, loginIds: ReadonlySet<string>): Promise<void> {
  const store = getTokenStore();
  await store.withLock(`lock:${key}`, LOCK, async () => {
    const sealed = await store.get(key);
    if (!sealed) return;
    const current = (await openSeal(listSchema, sealed))?.logins ?? [];
    const logins = current.filter((id) => !loginIds.has(id));
    if (logins.length === current.length) return;
    if (logins.length === 0) return store.delete(key);
    const ttlSeconds = getConfig().session.absoluteTimeoutSeconds;
    await store.set(key, await seal({ logins }, ttlSeconds), ttlSeconds * 1000);
  });
}

async function read(key: string): Promise<string[]> {
  const sealed = await getTokenStore().get(key);
  return sealed ? [...((await openSeal(listSchema, sealed))?.logins ?? [])] : [];
}

/** Records a new login under its provider session and its user. A failure only costs back-channel reach. */
export async function indexLogin(
  entry: { issuer: string; loginId: string; sub: string; idpSid?: string; verifiedEmail?: string | null },
  requestId: string,
): Promise<void> {
  try {
    await add(subKey(entry.issuer, entry.sub), entry.loginId);
    if (entry.verifiedEmail) await add(emailKey(entry.issuer, entry.verifiedEmail), entry.loginId);
    if (entry.idpSid) await add(sidKey(entry.issuer, entry.idpSid), entry.loginId);
  } catch (error) {
    log.warn('auth.login_index.failed', { requestId, error });
  }
}

/** The logins of a provider session (`sid`), else of a user (`sub`): what a logout token names. */
export async function loginsFor(issuer: string, target: { sid?: string; sub?: string }): Promise<string[]> {
  if (target.sid) return read(sidKey(issuer, target.sid));
  if (target.sub) return read(subKey(issuer, target.sub));
  return [];
}

/**
 * Every login indexed for a user named by an admin: the value is tried both as a subject id and
 * as a verified email (a subject id may itself look like an address), without duplicates.
 */
export async function loginsOfUser(issuer: string, user: string): Promise<string[]> {
  const [bySub, byEmail] = await Promise.all([read(subKey(issuer, user)), read(emailKey(issuer, user))]);
  return [...new Set([...bySub, ...byEmail])];
}

/** Takes ended logins out of a user's lists (by subject id and by email), so they stop taking room. */
export async function unindexLogins(issuer: string, user: string, loginIds: readonly string[]): Promise<void> {
  if (loginIds.length === 0) return;
  const ids = new Set(loginIds);
  await remove(subKey(issuer, user), ids);
  await remove(emailKey(issuer, user), ids);
}
