import 'server-only';
import { NextResponse } from 'next/server';
import type { CookieToSet } from '@/lib/session';

/**
 * Writes each cookie on the response (later entries with the same name win). A plain Response
 * is wrapped first: answers that set no cookie skip NextResponse's cookie bookkeeping.
 */
export function applyCookies(response: Response, cookies: CookieToSet[]): NextResponse {
  const target =
    response instanceof NextResponse
      ? response
      : new NextResponse(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
  for (const cookie of cookies) target.cookies.set(cookie.name, cookie.value, cookie.options);
  return target;
}
