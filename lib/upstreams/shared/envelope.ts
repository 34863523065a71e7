/**
 * Envelopes: the many ways a list answer wraps its records (a bare array, `{ data }`,
 * `{ items, total }`, `{ results, next }`, `{ value, "@odata.nextLink" }`, `{ data: { items } }`,
 * HAL `_embedded`, GeoJSON `features`...) and says where the next page is (a link, a cursor, a page
 * number, an offset). {@link unwrapEnvelope} turns any of them into one {@link Page}.
 * Pure and isomorphic.
 */
import { UpstreamAnswerError, errorInAnswer } from '@/lib/upstreams/shared/answer';
import { normalizeKey } from '@/lib/upstreams/shared/paths';
import { toNumber } from '@/lib/upstreams/shared/values';

/** Where the next page is, as the upstream said it. `param` is the name it used, when known. */
export type NextPage =
  | { kind: 'link'; href: string }
  | { kind: 'cursor'; cursor: string; param?: string }
  | { kind: 'page'; page: number; param?: string }
  | { kind: 'offset'; offset: number; param?: string };

/** One page of a list: its records, the next page if any, and the total if the upstream said. */
export interface Page {
  records: unknown[];
  next: NextPage | null;
  total: number | null;
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of the first of `names` present in `object`, matched ignoring naming style. */
function pick(object: Obj, names: readonly string[]): { key: string; value: unknown } | null {
  const wanted = new Map(names.map((name, order) => [normalizeKey(name), order]));
  let best: { key: string; value: unknown; order: number } | null = null;
  for (const key of Object.keys(object)) {
    const order = wanted.get(normalizeKey(key));
    if (order !== undefined && (best === null || order < best.order))
      best = { key, value: object[key], order };
  }
  return best && { key: best.key, value: best.value };
}

/** Keys that hold the records, in order of preference. */
const RECORD_KEYS = [
  'data',
  'items',
  'results',
  'value',
  'records',
  'rows',
  'content',
  'entries',
  'list',
  'elements',
  'objects',
  'resources',
  'features',
  'hits',
  'docs',
  'documents',
  'result',
  'payload',
  'response',
  'body',
];
/** Arrays that are never the records, even when they are the only array. */
const NOT_RECORDS = new Set([
  'errors',
  'warnings',
  'links',
  '_links',
  'messages',
  'facets',
  'aggregations',
  'sort',
  'fields',
  'columns',
]);
const MAX_DEPTH = 4;

interface Found {
  records: unknown[];
  /** The objects on the way to the records, outermost first: where paging details live. */
  envelopes: Obj[];
}

function findRecords(object: Obj, depth: number): Found | null {
  if (depth > MAX_DEPTH) return null;
  const known = pick(object, RECORD_KEYS);
  if (known) {
    if (Array.isArray(known.value)) return { records: known.value, envelopes: [object] };
    if (isObj(known.value)) {
      const inner = findRecords(known.value, depth + 1);
      if (inner) return { records: inner.records, envelopes: [object, ...inner.envelopes] };
    }
  }
  const embedded = pick(object, ['_embedded', 'embedded']);
  if (embedded && isObj(embedded.value)) {
    const inner = findRecords(embedded.value, depth + 1);
    if (inner) return { records: inner.records, envelopes: [object, ...inner.envelopes] };
  }
  // No known key: the largest array of objects (or of anything, failing that) among the values.
  let best: unknown[] | null = null;
  let bestScore = -1;
  for (const [key, value] of Object.entries(object)) {
    if (!Array.isArray(value) || NOT_RECORDS.has(normalizeKey(key))) continue;
    const objects = value.some(isObj) ? 1 : 0;
    const score = objects * 1e9 + value.length;
    if (score > bestScore) {
      best = value;
      bestScore = score;
    }
  }
  return best ? { records: best, envelopes: [object] } : null;
}

/** GeoJSON features become their properties, with `id` and `geometry` kept beside them. */
function flattenFeature(record: unknown): unknown {
  if (!isObj(record) || record.type !== 'Feature' || !isObj(record.properties)) return record;
  return {
    ...record.properties,
    ...(record.id !== undefined ? { id: record.id } : {}),
    geometry: record.geometry,
  };
}

const META_KEYS = [
  'meta',
  'pagination',
  'paging',
  'pageInfo',
  'page',
  '_meta',
  'links',
  '_links',
  'cursor',
  'metadata',
];

/** The objects that may carry paging details: the envelopes and their meta objects. */
function pagingSources(envelopes: readonly Obj[]): Obj[] {
  const sources: Obj[] = [];
  for (const envelope of envelopes) {
    sources.push(envelope);
    for (const key of Object.keys(envelope)) {
      if (META_KEYS.some((name) => normalizeKey(name) === normalizeKey(key)) && isObj(envelope[key]))
        sources.push(envelope[key] as Obj);
    }
  }
  return sources;
}

function first(sources: readonly Obj[], names: readonly string[]): { key: string; value: unknown } | null {
  for (const source of sources) {
    const found = pick(source, names);
    if (found && found.value !== undefined) return found;
  }
  return null;
}

function firstNumber(
  sources: readonly Obj[],
  names: readonly string[],
): { key: string; value: number } | null {
  for (const source of sources) {
    const found = pick(source, names);
    const value = found ? toNumber(found.value) : null;
    if (found && value !== null) return { key: found.key, value };
  }
  return null;
}

const LINK_KEYS = [
  '@odata.nextLink',
  'odata.nextLink',
  'nextLink',
  'next_link',
  'next',
  'nextPage',
  'nextPageUrl',
  'nextUrl',
  'nextHref',
];
const CURSOR_KEYS = ['nextCursor', 'nextPageToken', 'continuationToken', 'nextToken', 'cursor', 'after'];
const MORE_KEYS = ['hasMore', 'hasNextPage', 'has_more', 'more', 'moreResults', 'hasNext'];
const TOTAL_KEYS = [
  'total',
  'totalCount',
  'totalItems',
  'totalRecords',
  'totalResults',
  'totalElements',
  'totalSize',
  '@odata.count',
  'odata.count',
  'recordCount',
  'count',
];
const PAGE_KEYS = ['page', 'pageNumber', 'currentPage', 'pageNo', 'pageIndex', 'number'];
const SIZE_KEYS = ['pageSize', 'perPage', 'size', 'limit', 'pageLimit', 'top', 'take'];
const PAGES_KEYS = ['totalPages', 'pageCount', 'lastPage', 'numberOfPages', 'pages'];
const OFFSET_KEYS = ['offset', 'skip', 'start', 'startIndex', 'from'];

/** A string that is a URL or a path rather than an opaque cursor. */
function looksLikeLink(text: string): boolean {
  return (
    /^(?:https?:)?\/\//i.test(text) || text.startsWith('/') || text.startsWith('?') || text.includes('?')
  );
}

function linkValue(value: unknown): NextPage | 'end' | null {
  if (value === null || value === false || value === '') return 'end';
  if (typeof value === 'string')
    return looksLikeLink(value) ? { kind: 'link', href: value } : { kind: 'cursor', cursor: value };
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0)
    return { kind: 'page', page: value };
  if (isObj(value)) {
    const href = pick(value, ['href', 'url', 'link', 'uri']);
    if (href && typeof href.value === 'string' && href.value) return { kind: 'link', href: href.value };
    const cursor = pick(value, ['cursor', 'next', 'token']);
    if (cursor && typeof cursor.value === 'string' && cursor.value)
      return { kind: 'cursor', cursor: cursor.value };
  }
  return null;
}

