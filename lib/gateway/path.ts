import { AppError } from '@/lib/errors';

export const MAX_PATH_LENGTH = 2048;

/**
 * The upstream path from the raw request URL (never the decoded route params), checked so the
 * target can only be `<base URL>/<path>`: no `.`/`..` segments in any encoding, no encoded
 * slashes or backslashes, no empty segments (`//host`), no control characters, no absolute URLs.
 * Returns the path (without a leading slash) and the query string exactly as sent.
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

function invalid(reason: string): AppError {
  return new AppError('INVALID_PATH', { message: `That path is not allowed: ${reason}.` });
}

function checkPath(path: string): void {
  if (path.length === 0) throw invalid('it is empty');
  if (path.length > MAX_PATH_LENGTH) throw invalid('it is too long');
  if (/[\u0000-\u001f\u007f\\]/.test(path)) throw invalid('it has control characters or backslashes');
  // Encoded `/`, `\`, `.` and `%` (double encoding) could be decoded by someone downstream.
  if (/%(2f|5c|2e|25|00)/i.test(path)) throw invalid('it has encoded separators');
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) throw invalid('it is an absolute URL');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw invalid('it is not valid percent-encoding');
  }
  if (/[\u0000-\u001f\u007f\\]/.test(decoded) || /[\u2024\u2025\uFE52\uFF0E\uFF0F\u2215\u2044]/.test(decoded)) {
    throw invalid('it has characters that look like separators');
  }
  for (const segment of path.split('/')) {
    if (segment === '') throw invalid('it has an empty segment');
    if (segment === '.' || segment === '..') throw invalid('it has a dot segment');
  }
}
