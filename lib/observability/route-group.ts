/**
 * The route group of an API path, as a metric label: a fixed set of names, so a client sending
 * random paths cannot create new time series (and no id in a path ever becomes a label).
 */

/** API routes named by their first two path segments (`auth/login`, `admin/tokens`, ...). */
const TWO_SEGMENT_ROUTES = new Set([
  'auth/login',
  'auth/callback',
  'auth/logout',
  'auth/session',
  'auth/backchannel-logout',
  'admin/tokens',
  'health/upstreams',
  'health/ready',
  'targets/wellview',
]);

/** API routes named by their first segment; the gateway's upstreams are `gateway/<name>`. */
const ONE_SEGMENT_ROUTES = new Set(['health', 'metrics']);
const GATEWAY_UPSTREAMS = new Set(['wellview', 'events', 'meti']);

/** Methods kept as label values; anything else is `other`. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route group of a request path (`/api/wellview/wells/1` → `gateway/wellview`); `other` when unknown. */
export function routeGroup(pathname: string): string {
  const [api, first = '', second = ''] = pathname.split('/').filter(Boolean);
  if (api !== 'api') return 'other';
  if (GATEWAY_UPSTREAMS.has(first)) return `gateway/${first}`;
  const two = `${first}/${second}`;
  if (TWO_SEGMENT_ROUTES.has(two)) return two;
  if (ONE_SEGMENT_ROUTES.has(first) && second === '') return first;
  return 'other';
}

/** The request method as a bounded label value. */
export function methodLabel(method: string): string {
  const upper = method.toUpperCase();
  return METHODS.has(upper) ? upper : 'other';
}
