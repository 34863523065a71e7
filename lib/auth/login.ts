import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { getConfig, type AppConfig } from '@/lib/config';
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
 * The authorize request's parameters: the operator's `PELOTON_AUTH_PARAMS` first, then ours (config
 * refuses any extra that names one of ours, and ours are spread last so they win regardless).
 */
export function authorizeParameters(
  config: Pick<AppConfig, 'peloton'>,
  secrets: { redirectUri: string; state: string; nonce: string; codeChallenge: string },
): Record<string, string> {
  const parameters: Record<string, string> = {
    ...config.peloton.authParams,
    redirect_uri: secrets.redirectUri,
    response_type: 'code',
    scope: config.peloton.scopes,
    state: secrets.state,
    nonce: secrets.nonce,
    code_challenge: secrets.codeChallenge,
    code_challenge_method: 'S256',
  };
  if (config.peloton.audience) parameters.audience = config.peloton.audience;
  return parameters;
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
  const parameters = authorizeParameters(config, {
    redirectUri: callbackUrl(),
    state,
    nonce,
    codeChallenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
  });
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
