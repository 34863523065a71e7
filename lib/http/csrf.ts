import 'server-only';
import { getConfig } from '@/lib/config';

/** True when the request carries the `X-CSRF: 1` header that a cross-site page cannot send. */
export function hasCsrfHeader(headers: Headers): boolean {
  return headers.get('x-csrf') === '1';
}

/**
 * True when the browser says the request came from our own origin: `Origin` equal to
 * `APP_URL`'s origin, or, when no `Origin` is sent, `Sec-Fetch-Site: same-origin`.
 */
export function isSameOrigin(headers: Headers): boolean {
  const origin = headers.get('origin');
  if (origin !== null) return origin === getConfig().appUrl.origin;
  return headers.get('sec-fetch-site') === 'same-origin';
}

/** A cross-site page cannot set a custom header, and the browser reports its origin on writes. */
export function isCrossSiteWrite(headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = headers.get('origin');
  return origin !== null && origin !== getConfig().appUrl.origin;
}
