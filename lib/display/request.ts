import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { displayFromRequest, TIME_ZONE_COOKIE, type Display } from '@/lib/display/setting';

/**
 * This request's display setting: the locale of its `Accept-Language`, the zone of its `tz`
 * cookie. Read once per render. Reading them makes the page dynamic, which every page is already
 * (each gets its own CSP nonce).
 */
export const getDisplay = cache(async (): Promise<Display> => {
  const [requestHeaders, requestCookies] = await Promise.all([headers(), cookies()]);
  return displayFromRequest(requestHeaders.get('accept-language'), requestCookies.get(TIME_ZONE_COOKIE)?.value);
});
