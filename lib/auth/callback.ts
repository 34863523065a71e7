import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { applyCookies } from '@/lib/http/cookies';
import { log } from '@/lib/log';
import { newSessionId, sessionCookiesToSet, type SessionState, type SessionUser } from '@/lib/session';
import { isListed } from '@/lib/auth/user-list';
import { classifyIdpError, getPelotonConfiguration, oidc } from '@/lib/auth/peloton';
import { findTransaction, finishTransaction } from '@/lib/auth/transaction';
import { loginErrorRedirect, type LoginErrorCode } from '@/lib/auth/login-errors';
import { expiresAtFrom } from '@/lib/auth/token-times';
import { rememberIdToken } from '@/lib/auth/id-token-store';
import { indexLogin } from '@/lib/auth/login-index';
import { recordLogin } from '@/lib/auth/login-activity';
import { summarizeUserAgent } from '@/lib/auth/user-agent';
import { recordSessionStarted, recordTokenRequest } from '@/lib/observability/store';

/**
 * Finishes a sign-in: checks `state` against its transaction cookie, exchanges the code with
 * the PKCE verifier, validates the ID token (signature, issuer, audience, expiry, nonce), refuses
 * anyone `ALLOWED_USERS` does not list, stores the session and sends the user to where they were
 * going. On any failure the existing session is left as it was and `/login` explains what happened.
 */
export async function finishLogin(request: NextRequest, requestId: string): Promise<NextResponse> {
  const config = getConfig();
  const params = request.nextUrl.searchParams;
  const state = params.get('state');
  const cleanup = await finishTransaction(request.cookies, state);
  const fail = (code: LoginErrorCode, returnTo?: string) => applyCookies(loginErrorRedirect(code, returnTo), cleanup);

  const transaction = await findTransaction(request.cookies, state);
  const providerError = params.get('error');
  if (providerError) {
    log.info('auth.callback.provider_error', { requestId, error: providerError.slice(0, 64) });
    return fail(providerError === 'access_denied' ? 'access_denied' : 'code_rejected', transaction?.returnTo);
  }
  if (!transaction) return fail('invalid_state');

  let configuration;
  try {
    configuration = await getPelotonConfiguration(config);
  } catch (error) {
    log.warn('auth.callback.idp_unavailable', { requestId, error });
    return fail('idp_unavailable', transaction.returnTo);
  }

  // The provider redirected to APP_URL; rebuild that URL rather than trusting the Host header.
  const currentUrl = new URL(`/api/auth/callback${request.nextUrl.search}`, config.appUrl);
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  const started = performance.now();
  try {
    tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: transaction.codeVerifier,
      expectedState: transaction.state,
      expectedNonce: transaction.nonce,
      idTokenExpected: true,
    });
    recordTokenRequest('peloton', 'authorization_code', null, (performance.now() - started) / 1000);
  } catch (error) {
    const code = callbackFailure(error);
    recordTokenRequest('peloton', 'authorization_code', { code: classifyIdpError(error).oauthError ?? code, message: '' }, (performance.now() - started) / 1000);
    log.warn('auth.callback.failed', { requestId, reason: code, error });
    return fail(code, transaction.returnTo);
  }

  const claims = tokens.claims();
  if (!claims) return fail('id_token_invalid', transaction.returnTo);
  const user = await withUserinfo(configuration, tokens.access_token, userFromClaims(claims), requestId);
  if (config.allowedUsers && !isListed(user, config.allowedUsers)) {
    // The sub only: an email is personal data, and this one was refused anyway.
    log.warn('auth.callback.not_allowed', { requestId, sub: claims.sub });
    if (tokens.refresh_token) void revokeRefusedLogin(configuration, tokens.refresh_token, requestId);
    return fail('not_allowed');
  }
  const now = Date.now();
  const sessionState: SessionState = {
    session: {
      v: 1,
      sid: newSessionId(),
      gen: 0,
      user,
      refreshToken: tokens.refresh_token ?? null,
      createdAt: now,
      lastSeenAt: now,
      rotations: 0,
      lastRefreshAt: null,
    },
    access: null,
  };
  sessionState.access = {
    sid: sessionState.session.sid,
    gen: 0,
    accessToken: tokens.access_token,
    expiresAt: expiresAtFrom(tokens.access_token, tokens.expires_in, now),
    issuedAt: now,
  };
  await indexLogin(
    {
      issuer: configuration.serverMetadata().issuer,
      loginId: sessionState.session.sid,
      sub: claims.sub,
      ...(typeof claims.sid === 'string' && { idpSid: claims.sid }),
      verifiedEmail: user.emailVerified ? user.email : null,
    },
    requestId,
  );
  await recordLogin(
    { sid: sessionState.session.sid, user, startedAt: now, userAgent: summarizeUserAgent(request.headers.get('user-agent')) },
    requestId,
  );
  if (tokens.id_token) {
    await rememberIdToken(sessionState.session.sid, tokens.id_token, config.session.absoluteTimeoutSeconds, requestId);
  }
  recordSessionStarted();
  log.info('auth.signed_in', { requestId, sub: claims.sub, hasRefreshToken: Boolean(tokens.refresh_token) });
  const response = NextResponse.redirect(new URL(transaction.returnTo, config.appUrl), 302);
  response.headers.set('cache-control', 'no-store');
  return applyCookies(response, [...cleanup, ...(await sessionCookiesToSet(sessionState, now))]);
}

