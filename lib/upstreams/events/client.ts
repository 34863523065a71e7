import { EVENT_FIELDS } from '@/lib/upstreams/events/fields';
import { asGatewayError, fetchAnswer } from '@/lib/upstreams/gateway-answer';
import { haystackOf, reshapeRecord, withOverrideSpecs, type RecordFieldSpec, type ShapedRecord } from '@/lib/upstreams/record-model';
import { unwrapEnvelope, unwrapRecord, type NextPage, type Page } from '@/lib/upstreams/shared/envelope';
import type { FieldOverrides } from '@/lib/upstreams/shared/field-map';
import { fetchAllPages, linkToGatewayPath, type AllPages } from '@/lib/upstreams/shared/paging';
import type { UpstreamClientSettings } from '@/lib/upstreams/shared/settings';

/**
 * The Engagifii Events client every page, card, detail view and export uses: gateway URLs, the
 * list query (a POST), envelope and paging handling, and the reshape of an event into named
 * values. Isomorphic (no `server-only`): it runs in the browser on what the gateway returns.
 */

export const EVENTS_SOURCE_NAME = 'Engagifii Events';
const HINT = 'If this persists, check EVENTS_API_BASE_URL and EVENTS_API_VERSION (an administrator sets them), or try again later.';

/** What the browser needs to read Events: the gateway mount, the API version, the field map. */
export interface EventsClientSettings extends UpstreamClientSettings {
  apiVersion: string;
  /** The gateway's upstream timeout (ms); the browser gives up a little after it. */
  timeoutMs?: number;
}

/** An event as the pages use it. */
export interface EventRow extends ShapedRecord {
  /** Start and end as epoch ms (null when absent or unreadable), for ordering and "upcoming". */
  startMs: number | null;
  endMs: number | null;
  haystack: string;
}

const SEARCHED = ['name', 'description', 'venue', 'city', 'category'];

function prefix(settings: Pick<EventsClientSettings, 'gatewayPrefix'>): string {
  return settings.gatewayPrefix.replace(/\/+$/, '');
}

/** The gateway URL of the event-list query (`POST api/<version>/event/list`). */
export function eventListUrl(settings: Pick<EventsClientSettings, 'gatewayPrefix' | 'apiVersion'>): string {
  return `${prefix(settings)}/api/${encodeURIComponent(settings.apiVersion)}/event/list`;
}

/** The gateway URL of one event. */
export function eventUrl(settings: Pick<EventsClientSettings, 'gatewayPrefix' | 'apiVersion'>, id: string): string {
  return `${prefix(settings)}/api/${encodeURIComponent(settings.apiVersion)}/event/${encodeURIComponent(id)}`;
}

/** The body of an event-list query, as the Events guide writes it. */
export function eventListQuery(options: { page: number; pageSize: number; upcoming: boolean; search: string }): Record<string, unknown> {
  return {
    PageNumber: options.page,
    PageSize: options.pageSize,
    OnlyUpcoming: options.upcoming,
    ...(options.search ? { SearchText: options.search } : {}),
  };
}

/** The specs in force: the event fields plus any field the operator mapped by a new name. */
export function eventSpecs(overrides?: FieldOverrides): readonly RecordFieldSpec[] {
  return withOverrideSpecs(EVENT_FIELDS, overrides);
}

