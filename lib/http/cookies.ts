import 'server-only';
import type { NextResponse } from 'next/server';
import type { CookieToSet } from '@/lib/session';

/** Writes each cookie on the response (later entries with the same name win). */
export function applyCookies(response: NextResponse, cookies: CookieToSet[]): NextResponse {
  for (const cookie of cookies) response.cookies.set(cookie.name, cookie.value, cookie.options);
  return response;
}