/** The user as the ID token describes them. */
function userFromClaims(claims: Record<string, unknown> & { sub: string }): SessionUser {
  return {
    sub: claims.sub,
    name: typeof claims.name === 'string' ? claims.name : null,
    email: typeof claims.email === 'string' ? claims.email : null,
    // Only a boolean `true` vouches for the address; a missing or string claim does not.
    emailVerified: claims.email_verified === true,
  };
}

/**
 * Many providers (Keycloak, Okta, oidc-provider by default) keep name and email out of the ID
 * token: ask userinfo for what is missing. openid-client checks its `sub` matches; the ID token's
 * values win, and a failed userinfo call signs the user in without them rather than not at all.
 */
async function withUserinfo(
  configuration: oidc.Configuration,
  accessToken: string,
  user: SessionUser,
  requestId: string,
): Promise<SessionUser> {
  if ((user.name !== null && user.email !== null) || !configuration.serverMetadata().userinfo_endpoint) return user;
  try {
    const info = await oidc.fetchUserInfo(configuration, accessToken, user.sub);
    const fromInfo = userFromClaims(info);
    return user.email !== null
      ? { ...user, name: user.name ?? fromInfo.name }
      : { ...user, name: user.name ?? fromInfo.name, email: fromInfo.email, emailVerified: fromInfo.emailVerified };
  } catch (error) {
    log.warn('auth.callback.userinfo_failed', { requestId, error });
    return user;
  }
}

/** The provider issued a login we will not use: end it there too, without making the user wait. */
async function revokeRefusedLogin(configuration: oidc.Configuration, refreshToken: string, requestId: string) {
  if (!configuration.serverMetadata().revocation_endpoint) return;
  try {
    await oidc.tokenRevocation(configuration, refreshToken, { token_type_hint: 'refresh_token' });
  } catch (error) {
    log.warn('auth.callback.revocation_failed', { requestId, error });
  }
}

function callbackFailure(error: unknown): LoginErrorCode {
  if (error instanceof oidc.ResponseBodyError || !(error instanceof Error) || !('code' in error)) {
    const { kind } = classifyIdpError(error);
    if (kind === 'invalid_grant') return 'code_rejected';
    if (kind === 'client_rejected') return 'client_rejected';
    return 'idp_unavailable';
  }
  const code = String((error as { code: unknown }).code);
  if (code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR') return 'code_rejected';
  if (code.startsWith('OAUTH_JWT') || code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' || code === 'OAUTH_KEY_SELECTION_FAILED') {
    return 'id_token_invalid';
  }
  return 'idp_unavailable';
}
