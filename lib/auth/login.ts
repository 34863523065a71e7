import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { applyCookies } from '@/lib/http/cookies';
import { log } from '@/lib/log';
import { getPelotonConfiguration, oidc } from '@/lib/auth/peloton';
import { safeReturnTo } from '@/lib/auth/return-to';
import { startTransaction } from '@/lib/auth/transaction';
import { loginErrorRedirect } from '@/lib/auth/login-errors';

export function callbackUrl(): string {
  return new URL('/api/auth/callback', getConfig().appUrl).toString();
}

/**
 * Starts a sign-in: a fresh `state`, `nonce` and PKCE verifier in a transaction cookie, and a
 * redirect to Peloton's authorize endpoint with the S256 challenge, scopes and audience.
 */
export async function beginLogin(request: NextRequest, requestId: string): Promise<NextResponse> {
  const config = getConfig();
  const returnTo = safeReturnTo(request.nextUrl.searchParams.get('returnTo'), config.appUrl.origin);
  let configuration;
  try {
    configuration = await getPelotonConfiguration(config);
  } catch (error) {
    log.warn('auth.login.idp_unavailable', { requestId, error });
    return loginErrorRedirect('idp_unavailable', returnTo);
  }
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const parameters: Record<string, string> = {
    redirect_uri: callbackUrl(),
    response_type: 'code',
    scope: config.peloton.scopes,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  };
  if (config.peloton.audience) parameters.audience = config.peloton.audience;
  const target = oidc.buildAuthorizationUrl(configuration, parameters);
  const cookies = await startTransaction(request.cookies, {
    state,
    nonce,
    codeVerifier,
    returnTo,
    createdAt: Date.now(),
  });
  const response = NextResponse.redirect(target, 302);
  response.headers.set('cache-control', 'no-store');
  return applyCookies(response, cookies);
}
