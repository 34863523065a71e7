import 'server-only';
import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { processSingleton } from '@/lib/runtime';
import { accessDataSchema, openSeal, seal, sessionDataSchema, type SessionState } from '@/lib/session';
import { classifyIdpError, getPelotonConfiguration, oidc } from '@/lib/auth/peloton';
import { expiresAtFrom, isDueForRenewal } from '@/lib/auth/token-times';
import { keyedHash, keyedIdHash } from '@/lib/tokens/keys';
import { getMetrics } from '@/lib/tokens/metrics';
import { SingleFlight } from '@/lib/tokens/single-flight';
import { getTokenStore } from '@/lib/tokens/store-factory';

/**
 * User access tokens (Peloton, authorization code). Refresh tokens are single-use and rotate, so
 * exactly one refresh may happen per login per expiry (see docs/ARCHITECTURE.md):
 *
 * - `rotation:<keyed hash of the login id>` holds the newest sealed state of a login for
 *   {@link ROTATION_WINDOW_MS} after each rotation. A request that still carries an older cookie
 *   adopts it instead of refreshing, and every response that sets cookies sets that newest state.
 * - `spent:<keyed hash of a refresh token>` marks a rotated-out refresh token for the session's
 *   whole lifetime, so it is never presented to the provider again (which could revoke the login).
 * - Refreshes of one login are serialised by a lock and shared by concurrent requests.
 */

/** Peloton user tokens are renewed this long before expiry at most (half the lifetime if shorter). */
export const USER_TOKEN_RENEWAL_MS = 60_000;
/** How long the newest state of a login is kept after a rotation: far beyond any request's life. */
export const ROTATION_WINDOW_MS = 10 * 60_000;
const LOCK = { leaseMs: 15_000, waitMs: 20_000 };
/** When the provider fails, the caller may retry after this many seconds. */
export const IDP_RETRY_AFTER_SECONDS = 5;

const storedStateSchema = z.object({ session: sessionDataSchema, access: accessDataSchema.nullable() });

/** The session ended at the provider (revoked, reused or expired login): sign in again. */
export class SessionEndedError extends AppError {
  constructor(
    message = 'Your Peloton sign-in has ended. Please sign in again.',
    readonly clearCookies = true,
  ) {
    super('SIGN_IN_REQUIRED', { message });
  }
}

export interface UserTokenResult {
  accessToken: string;
  /** The state the cookies must now hold (newer than the request's when `changed`). */
  state: SessionState;
  changed: boolean;
  /** True when this request waited for a refresh that another request performed. */
  shared: boolean;
}

const rotationKey = (sid: string) => `rotation:${keyedIdHash('login', sid)}`;
const spentKey = (refreshToken: string) => `spent:${keyedHash('refresh-token', refreshToken)}`;

/** A login's rotation slot: its newest state, or "ended" after sign-out so a copy of its cookie is refused. */
const rotationSlotSchema = z.union([z.object({ ended: z.literal(true) }), storedStateSchema]);

async function readRotation(sid: string): Promise<SessionState | null> {
  const sealed = await getTokenStore().get(rotationKey(sid));
  if (!sealed) return null;
  const slot = await openSeal(rotationSlotSchema, sealed);
  if (slot && 'ended' in slot) throw new SessionEndedError('You signed out of this session. Please sign in again.');
  return slot;
}

/** Throws SessionEndedError when this login was signed out (a replayed copy of its cookie). */
export async function assertLoginActive(sid: string): Promise<void> {
  await readRotation(sid);
}

/** The newer of two states of the same login. */
function newest(a: SessionState, b: SessionState | null): SessionState {
  return b && b.session.sid === a.session.sid && b.session.gen > a.session.gen ? b : a;
}

/** Usable: present, not due for renewal, and not the token an API just refused. */
function isUsable(state: SessionState, now: number, rejected?: string): boolean {
  const access = state.access;
  return (
    access !== null &&
    access.accessToken !== rejected &&
    !isDueForRenewal(access.issuedAt, access.expiresAt, now, USER_TOKEN_RENEWAL_MS)
  );
}

function notExpired(state: SessionState, now: number): boolean {
  return state.access !== null && state.access.expiresAt > now + 1000;
}

const flights = () => processSingleton('user-token-flights', () => new SingleFlight<SessionState>());

/**
 * A valid access token for this session, refreshing before expiry when needed. The returned
 * `state` is the newest known for the login; when `changed`, the caller must store it in the
 * cookies of its response.
 */
export async function getUserAccessToken(
  state: SessionState,
  options: { requestId?: string; rejected?: string } = {},
): Promise<UserTokenResult> {
  const now = Date.now();
  let current = newest(state, await readRotation(state.session.sid));
  if (isUsable(current, now, options.rejected)) {
    return finish(current, state, false);
  }
  const { promise, shared } = flights().run(state.session.sid, () => refreshUnderLock(current, options));
  if (shared) getMetrics().countSharedRefresh(state.session.sid);
  current = await promise;
  return finish(current, state, shared);
}

