/**
 * Which headers cross the gateway. Requests forward an allow-list (never the browser's cookies or
 * its own Authorization); responses drop hop-by-hop headers and any Set-Cookie.
 */

const FORWARDED_REQUEST_HEADERS = ['accept', 'accept-language', 'content-type', 'if-none-match', 'if-modified-since'];

const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'content-language',
  'content-disposition',
  'etag',
  'last-modified',
  'retry-after',
  'x-total-count',
  'link',
  'location',
];

export function forwardedRequestHeaders(incoming: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = incoming.get(name);
    if (value !== null && value.length <= 1024) out[name] = value;
  }
  out['accept-encoding'] = 'identity';
  return out;
}

type RawHeaders = Record<string, string | string[] | undefined>;

export function forwardedResponseHeaders(upstream: RawHeaders): Headers {
  const out = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream[name];
    if (typeof value === 'string') out.set(name, value);
    else if (Array.isArray(value) && value[0] !== undefined) out.set(name, value[0]);
  }
  return out;
}
