import 'server-only';
import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { AppError, BusyError } from '@/lib/errors';
import { log } from '@/lib/log';
import { traceTokenRequest, withSpan } from '@/lib/observability/tracing';
import { processSingleton } from '@/lib/runtime';
import { accessDataSchema, openSeal, seal, sessionDataSchema, type SessionState } from '@/lib/session';
import { classifyIdpError, getPelotonConfiguration, oidc } from '@/lib/auth/peloton';
import { expiresAtFrom, isDueForRenewal } from '@/lib/auth/token-times';
import { revokeRefreshToken } from '@/lib/auth/revocation';
import { forgetLogin, noteLoginSeen } from '@/lib/auth/login-activity';
import { storeIdKey, storeKey } from '@/lib/tokens/keys';
import { recordRefresh, recordRefreshTokenReuse, recordSessionEnded, recordSharedRefresh } from '@/lib/observability/store';
import { SingleFlight } from '@/lib/tokens/single-flight';
import { getTokenStore } from '@/lib/tokens/store-factory';
import { LockTimeoutError } from '@/lib/tokens/store';

/**
 * User access tokens (Peloton, authorization code). Refresh tokens are single-use and rotate, so
 * exactly one refresh may happen per login per expiry (see docs/ARCHITECTURE.md):
 *
 * - `rotation:<hash of the login id>` holds the newest sealed state of a login for
 *   {@link ROTATION_WINDOW_MS} after each rotation. A request that still carries an older cookie
 *   adopts it instead of refreshing, and every response that sets cookies sets that newest state.
 * - `spent:<hash of a refresh token>` marks a rotated-out refresh token for the session's whole
 *   lifetime, so it is never presented to the provider again (which could revoke the login). It
 *   holds its successor, sealed, so a replay can find and revoke the login's newest token.
 * - Refreshes and sign-out of one login are serialised by one lock (`lock:<hash of the login id>`).
 * - Keys are {@link storeKey}s (no password in them), so they survive a SESSION_PASSWORD rotation.
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

const loginKey = (sid: string) => storeIdKey('login', sid);
const rotationKey = (sid: string) => `rotation:${loginKey(sid)}`;
const lockKey = (sid: string) => `lock:${loginKey(sid)}`;
const spentKey = (refreshToken: string) => `spent:${storeKey('refresh-token', refreshToken)}`;

/**
 * The "ended" marker, in the clear: it holds no secret, and every instance must read it whatever
 * passwords it has (a rolling SESSION_PASSWORD rotation runs [old] beside [new, old]).
 */
const ENDED = 'ended:v1';
/** A rotation slot as this version writes it, or the sealed "ended" of earlier versions. */
const rotationSlotSchema = z.union([z.object({ ended: z.literal(true) }), storedStateSchema]);
/** A spent refresh token's record: the generation that replaced it and its successor (sealed). */
const spentSchema = z.object({ gen: z.number(), successor: z.string().nullable() });

async function readRotation(sid: string): Promise<SessionState | null> {
  const sealed = await getTokenStore().get(rotationKey(sid));
  if (!sealed) return null;
  if (sealed === ENDED) throw new SessionEndedError('You signed out of this session. Please sign in again.');
  const slot = await openSeal(rotationSlotSchema, sealed);
  if (slot && 'ended' in slot) throw new SessionEndedError('You signed out of this session. Please sign in again.');
  // Written by an instance that seals with a password this one does not have yet (a rotation in
  // progress): a newer state exists, so this instance must not present the refresh token it knows.
  if (!slot) throw new UnreadableRotationError();
  return slot;
}

/** A newer state of the login exists, sealed with a password this instance cannot open. */
class UnreadableRotationError extends BusyError {
  constructor() {
    super({ message: 'This session was renewed by another server a moment ago. Please retry shortly.' });
    this.name = 'UnreadableRotationError';
  }
}