function finish(current: SessionState, original: SessionState, shared: boolean): UserTokenResult {
  return {
    accessToken: (current.access as NonNullable<SessionState['access']>).accessToken,
    state: current,
    changed: current.session.gen !== original.session.gen || current.access !== original.access,
    shared,
  };
}

async function refreshUnderLock(
  known: SessionState,
  options: { requestId?: string; rejected?: string },
): Promise<SessionState> {
  const sid = known.session.sid;
  return getTokenStore().withLock(`lock:${keyedIdHash('login', sid)}`, LOCK, async () => {
    // Another request (or instance) may have rotated while this one waited: re-read first.
    const base = newest(known, await readRotation(sid));
    if (isUsable(base, Date.now(), options.rejected)) return base;
    return refresh(base, options);
  });
}

async function refresh(base: SessionState, { requestId, rejected }: { requestId?: string; rejected?: string }): Promise<SessionState> {
  const store = getTokenStore();
  const { session } = base;
  const refreshToken = session.refreshToken;
  if (!refreshToken) {
    if (notExpired(base, Date.now()) && base.access?.accessToken !== rejected) return base;
    throw new SessionEndedError('Your sign-in has expired. Please sign in again.');
  }
  if (await store.get(spentKey(refreshToken))) {
    // This cookie's refresh token was rotated out and its rotation record is gone: presenting
    // it again could make the provider revoke the login. The browser holds a newer cookie.
    log.warn('auth.refresh.stale_cookie', { requestId, sub: session.user.sub });
    throw new SessionEndedError('This page used an outdated session. Please reload or sign in again.', false);
  }

  const metrics = getMetrics();
  let tokens: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>;
  const started = Date.now();
  try {
    const configuration = await getPelotonConfiguration();
    metrics.count('refreshes');
    tokens = await oidc.refreshTokenGrant(configuration, refreshToken);
  } catch (error) {
    const { kind, oauthError } = classifyIdpError(error);
    if (kind === 'invalid_grant') {
      // Lost a race with another instance whose rotation we can now see? Then use it.
      const after = await readRotation(session.sid);
      if (after && after.session.gen > session.gen && after.access) return after;
      metrics.count('errors');
      log.warn('security.refresh_rejected', {
        requestId,
        sub: session.user.sub,
        oauthError,
        note: 'the provider ended this login (revoked, expired or reused refresh token)',
      });
      await store.delete(rotationKey(session.sid));
      throw new SessionEndedError();
    }
    metrics.count('errors');
    metrics.recordRefresh(session.sid, 'failed', oauthError ?? kind);
    log.warn('auth.refresh.failed', { requestId, sub: session.user.sub, kind, oauthError, error });
    // A blip never ends a session; while the current token still works, keep using it.
    if (notExpired(base, Date.now()) && base.access?.accessToken !== rejected) return base;
    throw new AppError('IDP_UNAVAILABLE', { retryAfter: IDP_RETRY_AFTER_SECONDS, cause: error });
  }

  const now = Date.now();
  const rotated = tokens.refresh_token !== undefined && tokens.refresh_token !== refreshToken;
  const gen = session.gen + 1;
  const next: SessionState = {
    session: {
      ...session,
      gen,
      refreshToken: tokens.refresh_token ?? refreshToken,
      lastSeenAt: now,
      rotations: session.rotations + 1,
      lastRefreshAt: now,
    },
    access: {
      sid: session.sid,
      gen,
      accessToken: tokens.access_token,
      expiresAt: expiresAtFrom(tokens.access_token, tokens.expires_in, now),
      issuedAt: now,
    },
  };
  // Record the rotation before anyone can use the new cookie, then retire the old token.
  await store.set(rotationKey(session.sid), await seal(next, ROTATION_WINDOW_MS / 1000), ROTATION_WINDOW_MS);
  if (rotated) {
    await store.set(spentKey(refreshToken), String(gen), getConfig().session.absoluteTimeoutSeconds * 1000);
  }
  metrics.userRefreshes += 1;
  metrics.recordRefresh(session.sid, 'succeeded');
  log.info('auth.refreshed', { requestId, sub: session.user.sub, gen, ms: now - started });
  return next;
}

/**
 * Ends a login at sign-out: its rotation slot then says "ended" for as long as any cookie of it
 * could live, so a copy of the cookie kept from before sign-out is refused, not served.
 */
export async function forgetLogin(sid: string): Promise<void> {
  const ttlSeconds = getConfig().session.absoluteTimeoutSeconds;
  await getTokenStore().set(rotationKey(sid), await seal({ ended: true }, ttlSeconds + 60), ttlSeconds * 1000);
}

/** The newest state known for a login, for responses that rewrite cookies without refreshing. */
export async function newestKnownState(state: SessionState): Promise<SessionState> {
  return newest(state, await readRotation(state.session.sid));
}
