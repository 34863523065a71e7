/**
 * METI's variant profile: sources with flat location and emission fields, snake_case names and
 * monthly figures, listed as `{ results, next }` with an opaque cursor.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http';
import type { SourceRecord } from '../seed';
import { toVariantSource } from '../profiles/variant-records';

export const VARIANT_SOURCES_DEFAULT_LIMIT = 50;
export const VARIANT_SOURCES_MAX_LIMIT = 200;

/** An opaque cursor for an offset (clients must not build one). */
export const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): number | null {
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

/** GET /sources in the variant: one page after `cursor`, and the cursor of the next page or null. */
export function listVariantSources(query: URLSearchParams, response: ServerResponse, matching: SourceRecord[]): void {
  const rawLimit = query.get('limit');
  const rawCursor = query.get('cursor');
  if (rawLimit !== null && !/^\d+$/.test(rawLimit)) return sendJson(response, 400, { error: 'invalid_request', message: 'limit must be a positive integer' });
  const limit = rawLimit === null ? VARIANT_SOURCES_DEFAULT_LIMIT : Math.min(Math.max(1, Number(rawLimit)), VARIANT_SOURCES_MAX_LIMIT);
  const from = rawCursor === null || rawCursor === '' ? 0 : decodeCursor(rawCursor);
  if (from === null) return sendJson(response, 400, { error: 'invalid_cursor', message: 'The cursor is not one this API issued' });
  const page = matching.slice(from, from + limit);
  const next = from + page.length < matching.length ? encodeCursor(from + page.length) : null;
  sendJson(response, 200, { results: page.map(toVariantSource), next });
}
