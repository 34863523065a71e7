/**
 * Security headers for every answer. Pages get a nonce-based Content-Security-Policy (Next adds
 * the nonce to its own scripts); API answers get one that allows nothing at all.
 */

export function pageCsp(nonce: string, isDev: boolean): string {
  return [
    `default-src 'self'`,
    // 'strict-dynamic' lets the nonced Next runtime load its chunks; no 'unsafe-eval' (dev needs it for HMR only).
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'${isDev ? ' ws:' : ''}`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self' http: https:`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers every response carries besides the CSP. */
export function baseSecurityHeaders(appUrlIsHttps: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(appUrlIsHttps ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

const BASE_HEADER_ENTRIES = { http: Object.entries(baseSecurityHeaders(false)), https: Object.entries(baseSecurityHeaders(true)) };

/** Sets the CSP and every base security header on an answer's headers. */
export function applySecurityHeaders(headers: Headers, csp: string, appUrlIsHttps: boolean): void {
  headers.set('Content-Security-Policy', csp);
  for (const [name, value] of BASE_HEADER_ENTRIES[appUrlIsHttps ? 'https' : 'http']) headers.set(name, value);
}