/** `links: [{ rel: "next", href }]` (JSON:API, FHIR, Atom style). */
function relNext(sources: readonly Obj[]): NextPage | null {
  for (const source of sources) {
    const links = pick(source, ['links', 'link']);
    if (!links || !Array.isArray(links.value)) continue;
    for (const link of links.value) {
      if (isObj(link) && String(link.rel ?? link.relation ?? '').toLowerCase() === 'next') {
        const href = link.href ?? link.url;
        if (typeof href === 'string' && href) return { kind: 'link', href };
      }
    }
  }
  return null;
}

function findNext(
  sources: readonly Obj[],
  records: readonly unknown[],
  total: number | null,
): NextPage | null {
  const more = first(sources, MORE_KEYS);
  const moreFlag =
    more === null
      ? null
      : more.value === true || more.value === 'true'
        ? true
        : more.value === false || more.value === 'false'
          ? false
          : null;
  if (moreFlag === false) return null;

  const link = first(sources, LINK_KEYS);
  const fromLink = link ? linkValue(link.value) : null;
  if (fromLink === 'end') return null;
  if (fromLink) return fromLink;
  const rel = relNext(sources);
  if (rel) return rel;

  const cursor =
    first(sources, CURSOR_KEYS) ?? (moreFlag ? first(sources, ['endCursor', 'end_cursor']) : null);
  if (cursor) {
    const value = linkValue(cursor.value);
    if (value === 'end') return null;
    if (value && value.kind === 'cursor')
      return { ...value, param: /cursor/i.test(cursor.key) ? 'cursor' : cursor.key };
    if (value && value.kind === 'link') return value;
  }

  const page = firstNumber(sources, PAGE_KEYS);
  const size = firstNumber(sources, SIZE_KEYS);
  if (page && Number.isInteger(page.value) && page.value >= 0) {
    const zeroBased = /index/i.test(page.key) || page.key === 'number' || page.value === 0;
    const pages = firstNumber(sources, PAGES_KEYS);
    const shown = zeroBased ? page.value + 1 : page.value;
    const param = page.key === 'number' ? 'page' : page.key;
    const nextPage: NextPage = { kind: 'page', page: page.value + 1, param };
    if (records.length === 0) return null;
    if (pages) return shown < pages.value ? nextPage : null;
    if (total !== null && size) return shown * size.value < total ? nextPage : null;
    if (moreFlag) return nextPage;
    return size && records.length >= size.value ? nextPage : null;
  }

  const offset = firstNumber(sources, OFFSET_KEYS);
  if (offset && Number.isInteger(offset.value) && offset.value >= 0 && records.length > 0) {
    const next: NextPage = { kind: 'offset', offset: offset.value + records.length, param: offset.key };
    if (total !== null) return offset.value + records.length < total ? next : null;
    if (moreFlag) return next;
    return size && records.length >= size.value ? next : null;
  }
  return null;
}

