import 'server-only';
import { hostname } from 'node:os';
import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { log } from '@/lib/log';
import { processSingleton } from '@/lib/runtime';
import { openSeal, seal, type SessionUser } from '@/lib/session';
import { storeIdKey } from '@/lib/tokens/keys';
import { getTokenStore } from '@/lib/tokens/store-factory';

/**
 * What an admin may see of each active login: when it started, when it was last seen, a browser
 * summary and the instance that last saw it. One sealed record per login in the shared token
 * store (`login-info:<handle>`), written at sign-in, refreshed at most once a minute per login
 * while it is used, deleted when the login ends, and expiring with it (idle or absolute timeout),
 * so the store holds only live logins.
 *
 * A login is named to admins by its handle: a domain-separated hash of the random login id,
 * which cannot be turned back into the id and differs from every other key derived from it.
 */

/** Last seen is written at most this often per login (per instance, and skipped when another wrote it). */
export const LOGIN_SEEN_INTERVAL_MS = 60_000;
/** Logins this instance remembers having touched; the oldest are forgotten first. */
const MAX_TRACKED = 20_000;
const HANDLE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const loginInfoSchema = z.object({
  sid: z.string().min(16),
  sub: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  startedAt: z.number(),
  lastSeenAt: z.number(),
  userAgent: z.string().nullable(),
  instance: z.string().nullable(),
});
export type LoginInfo = z.infer<typeof loginInfoSchema>;

/** The admin-facing name of a login: not reversible to its id. */
export function loginHandle(sid: string): string {
  return storeIdKey('login-handle', sid);
}

/** True for a string shaped like a {@link loginHandle} (a base64url SHA-256). */
export function isLoginHandle(value: string): boolean {
  return HANDLE_PATTERN.test(value);
}

const infoKey = (handle: string) => `login-info:${handle}`;
const thisInstance = () => processSingleton('login-activity-instance', () => hostname().slice(0, 64) || null);
const touched = () => processSingleton('login-activity-touched', () => new Map<string, number>());

/** As long as the login itself can live: its absolute limit, or its idle limit from last seen (plus slack for the coarse last seen). */
function ttlMs(info: LoginInfo, now: number): number {
  const { absoluteTimeoutSeconds, idleTimeoutSeconds } = getConfig().session;
  const absoluteLeft = info.startedAt + absoluteTimeoutSeconds * 1000 - now;
  const idleLeft = info.lastSeenAt + idleTimeoutSeconds * 1000 + 2 * LOGIN_SEEN_INTERVAL_MS - now;
  return Math.max(1000, Math.min(absoluteLeft, idleLeft));
}

async function write(info: LoginInfo, now: number): Promise<void> {
  const ttl = ttlMs(info, now);
  await getTokenStore().set(infoKey(loginHandle(info.sid)), await seal(info, Math.ceil(ttl / 1000) + 60), ttl);
}

/** Records a new login at sign-in. A failure costs only the admin's view of it. */
export async function recordLogin(
  entry: { sid: string; user: SessionUser; startedAt: number; userAgent: string | null },
  requestId: string,
): Promise<void> {
  try {
    const info: LoginInfo = {
      sid: entry.sid,
      sub: entry.user.sub,
      name: entry.user.name,
      email: entry.user.email,
      startedAt: entry.startedAt,
      lastSeenAt: entry.startedAt,
      userAgent: entry.userAgent,
      instance: thisInstance(),
    };
    touched().set(entry.sid, entry.startedAt);
    await write(info, entry.startedAt);
  } catch (error) {
    log.warn('auth.login_activity.failed', { requestId, error });
  }
}

/**
 * Notes that a login was just used. Cheap on the hot path: nothing happens when this instance
 * noted it within {@link LOGIN_SEEN_INTERVAL_MS}; otherwise the record is read, and rewritten only
 * when no instance has done so within that interval. Never waits and never fails the request.
 */
export function noteLoginSeen(sid: string, now = Date.now()): void {
  const seen = touched();
  const last = seen.get(sid);
  if (last !== undefined && now - last < LOGIN_SEEN_INTERVAL_MS) return;
  seen.delete(sid);
  if (seen.size >= MAX_TRACKED) {
    const oldest = seen.keys().next().value;
    if (oldest !== undefined) seen.delete(oldest);
  }
  seen.set(sid, now);
  void touch(sid, now).catch((error: unknown) => log.warn('auth.login_activity.failed', { error }));
}

async function touch(sid: string, now: number): Promise<void> {
  const info = await readLoginInfo(loginHandle(sid));
  // No record: a login from before this was kept, or one that has ended or expired.
  if (!info || info.sid !== sid || now - info.lastSeenAt < LOGIN_SEEN_INTERVAL_MS) return;
  await write({ ...info, lastSeenAt: now, instance: thisInstance() }, now);
}

/** The record of a live login by its handle, or null. */
export async function readLoginInfo(handle: string): Promise<LoginInfo | null> {
  if (!isLoginHandle(handle)) return null;
  const sealed = await getTokenStore().get(infoKey(handle));
  return sealed ? ((await openSeal(loginInfoSchema, sealed)) as LoginInfo | null) : null;
}

/** Drops a login's record (it ended). */
export async function forgetLogin(sid: string): Promise<void> {
  touched().delete(sid);
  await getTokenStore().delete(infoKey(loginHandle(sid)));
}
