import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { getConfig } from '@/lib/config';
import { log } from '@/lib/log';
import { getPelotonConfiguration, idTokenAlgorithms } from '@/lib/auth/peloton';
import { loginsFor } from '@/lib/auth/login-index';
import { storeKey } from '@/lib/tokens/keys';
import { getTokenStore } from '@/lib/tokens/store-factory';
import { endLoginById } from '@/lib/tokens/user-tokens';

/** A logout token is a few hundred bytes; anything far larger is refused unread. */
export const MAX_LOGOUT_BODY_BYTES = 16 * 1024;
/** `iat` may be this far from now (either way). */
export const LOGOUT_TOKEN_MAX_AGE_SECONDS = 300;
const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

class LogoutRefused extends Error {}

const jwksByUri = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function answer(status: 200 | 400, body: Record<string, string> | null): NextResponse {
  const response = body ? NextResponse.json(body, { status }) : new NextResponse(null, { status });
  response.headers.set('cache-control', 'no-store');
  return response;
}

async function readForm(request: NextRequest): Promise<URLSearchParams> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new LogoutRefused('must be a form post');
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_LOGOUT_BODY_BYTES) throw new LogoutRefused('body too large');
  if (!request.body) throw new LogoutRefused('logout_token is required');
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_LOGOUT_BODY_BYTES) {
      await reader.cancel();
      throw new LogoutRefused('body too large');
    }
    chunks.push(value);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Validates a logout token as OpenID Connect Back-Channel Logout 1.0 §2.6 says: signature from the
 * provider's JWKS (asymmetric algorithms it lists only), `iss`, `aud`, `iat` within
 * {@link LOGOUT_TOKEN_MAX_AGE_SECONDS}, the back-channel event, `sid` and/or `sub`, no `nonce`,
 * and a `jti` never seen before on any instance (shared token store).
 */
async function validate(logoutToken: string): Promise<{ issuer: string; sid?: string; sub?: string }> {
  const config = getConfig();
  const configuration = await getPelotonConfiguration(config);
  const metadata = configuration.serverMetadata();
  if (!metadata.jwks_uri) throw new Error('the provider has no jwks_uri');
  let jwks = jwksByUri.get(metadata.jwks_uri);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: 10_000 });
    jwksByUri.set(metadata.jwks_uri, jwks);
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(logoutToken, jwks, {
      issuer: metadata.issuer,
      audience: config.peloton.clientId,
      // The provider's asymmetric algorithms only: never none or HS*, whatever discovery lists.
      algorithms: idTokenAlgorithms(metadata.id_token_signing_alg_values_supported),
      requiredClaims: ['iat', 'jti'],
      clockTolerance: 30,
    }));
  } catch {
    throw new LogoutRefused('logout_token is not a valid token from this provider for this client');
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > LOGOUT_TOKEN_MAX_AGE_SECONDS) {
    throw new LogoutRefused('logout_token iat is outside the accepted window');
  }
  const events = payload.events as Record<string, unknown> | undefined;
  const event = events && typeof events === 'object' ? events[EVENT] : undefined;
  if (!event || typeof event !== 'object' || Array.isArray(event)) throw new LogoutRefused('logout_token lacks the back-channel logout event');
  if ('nonce' in payload) throw new LogoutRefused('logout_token must not contain nonce');
  const sid = typeof payload.sid === 'string' && payload.sid !== '' ? payload.sid : undefined;
  const sub = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined;
  if (!sid && !sub) throw new LogoutRefused('logout_token names neither sid nor sub');
  if (typeof payload.jti !== 'string' || payload.jti === '' || payload.jti.length > 256) throw new LogoutRefused('logout_token jti is invalid');
  await claimJti(metadata.issuer, payload.jti);
  return { issuer: metadata.issuer, sid, sub };
}

/** A `jti` is accepted once across every instance: checked and written under one lock. */
async function claimJti(issuer: string, jti: string): Promise<void> {
  const store = getTokenStore();
  const key = `bcl-jti:${storeKey('logout-jti', `${issuer}\0${jti}`)}`;
  const fresh = await store.withLock(`lock:${key}`, { leaseMs: 5_000, waitMs: 5_000 }, async () => {
    if (await store.get(key)) return false;
    // Longer than the iat window on both sides, so a replay is caught for as long as it could pass.
    await store.set(key, 'seen', (2 * LOGOUT_TOKEN_MAX_AGE_SECONDS + 120) * 1000);
    return true;
  });
  if (!fresh) throw new LogoutRefused('logout_token was already used');
}

/**
 * `POST /api/auth/backchannel-logout`: the provider says a session (or every session of a user)
 * ended. Ends every matching login on every instance through the same "ended" record as
 * sign-out. 200 with no body on success; 400 with an OAuth error otherwise; never a redirect.
 */
export async function backchannelLogout(request: NextRequest, requestId: string): Promise<NextResponse> {
  try {
    const form = await readForm(request);
    const logoutTokens = form.getAll('logout_token');
    if (logoutTokens.length !== 1 || !logoutTokens[0]) throw new LogoutRefused('exactly one logout_token is required');
    const target = await validate(logoutTokens[0]);
    const logins = await loginsFor(target.issuer, target);
    for (const loginId of logins) await endLoginById(loginId);
    log.info('auth.backchannel_logout', { requestId, bySid: Boolean(target.sid), ended: logins.length });
    return answer(200, null);
  } catch (error) {
    if (error instanceof LogoutRefused) {
      log.warn('auth.backchannel_logout.refused', { requestId, reason: error.message });
      return answer(400, { error: 'invalid_request', error_description: error.message });
    }
    log.warn('auth.backchannel_logout.failed', { requestId, error });
    // The provider retries on failure; an outage here is not the token's fault, but the spec has only 400/501.
    return answer(400, { error: 'temporarily_unavailable', error_description: 'could not process the logout token' });
  }
}