function findTotal(sources: readonly Obj[], records: readonly unknown[]): number | null {
  for (const source of sources) {
    const found = pick(source, TOTAL_KEYS);
    if (!found) continue;
    // Elasticsearch: `hits.total` may be `{ value, relation }`.
    const raw = isObj(found.value) ? found.value.value : found.value;
    const value = toNumber(raw);
    // `count` is sometimes this page's count; only a count at least as large as the page is a total.
    if (
      value !== null &&
      Number.isInteger(value) &&
      value >= 0 &&
      (normalizeKey(found.key) !== 'count' || value >= records.length)
    )
      return value;
  }
  return null;
}

/**
 * One page of any list answer. Throws an {@link UpstreamAnswerError} when the body is an error
 * object or holds no list at all (naming the fields it did have), so the page can say so.
 */
export function unwrapEnvelope(body: unknown, source = 'The provider'): Page {
  if (Array.isArray(body)) return { records: body.map(flattenFeature), next: null, total: null };
  if (!isObj(body)) {
    throw new UpstreamAnswerError(
      'UNEXPECTED_SHAPE',
      `${source} answered with ${body === null ? 'null' : `a ${typeof body}`} where a list was expected.`,
    );
  }
  const error = errorInAnswer(body, source);
  if (error) throw error;
  const found = findRecords(body, 0);
  if (!found) {
    const keys = Object.keys(body).slice(0, 12);
    throw new UpstreamAnswerError(
      'UNEXPECTED_SHAPE',
      `${source} answered without a list of records${keys.length > 0 ? ` (fields: ${keys.join(', ')})` : ' (an empty object)'}.`,
    );
  }
  const sources = pagingSources(found.envelopes);
  const total = findTotal(sources, found.records);
  return { records: found.records.map(flattenFeature), next: findNext(sources, found.records, total), total };
}

/**
 * One record from a detail answer: the object itself, or the one record inside an envelope
 * (`{ data: {...} }`, `{ item }`, `{ result }`, `{ value: [one] }`).
 */
export function unwrapRecord(body: unknown, source = 'The provider'): Record<string, unknown> {
  const error = errorInAnswer(body, source);
  if (error) throw error;
  if (Array.isArray(body)) {
    if (body.length === 1 && isObj(body[0])) return flattenFeature(body[0]) as Obj;
    throw new UpstreamAnswerError(
      'UNEXPECTED_SHAPE',
      `${source} answered with a list of ${body.length} where one record was expected.`,
    );
  }
  if (!isObj(body))
    throw new UpstreamAnswerError(
      'UNEXPECTED_SHAPE',
      `${source} answered with ${body === null ? 'null' : `a ${typeof body}`} where a record was expected.`,
    );
  const keys = Object.keys(body);
  const wrapper = pick(body, ['data', 'item', 'record', 'result', 'value', 'payload']);
  // An envelope has the record and little else (ids, links, meta); a record has many own fields.
  if (wrapper && keys.length <= 4) {
    if (isObj(wrapper.value)) return flattenFeature(wrapper.value) as Obj;
    if (Array.isArray(wrapper.value) && wrapper.value.length === 1 && isObj(wrapper.value[0]))
      return flattenFeature(wrapper.value[0]) as Obj;
  }
  return flattenFeature(body) as Obj;
}
