import { InvalidPathError } from '@/lib/errors';

export const MAX_PATH_LENGTH = 2048;
/** Decoding rounds before a path counts as undecodable: anything still changing is refused. */
const MAX_DECODE_ROUNDS = 4;

/**
 * The upstream path from the raw request URL (never the decoded route params), checked so the
 * target can only be `<base URL>/<path>`: no `.`/`..` segments in any encoding or behind `;`
 * parameters, no encoded separators (`/`, `\`, `;`, `?`, `#`), no empty segments (`//host`), no
 * control characters, no absolute URLs. Returns the path (without a leading slash) and the
 * query string exactly as sent.
 */
export function upstreamPathFrom(rawUrl: string, prefix: string): { path: string; search: string } {
  const withoutOrigin = rawUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const queryAt = withoutOrigin.indexOf('?');
  const rawPath = queryAt === -1 ? withoutOrigin : withoutOrigin.slice(0, queryAt);
  const search = queryAt === -1 ? '' : withoutOrigin.slice(queryAt);
  if (!rawPath.startsWith(prefix)) throw invalid('the path does not belong to this service');
  const path = rawPath.slice(prefix.length).replace(/^\//, '');
  checkPath(path);
  if (/[\u0000-\u001f\u007f]/.test(search) || search.includes('#')) throw invalid('the query has control characters');
  return { path, search };
}

function invalid(reason: string): InvalidPathError {
  return new InvalidPathError(`That path is not allowed: ${reason}.`);
}

/**
 * Encoded `/`, `\`, `.`, `%` (double encoding), NUL, `;`, `?` and `#`: someone downstream could
 * decode them into a separator, a parameter, a query or a fragment.
 */
const ENCODED_SEPARATOR = /%(2f|5c|2e|25|00|3b|3f|23)/i;
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;
const LOOKALIKE_SEPARATOR = /[\u2024\u2025\uFE52\uFF0E\uFF0F\u2215\u2044]/;

function checkPath(path: string): void {
  if (path.length === 0) throw invalid('it is empty');
  if (path.length > MAX_PATH_LENGTH) throw invalid('it is too long');
  if (CONTROL_OR_BACKSLASH.test(path)) throw invalid('it has control characters or backslashes');
  if (ENCODED_SEPARATOR.test(path)) throw invalid('it has encoded separators');
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) throw invalid('it is an absolute URL');
  for (const segment of path.split('/')) {
    if (segment === '') throw invalid('it has an empty segment');
    const decoded = decodeFully(segment);
    if (CONTROL_OR_BACKSLASH.test(decoded) || LOOKALIKE_SEPARATOR.test(decoded)) {
      throw invalid('it has characters that look like separators');
    }
    // Tomcat, Spring and Jetty drop `;…` path parameters before resolving dot segments, so
    // `..;x` is `..` to them; `/`, `?` and `#` here came from encodings checked above.
    const name = decoded.split(';', 1)[0] as string;
    if (name === '.' || name === '..') throw invalid('it has a dot segment');
  }
}

/**
 * Percent-decodes until nothing changes (a server may decode more than once), refusing
 * malformed encodings and any encoded separator that appears along the way.
 */
function decodeFully(segment: string): string {
  let current = segment;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round += 1) {
    if (!current.includes('%')) return current;
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      throw invalid('it is not valid percent-encoding');
    }
    if (next === current) return current;
    if (ENCODED_SEPARATOR.test(next)) throw invalid('it has encoded separators');
    current = next;
  }
  throw invalid('it is encoded too many times');
}
