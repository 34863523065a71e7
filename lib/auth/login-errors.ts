import { NextResponse } from 'next/server';

/** Sign-in failures, each explained to the user in plain words on `/login`. */
export const LOGIN_ERRORS = {
  idp_unavailable: 'Peloton sign-in is unavailable right now. Please try again in a few minutes.',
  access_denied: 'Sign-in was cancelled or refused at Peloton.',
  invalid_state:
    'This sign-in link has expired or was already used. Sign-in attempts last 10 minutes; please start again.',
  code_rejected: 'Peloton did not accept this sign-in (it may have expired or been used already). Please start again.',
  id_token_invalid: 'Peloton’s answer could not be verified, so you were not signed in. Please start again.',
  client_rejected:
    'Peloton refused this dashboard’s sign-in request. An administrator should check the Peloton client settings.',
  not_allowed:
    'Your Peloton account is not allowed to use this dashboard. Ask an administrator for access, or sign in with another account.',
  session_expired: 'Your session has ended. Please sign in again.',
  signed_out: 'You have been signed out.',
} as const;

export type LoginErrorCode = keyof typeof LOGIN_ERRORS;

export function isLoginErrorCode(value: string | undefined | null): value is LoginErrorCode {
  return value !== null && value !== undefined && Object.hasOwn(LOGIN_ERRORS, value);
}

/** Redirects to `/login` with the error code; the page explains it and offers "Try again". */
export function loginErrorRedirect(code: LoginErrorCode, returnTo = '/'): NextResponse {
  const params = new URLSearchParams({ error: code });
  if (returnTo !== '/') params.set('returnTo', returnTo);
  // Relative Location: the browser resolves it against the public origin it used.
  const response = new NextResponse(null, { status: 302, headers: { location: `/login?${params.toString()}` } });
  response.headers.set('cache-control', 'no-store');
  return response;
}
