import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { sealData, unsealData } from 'iron-session';
import { processSingleton } from '@/lib/runtime';
import { z } from 'zod';
import { getConfig, type AppConfig } from '@/lib/config';
import { isListed } from '@/lib/auth/user-list';
import { isWellFormedSeal, SEAL_PASSWORD_ID } from '@/lib/security/seal-format';

/**
 * The encrypted session cookies (iron-session seals).
 *
 * A realistic Peloton access token (~1.5 KB) plus refresh token (~1 KB) sealed together pass the
 * browser's 4096-byte cookie limit, so the session is split in two cookies (see
 * docs/ARCHITECTURE.md): `session` holds the user and the refresh token, `access` holds the
 * access token. Both carry the login id and generation, so a mismatched pair is never used.
 */

export const sessionUserSchema = z.object({
  sub: z.string().min(1),
  name: z.string().nullable(),
  email: z.string().nullable(),
  /** The ID token's `email_verified`; cookies from before it was kept read as unverified. */
  emailVerified: z.boolean().default(false),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const sessionDataSchema = z.object({
  v: z.literal(1),
  /** Random id of this login; never derived from a token. */
  sid: z.string().min(16),
  /** Increments on every refresh-token rotation; the newest generation always wins. */
  gen: z.number().int().nonnegative(),
  user: sessionUserSchema,
  refreshToken: z.string().min(1).nullable(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  rotations: z.number().int().nonnegative(),
  lastRefreshAt: z.number().nullable(),
});
export type SessionData = z.infer<typeof sessionDataSchema>;

export const accessDataSchema = z.object({
  sid: z.string(),
  gen: z.number().int().nonnegative(),
  accessToken: z.string().min(1),
  /** Epoch ms. */
  expiresAt: z.number(),
  issuedAt: z.number(),
});
export type AccessData = z.infer<typeof accessDataSchema>;

/** Both halves of a signed-in session, as read from (or about to be written to) cookies. */
export interface SessionState {
  session: SessionData;
  access: AccessData | null;
}

const SESSION_COOKIE = 'wv_session';
const ACCESS_COOKIE = 'wv_at';

/** Cookie names get the `__Host-` prefix on https, which pins them to this origin and path `/`. */
export function cookieName(base: string, config: AppConfig = getConfig()): string {
  return config.secureCookies ? `__Host-${base}` : base;
}

export function sessionCookieNames(config: AppConfig = getConfig()): { session: string; access: string } {
  return { session: cookieName(SESSION_COOKIE, config), access: cookieName(ACCESS_COOKIE, config) };
}

export interface CookieToSet {
  name: string;
  value: string;
  options: {
    httpOnly: boolean;
    secure: boolean;
    sameSite: 'lax' | 'strict';
    path: string;
    maxAge: number;
  };
}

export function cookieOptions(maxAgeSeconds: number, config: AppConfig = getConfig()): CookieToSet['options'] {
  return { httpOnly: true, secure: config.secureCookies, sameSite: 'lax', path: '/', maxAge: maxAgeSeconds };
}

/** Seals with the first password; the others stay valid for reading (rotation). */
export async function seal(data: unknown, ttlSeconds: number, config: AppConfig = getConfig()): Promise<string> {
  const [current] = config.session.passwords;
  return sealData(data, { password: { [SEAL_PASSWORD_ID]: current as string }, ttl: ttlSeconds });
}

/** Tries each configured password; a seal made with a retired password reads as nothing. */
export async function unseal(value: string, config: AppConfig = getConfig()): Promise<unknown> {
  return (await openedSeal(value, config))?.data ?? null;
}

/**
 * Opens a seal and checks it against `schema`: the parsed value, frozen, or null when the seal
 * does not open or does not match. The same seal arrives on every request (a cookie, a cached
 * token), so both the opening and the parse are remembered per seal.
 */
export async function openSeal<T>(schema: z.ZodType<T>, value: string, config: AppConfig = getConfig()): Promise<Readonly<T> | null> {
  const opened = await openedSeal(value, config);
  if (!opened) return null;
  if (!opened.parsed.has(schema)) {
    const result = schema.safeParse(opened.data);
    opened.parsed.set(schema, result.success ? deepFreeze(result.data) : null);
  }
  return opened.parsed.get(schema) as Readonly<T> | null;
}

async function openedSeal(value: string, config: AppConfig): Promise<OpenedSeal | null> {
  if (!value || value.length > 8192) return null;
  const setId = passwordSetId(config);
  // Remembered seals are keyed by their exact text, which passed the format check below when it
  // was first opened: checking it again (decoding ~2 KB of base64url) on every request would cost
  // more than the lookup.
  const remembered = unsealedSeals().get(setId, value);
  if (remembered) return remembered;
  // Exactly a seal we could have made, or nothing: iron's own parsing is lenient (see seal-format.ts).
  if (!isWellFormedSeal(value)) return null;
  for (const password of config.session.passwords) {
    try {
      const data = await unsealData<Record<string, unknown>>(value, { password: { [SEAL_PASSWORD_ID]: password } });
      if (data && Object.keys(data).length > 0) return unsealedSeals().set(setId, value, data);
    } catch {
      // A garbage or truncated seal throws; treat it like a wrong password.
    }
  }
  return null;
}

interface OpenedSeal {
  data: Readonly<Record<string, unknown>>;
  /** Parse results by schema: null when the data did not match it. */
  parsed: Map<z.ZodType, unknown>;
  until: number;
}

/**
 * Seals this process has already opened, by their exact text. The same cookie and the same
 * cached token arrive on every request, and opening a seal (key derivation, HMAC, AES) is the
 * largest cost of a gateway call. Only seals that opened are kept (an attacker cannot fill it),
 * each until its own expiry and at most a minute, and values come back frozen.
 */
class UnsealedSeals {
  /** By password set, then by seal text (no key concatenation: seals are long). */
  private readonly sets = new Map<string, Map<string, OpenedSeal>>();
  private static readonly MAX_ENTRIES = 2000;
  private static readonly MAX_AGE_MS = 60_000;

  get(setId: string, value: string): OpenedSeal | undefined {
    const entries = this.sets.get(setId);
    const entry = entries?.get(value);
    if (!entries || !entry) return undefined;
    if (entry.until <= Date.now()) {
      entries.delete(value);
      return undefined;
    }
    return entry;
  }

  set(setId: string, value: string, data: Record<string, unknown>): OpenedSeal {
    // Iron seals carry their expiry (ms since epoch) as the sixth `*`-separated field.
    const expiration = Number(value.split('*')[5]);
    const cap = Date.now() + UnsealedSeals.MAX_AGE_MS;
    const until = Number.isFinite(expiration) && expiration > 0 ? Math.min(expiration, cap) : cap;
    let entries = this.sets.get(setId);
    if (!entries) this.sets.set(setId, (entries = new Map()));
    const entry: OpenedSeal = { data: deepFreeze(data), parsed: new Map(), until };
    entries.set(value, entry);
    if (entries.size > UnsealedSeals.MAX_ENTRIES) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    return entry;
  }
}

/** Names a set of session passwords, so a seal opened under one set is not trusted under another. */
const passwordSetIds = new WeakMap<AppConfig, string>();
function passwordSetId(config: AppConfig): string {
  let id = passwordSetIds.get(config);
  if (!id) {
    id = createHash('sha256').update(config.session.passwords.join('\0')).digest('hex').slice(0, 16);
    passwordSetIds.set(config, id);
  }
  return id;
}

const unsealedSeals = () => processSingleton('unsealed-seals', () => new UnsealedSeals());

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

/** Why a cookie could not be used; callers clear the cookie in every case but `ok`. */
export type SessionReadResult =
  | { status: 'ok'; state: SessionState }
  | { status: 'none' }
  | { status: 'invalid' }
  | { status: 'expired'; reason: 'idle' | 'absolute' };

/**
 * Reads and checks both cookies; anything tampered, truncated, too old or (with `ALLOWED_USERS`)
 * of a user no longer allowed reads as signed out.
 */
export async function readSessionCookies(
  cookies: { get(name: string): { value: string } | undefined },
  now = Date.now(),
  config: AppConfig = getConfig(),
): Promise<SessionReadResult> {
  const names = sessionCookieNames(config);
  const raw = cookies.get(names.session)?.value;
  if (!raw) return { status: 'none' };
  const session = await openSeal(sessionDataSchema, raw, config);
  if (!session) return { status: 'invalid' };
  // A login from before ALLOWED_USERS was set (or narrowed) ends here, as the callback would refuse it.
  if (config.allowedUsers && !isListed(session.user, config.allowedUsers)) return { status: 'invalid' };
  if (now - session.createdAt > config.session.absoluteTimeoutSeconds * 1000) {
    return { status: 'expired', reason: 'absolute' };
  }
  if (now - session.lastSeenAt > config.session.idleTimeoutSeconds * 1000) {
    return { status: 'expired', reason: 'idle' };
  }
  let access: AccessData | null = null;
  const rawAccess = cookies.get(names.access)?.value;
  if (rawAccess) {
    const opened = await openSeal(accessDataSchema, rawAccess, config);
    // A pair from different logins or generations is never mixed.
    if (opened && opened.sid === session.sid && opened.gen === session.gen) access = opened;
  }
  return { status: 'ok', state: { session, access } };
}

/** Seconds the cookies may live: whatever is left of the absolute lifetime. */
function remainingLifetimeSeconds(session: SessionData, now: number, config: AppConfig): number {
  const left = Math.floor((session.createdAt + config.session.absoluteTimeoutSeconds * 1000 - now) / 1000);
  return Math.max(left, 1);
}

/** The Set-Cookie values that store this state. */
export async function sessionCookiesToSet(
  state: SessionState,
  now = Date.now(),
  config: AppConfig = getConfig(),
): Promise<CookieToSet[]> {
  const names = sessionCookieNames(config);
  const maxAge = remainingLifetimeSeconds(state.session, now, config);
  const ttl = maxAge + 60;
  const cookies: CookieToSet[] = [
    { name: names.session, value: await seal(state.session, ttl, config), options: cookieOptions(maxAge, config) },
  ];
  if (state.access) {
    cookies.push({
      name: names.access,
      value: await seal(state.access, ttl, config),
      options: cookieOptions(maxAge, config),
    });
  } else {
    cookies.push({ name: names.access, value: '', options: cookieOptions(0, config) });
  }
  return cookies;
}

/** Set-Cookie values that remove both session cookies. */
export function clearedSessionCookies(config: AppConfig = getConfig()): CookieToSet[] {
  const names = sessionCookieNames(config);
  return [names.session, names.access].map((name) => ({ name, value: '', options: cookieOptions(0, config) }));
}

/**
 * True when the user is listed in `ADMIN_USERS`: by exact subject id, or by email only when the
 * provider verified it (anyone may register an admin's address on a tenant with sign-up).
 */
export function isAdmin(user: SessionUser, config: AppConfig = getConfig()): boolean {
  return isListed(user, config.adminUsers);
}

/** Idle time is tracked coarsely so that not every request rewrites the cookie. */
export const SESSION_TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export function needsTouch(session: SessionData, now = Date.now()): boolean {
  return now - session.lastSeenAt > SESSION_TOUCH_INTERVAL_MS;
}

/** The JSON that `GET /api/auth/session` answers; it never holds a token. */
export function describeSession(state: SessionState | null, config: AppConfig = getConfig()) {
  if (!state) return { authenticated: false as const };
  const { user } = state.session;
  return {
    authenticated: true as const,
    user: { sub: user.sub, name: user.name, email: user.email },
    isAdmin: isAdmin(user, config),
    accessTokenExpiresAt: state.access ? new Date(state.access.expiresAt).toISOString() : null,
  };
}