function epoch(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** One event in the page's terms; never throws, whatever `raw` is. */
export function reshapeEvent(raw: unknown, options: { overrides?: FieldOverrides; index?: number } = {}): EventRow {
  const shaped = reshapeRecord(raw, eventSpecs(options.overrides), options);
  return { ...shaped, startMs: epoch(shaped.values.start), endMs: epoch(shaped.values.end), haystack: haystackOf(shaped, SEARCHED) };
}

/** Every record of a list page as an event row. */
export function toEventRows(records: readonly unknown[], overrides?: FieldOverrides): EventRow[] {
  return records.map((raw, index) => reshapeEvent(raw, { overrides, index }));
}

/** The server's own test for "upcoming": it has not ended yet (or, without an end, not started). */
export function isUpcoming(row: Pick<EventRow, 'startMs' | 'endMs'>, now: number): boolean {
  const when = row.endMs ?? row.startMs;
  return when === null || when >= now;
}

/** One list query through the gateway: where it goes and what it asks. */
export interface ListRequest {
  url: string;
  body: Record<string, unknown>;
}

function post(settings: EventsClientSettings, request: ListRequest): Promise<unknown> {
  return fetchAnswer({
    url: request.url,
    body: JSON.stringify(request.body),
    source: EVENTS_SOURCE_NAME,
    timeoutMs: settings.timeoutMs,
    hint: HINT,
  });
}

/**
 * The query for the page after `current`, in whichever way the answer pointed to it: a next link
 * (the same query posted there), a page number, a cursor, or an offset (carried in the body,
 * under the name the answer used, else the Engagifii-style name).
 */
export function nextListRequest(settings: EventsClientSettings, current: ListRequest, next: NextPage): ListRequest {
  switch (next.kind) {
    case 'link':
      return { url: linkToGatewayPath(next.href, current.url, settings), body: current.body };
    case 'page':
      return { url: current.url, body: { ...current.body, PageNumber: next.page } };
    case 'cursor':
      return { url: current.url, body: { ...current.body, [bodyName(next.param, 'Cursor')]: next.cursor } };
    case 'offset':
      return { url: current.url, body: { ...current.body, [bodyName(next.param, 'Skip')]: next.offset } };
  }
}

function bodyName(param: string | undefined, fallback: string): string {
  if (!param || /^(?:page|number|cursor)$/i.test(param)) return fallback;
  return param.charAt(0).toUpperCase() + param.slice(1);
}

/** One page of the list: its rows, the total if the answer says, where the next page is. */
export interface ListPage {
  page: Page;
  rows: EventRow[];
}

/** Reads one page of a list query. */
export async function fetchListPage(settings: EventsClientSettings, request: ListRequest): Promise<ListPage> {
  const body = await post(settings, request);
  try {
    const page = unwrapEnvelope(body, EVENTS_SOURCE_NAME);
    return { page, rows: toEventRows(page.records, settings.fieldMap) };
  } catch (error) {
    throw asGatewayError(error, HINT);
  }
}

/**
 * Every event of a list query through every page, whatever paging the answer uses; an answer
 * with no paging at all is asked for the next page number while pages come back full (and
 * stops when a page repeats the previous one, for an API that ignores `PageNumber`).
 */
export async function fetchAllEvents(settings: EventsClientSettings, first: ListRequest): Promise<AllPages> {
  const pageSize = Number(first.body.PageSize) || 100;
  let collected = 0;
  let previousFirst: string | null = null;
  let repeated = 0;
  try {
    const all = await fetchAllPages<ListRequest>({
      first,
      source: EVENTS_SOURCE_NAME,
      maxPages: 500,
      fetchPage: (request) => post(settings, request),
      nextRequest: (current, next, page) => {
        collected += page.records.length;
        return nextListRequest(settings, current, next);
      },
      implicitNext: (current, page) => {
        collected += page.records.length;
        const head = JSON.stringify(page.records[0] ?? null);
        if (head === previousFirst) {
          repeated = page.records.length;
          return null;
        }
        previousFirst = head;
        const more = page.total !== null ? collected < page.total : page.records.length >= pageSize;
        return more ? { url: current.url, body: { ...current.body, PageNumber: (Number(current.body.PageNumber) || 1) + 1 } } : null;
      },
    });
    // The repeated page is the API ignoring `PageNumber`, not more events.
    return repeated > 0 ? { ...all, records: all.records.slice(0, all.records.length - repeated) } : all;
  } catch (error) {
    throw asGatewayError(error, HINT);
  }
}

/** One event by id (the record itself, or inside `{ data }`-style envelopes). */
export async function loadEvent(settings: EventsClientSettings, id: string): Promise<EventRow> {
  const body = await fetchAnswer({ url: eventUrl(settings, id), source: EVENTS_SOURCE_NAME, timeoutMs: settings.timeoutMs, hint: HINT });
  try {
    return reshapeEvent(unwrapRecord(body, EVENTS_SOURCE_NAME), { overrides: settings.fieldMap });
  } catch (error) {
    throw asGatewayError(error, HINT);
  }
}
