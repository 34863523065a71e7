import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { applyCookies } from '@/lib/http/cookies';
import { hasCsrfHeader, isSameOrigin } from '@/lib/http/csrf';
import { log } from '@/lib/log';
import { clearedSessionCookies, readSessionCookies } from '@/lib/session';
import { getPelotonConfiguration, type oidc } from '@/lib/auth/peloton';
import { revokeRefreshToken } from '@/lib/auth/revocation';
import { takeIdToken } from '@/lib/auth/id-token-store';
import { endLogin } from '@/lib/tokens/user-tokens';

/**
 * Signs out: accepted from our own pages only (a `fetch` with `X-CSRF: 1`, or a form post whose
 * `Origin`/`Sec-Fetch-Site` shows it came from `APP_URL`). Ends the login under its refresh lock,
 * revokes the refresh token where the provider offers revocation (retried in the background
 * while the provider is down), clears the cookies, and sends the browser to the provider's
 * logout (when there is one) and back to `/login`.
 */
export async function logout(request: NextRequest, requestId: string): Promise<NextResponse> {
  const viaFetch = hasCsrfHeader(request.headers);
  if (!viaFetch && !isSameOrigin(request.headers)) throw new AppError('CSRF_REJECTED');
  if (viaFetch && request.headers.get('origin') !== null && !isSameOrigin(request.headers)) {
    throw new AppError('CSRF_REJECTED');
  }
  const config = getConfig();
  const read = await readSessionCookies(request.cookies);
  let destination = new URL('/login?error=signed_out', config.appUrl).toString();
  // Under the login's lock: a refresh in flight finishes first, then the login is marked ended,
  // so it cannot be brought back. The newest refresh token may only be in the rotation record.
  // A copy of an already signed-out cookie has nothing left to revoke.
  const refreshToken = read.status === 'ok' ? await endLogin(read.state) : null;
  const idToken = read.status === 'ok' ? await takeIdToken(read.state.session.sid, requestId) : null;
  // Retried in the background while the provider is down; the answer does not wait for it.
  if (refreshToken) await revokeRefreshToken(refreshToken, { requestId, reason: 'sign_out' });
  try {
    const configuration = await getPelotonConfiguration(config);
    destination = providerLogoutUrl(configuration, idToken) ?? destination;
  } catch (error) {
    // Signing out locally must work even when the provider is down.
    log.warn('auth.logout.idp_unavailable', { requestId, error });
  }
  if (read.status === 'ok') log.info('auth.signed_out', { requestId, sub: read.state.session.user.sub });
  const response = viaFetch
    ? NextResponse.json({ loggedOut: true, redirectTo: destination })
    : NextResponse.redirect(destination, 303);
  response.headers.set('cache-control', 'no-store');
  return applyCookies(response, clearedSessionCookies());
}

/**
 * The provider's logout URL with a way back to `/login`, when the provider has one. OIDC
 * RP-initiated logout gets the login's ID token as `id_token_hint` (some providers require it to
 * honour `post_logout_redirect_uri`); Auth0's `/v2/logout` takes `returnTo` and no hint.
 */
export function providerLogoutUrl(configuration: oidc.Configuration, idToken: string | null): string | null {
  const config = getConfig();
  const endpoint = configuration.serverMetadata().end_session_endpoint;
  if (!endpoint) return null;
  const back = new URL('/login?error=signed_out', config.appUrl).toString();
  const url = new URL(endpoint);
  url.searchParams.set('client_id', config.peloton.clientId);
  if (url.pathname.endsWith('/v2/logout')) {
    url.searchParams.set('returnTo', back);
  } else {
    url.searchParams.set('post_logout_redirect_uri', back);
    if (idToken) url.searchParams.set('id_token_hint', idToken);
  }
  return url.toString();
}
