/**
 * Security headers for every answer. Pages get a nonce-based Content-Security-Policy (Next adds
 * the nonce to its own scripts); API answers get one that allows nothing at all.
 */

/** The identity-provider settings that decide where a page's forms may lead. */
export interface FormActionSettings {
  peloton: { issuer?: string; authorizeUrl?: string; logoutUrl?: string };
}

/**
 * Origins a form may navigate to besides our own: the identity provider's. The sign-out form posts
 * to `/api/auth/logout`, which answers 303 to the provider's end-session endpoint, and browsers
 * check `form-action` against every redirect of a form submission. The end-session endpoint is
 * `PELOTON_LOGOUT_URL` or, discovered, on the issuer's origin; authorize is listed for forms that
 * start a sign-in. Sorted and de-duplicated, so the policy is stable.
 */
export function formActionOrigins(settings: FormActionSettings): readonly string[] {
  const known = originsBySettings.get(settings.peloton);
  if (known) return known;
  const { issuer, authorizeUrl, logoutUrl } = settings.peloton;
  const origins = new Set<string>();
  for (const url of [issuer, authorizeUrl, logoutUrl]) {
    if (url && URL.canParse(url)) {
      const { origin, protocol } = new URL(url);
      if (protocol === 'https:' || protocol === 'http:') origins.add(origin);
    }
  }
  const sorted = Object.freeze([...origins].sort());
  originsBySettings.set(settings.peloton, sorted);
  return sorted;
}

/** Every page answer needs these; the configuration object lives as long as the process. */
const originsBySettings = new WeakMap<object, readonly string[]>();

export function pageCsp(nonce: string, isDev: boolean, formOrigins: readonly string[] = []): string {
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
    ['form-action', "'self'", ...formOrigins].join(' '),
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
