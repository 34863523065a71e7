import { NextResponse, type NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { errorResponse, InvalidPathError } from '@/lib/errors';
import { REQUEST_ID_HEADER, requestIdFrom } from '@/lib/http/request-id';
import { API_CSP, applySecurityHeaders, formActionOrigins, pageCsp } from '@/lib/security/headers';
import { clearedSessionCookies, readSessionCookies } from '@/lib/session';

/** Pages anyone may see; every other page needs a session. */
const PUBLIC_PAGES = ['/login'];

/**
 * Runs before every page: security headers (a fresh CSP nonce per page), a request id, and the
 * sign-in gate. API routes are outside its matcher: lib/http/api-route.ts gives them their
 * headers, and they check the session themselves.
 */
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  // Next's router answers a path it cannot decode with a bare 500; refuse it here instead.
  if (!isDecodable(pathname)) return badPath(pathname.startsWith('/api/'));
  // API paths come here only when they contain `%` (see the matcher); the rest is theirs.
  if (pathname.startsWith('/api/')) return NextResponse.next();
  const config = getConfig();
  const requestId = requestIdFrom(request.headers);
  const isAsset = pathname.startsWith('/_next/') || /\.[a-z0-9]+$/i.test(pathname);
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = pageCsp(nonce, process.env.NODE_ENV === 'development', formActionOrigins(config));

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(REQUEST_ID_HEADER, requestId);
  requestHeaders.set('x-pathname', `${pathname}${request.nextUrl.search}`);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);

  let response: NextResponse;
  if (isAsset || PUBLIC_PAGES.includes(pathname)) {
    response = NextResponse.next({ request: { headers: requestHeaders } });
  } else {
    const read = await readSessionCookies(request.cookies);
    if (read.status !== 'ok') {
      const login = new URL('/login', config.appUrl);
      login.searchParams.set('returnTo', `${pathname}${request.nextUrl.search}`);
      if (read.status === 'expired') login.searchParams.set('error', 'session_expired');
      response = NextResponse.redirect(login, 307);
      if (read.status !== 'none') {
        for (const cookie of clearedSessionCookies(config)) response.cookies.set(cookie.name, '', cookie.options);
      }
    } else {
      response = NextResponse.next({ request: { headers: requestHeaders } });
    }
  }

  applySecurityHeaders(response.headers, csp, config.secureCookies);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function badPath(isApi: boolean): NextResponse {
  const message = 'The address is not valid (broken percent-encoding).';
  const response = isApi
    ? new NextResponse(errorResponse(new InvalidPathError(message)).body, { status: 400, headers: { 'content-type': 'application/json; charset=utf-8' } })
    : new NextResponse(message, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  applySecurityHeaders(response.headers, API_CSP, getConfig().secureCookies);
  response.headers.set('Cache-Control', 'no-store');
  return response;
}

export const config = {
  matcher: [
    // Pages. API routes add their own headers (lib/http/api-route.ts) and do their own checks.
    { source: '/((?!api/|_next/static|_next/image|favicon.ico).*)' },
    // API paths with percent-encoding, only to refuse the ones Next's router cannot decode.
    { source: '/api/:rest(.*%.*)' },
  ],
};