/** Throws SessionEndedError when this login was signed out (a replayed copy of its cookie). */
export async function assertLoginActive(sid: string): Promise<void> {
  try {
    await readRotation(sid);
  } catch (error) {
    // A newer state this instance cannot open is still an active login.
    if (!(error instanceof UnreadableRotationError)) throw error;
  }
  noteLoginSeen(sid);
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
  let current: SessionState;
  try {
    current = newest(state, await readRotation(state.session.sid));
  } catch (error) {
    // The cookie's own token may still serve while the newer state cannot be read here.
    if (error instanceof UnreadableRotationError && isUsable(state, now, options.rejected)) return finish(state, state, false);
    throw error;
  }
  noteLoginSeen(state.session.sid, now);
  if (isUsable(current, now, options.rejected)) {
    return finish(current, state, false);
  }
  // The span covers the login's lock, the rotation re-read and the token request.
  const traced = () => withSpan('token.refresh', { attributes: { 'oauth.provider': 'peloton', 'oauth.grant_type': 'refresh_token' } }, () => refreshUnderLock(current, options));
  const { promise, shared } = flights().run(state.session.sid, traced);
  if (shared) recordSharedRefresh(state.session.sid);
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
  return getTokenStore().withLock(lockKey(sid), LOCK, async () => {
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
  const spent = await store.get(spentKey(refreshToken));
  if (spent) {
    // This refresh token was rotated out and its rotation record is gone: a copy of an old cookie
    // came back after the rotation window. Treated as theft: the login ends here and at Peloton.
    await endReplayedLogin(session.sid, refreshToken, spent, { requestId, sub: session.user.sub });
    throw new SessionEndedError('This session was used from an outdated copy and has been ended for safety. Please sign in again.');
  }

  let tokens: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>;
  const started = Date.now();
  try {
    const configuration = await getPelotonConfiguration();
    tokens = await traceTokenRequest({ provider: 'peloton', grant: 'refresh_token', tokenUrl: configuration.serverMetadata().token_endpoint }, () =>
      oidc.refreshTokenGrant(configuration, refreshToken),
    );
  } catch (error) {
    const { kind, oauthError } = classifyIdpError(error);
    recordRefresh(session.sid, kind === 'invalid_grant' ? 'invalid_grant' : 'failed', oauthError ?? kind, (Date.now() - started) / 1000);
    if (kind === 'invalid_grant') {
      // Lost a race with another instance whose rotation we can now see? Then use it.
      const after = await readRotation(session.sid);
      if (after && after.session.gen > session.gen && after.access) return after;
      recordSessionEnded('provider_ended');
      log.warn('security.refresh_rejected', {
        requestId,
        sub: session.user.sub,
        oauthError,
        note: 'the provider ended this login (revoked, expired or reused refresh token)',
      });
      await store.delete(rotationKey(session.sid));
      throw new SessionEndedError();
    }
    log.warn('auth.refresh.failed', { requestId, sub: session.user.sub, kind, oauthError, error });
    // A blip never ends a session; while the current token still works, keep using it.
    if (notExpired(base, Date.now()) && base.access?.accessToken !== rejected) return base;
    throw new AppError('IDP_UNAVAILABLE', { retryAfter: IDP_RETRY_AFTER_SECONDS, cause: error });
  }

  const now = Date.now();
  recordRefresh(session.sid, 'success', null, (now - started) / 1000);
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
  // Signed out while the provider answered (a lock lost to expiry, or Redis down): never bring
  // the login back; the token just issued is revoked instead.
  const slot = await store.get(rotationKey(session.sid));
  if (slot === ENDED) {
    if (tokens.refresh_token) void revokeRefreshToken(tokens.refresh_token, { requestId, reason: 'refreshed_after_sign_out' });
    throw new SessionEndedError('You signed out of this session. Please sign in again.');
  }
  // Record the rotation before anyone can use the new cookie, then retire the old token.
  await store.set(rotationKey(session.sid), await seal(next, ROTATION_WINDOW_MS / 1000), ROTATION_WINDOW_MS);
  if (rotated) {
    const ttlSeconds = getConfig().session.absoluteTimeoutSeconds;
    const record = await seal({ gen, successor: tokens.refresh_token ?? null }, ttlSeconds + 60);
    await store.set(spentKey(refreshToken), record, ttlSeconds * 1000);
  }
  log.info('auth.refreshed', { requestId, sub: session.user.sub, gen, ms: now - started });
  return next;
}

/** Marks a login ended for as long as any cookie of it could live; it leaves the admin's list of logins. */
async function writeEnded(sid: string): Promise<void> {
  await getTokenStore().set(rotationKey(sid), ENDED, getConfig().session.absoluteTimeoutSeconds * 1000);
  await forgetLogin(sid);
}

/** Follows the spent-token chain from `presented` to the newest refresh token this store knows. */
async function newestRefreshToken(presented: string, record: string): Promise<string> {
  let newestToken = presented;
  let current: string | null = record;
  // Bounded: one step per rotation; a chain longer than this is cut, not followed forever.
  for (let step = 0; current && step < 1000; step += 1) {
    const spent = await openSeal(spentSchema, current);
    if (!spent?.successor || spent.successor === newestToken) break;
    newestToken = spent.successor;
    current = await getTokenStore().get(spentKey(newestToken));
  }
  return newestToken;
}

async function endReplayedLogin(sid: string, presented: string, record: string, context: { requestId?: string; sub: string }) {
  await writeEnded(sid);
  const newestToken = await newestRefreshToken(presented, record);
  log.warn('security.refresh_token_replay', {
    requestId: context.requestId,
    sub: context.sub,
    note: 'a rotated-out refresh token came back after the rotation window; the login was ended and revoked',
    foundNewer: newestToken !== presented,
  });
  recordRefreshTokenReuse();
  // Revoking the newest token ends the whole login at providers that revoke per grant (Auth0).
  void revokeRefreshToken(newestToken, { requestId: context.requestId, reason: 'refresh_token_replay' });
  if (newestToken !== presented) void revokeRefreshToken(presented, { requestId: context.requestId, reason: 'refresh_token_replay' });
}

/**
 * Ends a login at sign-out, under the same lock as its refreshes, so a refresh in flight finishes
 * first and cannot bring the login back. Its rotation slot then says "ended" for as long as any
 * cookie of it could live, so a copy kept from before sign-out is refused. Returns the newest
 * refresh token of the login (to revoke), or null when it had already ended.
 */
export async function endLogin(state: SessionState): Promise<string | null> {
  const sid = state.session.sid;
  const end = async (): Promise<string | null> => {
    let latest: SessionState;
    try {
      latest = newest(state, await readRotation(sid));
    } catch (error) {
      if (error instanceof SessionEndedError) return null;
      if (!(error instanceof UnreadableRotationError)) throw error;
      latest = state;
    }
    await writeEnded(sid);
    recordSessionEnded('signed_out');
    return latest.session.refreshToken ?? null;
  };
  try {
    return await getTokenStore().withLock(lockKey(sid), LOCK, end);
  } catch (error) {
    if (!(error instanceof LockTimeoutError)) throw error;
    // A refresh held the lock too long: end the login anyway; it checks "ended" before it writes.
    return end();
  }
}

/**
 * Ends a login known only by its id (a back-channel logout): its rotation slot says "ended", so
 * every instance refuses its cookies from the next request. The provider already ended the
 * refresh token, so nothing is revoked here.
 */
export async function endLoginById(sid: string): Promise<void> {
  await writeEnded(sid);
  recordSessionEnded('backchannel_logout');
}

/** True when this login was signed out or ended (by any instance). */
export async function isLoginEnded(sid: string): Promise<boolean> {
  try {
    await readRotation(sid);
    return false;
  } catch (error) {
    if (error instanceof SessionEndedError) return true;
    if (error instanceof UnreadableRotationError) return false;
    throw error;
  }
}

/** The newest state known for a login, for responses that rewrite cookies without refreshing. */
export async function newestKnownState(state: SessionState): Promise<SessionState> {
  try {
    return newest(state, await readRotation(state.session.sid));
  } catch (error) {
    if (error instanceof UnreadableRotationError) return state;
    throw error;
  }
}
