'use client';

import { useGatewayLoader } from '@/hooks/use-gateway';
import { gatewayFetch } from '@/lib/client/gateway-client';
import {
  eventListQuery,
  eventListSchema,
  toEventRows,
  type EventRecord,
  type EventRow,
} from '@/lib/upstreams/events/schemas';

/**
 * Engagifii lists events oldest first, and its only filter is `OnlyUpcoming` (not yet ended);
 * without it the list holds every event. So the pages here are cut from those two server lists:
 * - upcoming: the upcoming list, as is (oldest first) or read from its end (newest first);
 * - past: the events that have started form the head of the full list (it is ordered by start);
 *   their count is "all − upcoming + upcoming that have started". Events still running are in
 *   that head but are not past, so they are dropped from the page that holds them.
 * Every page needs one or two server pages of the same size, never the whole list.
 */

export type EventsWhen = 'upcoming' | 'past';
export type SortDirection = 'asc' | 'desc';

export interface EventPage {
  rows: EventRow[];
  /** Events in the whole view (every page). */
  total: number;
  pageCount: number;
}

/** The server's own test for "upcoming": it has not ended yet. */
export function isUpcoming(event: Pick<EventRecord, 'startDate' | 'endDate'>, now: number): boolean {
  return Date.parse(String(event.endDate ?? event.startDate)) >= now;
}

/** The items [from, to) of an oldest-first list of `count` that page `page` shows in `direction`. */
export function pageRange(
  count: number,
  page: number,
  size: number,
  direction: SortDirection,
): { from: number; to: number } {
  if (direction === 'asc')
    return { from: Math.min(count, (page - 1) * size), to: Math.min(count, page * size) };
  return { from: Math.max(0, count - page * size), to: Math.max(0, count - (page - 1) * size) };
}

/** The 1-based server page numbers, of `size` items each, that together hold items [from, to). */
export function coveringPages(from: number, to: number, size: number): number[] {
  if (to <= from) return [];
  const first = Math.floor(from / size) + 1;
  const last = Math.floor((to - 1) / size) + 1;
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

interface ListRequest {
  url: string;
  search: string;
}

async function fetchList(
  request: ListRequest,
  options: { page: number; pageSize: number; upcoming: boolean },
) {
  const body = eventListQuery({ ...options, search: request.search });
  const parsed = eventListSchema.safeParse(await gatewayFetch(request.url, { method: 'POST', body }));
  if (!parsed.success)
    throw new Error('Events answered with a list in a format the dashboard does not know.');
  return parsed.data;
}

/** Items [from, to) of one server list, read through the server pages that hold them. */
async function fetchRange(
  request: ListRequest,
  upcoming: boolean,
  from: number,
  to: number,
  size: number,
): Promise<unknown[]> {
  const pages = coveringPages(from, to, size);
  const answers = await Promise.all(
    pages.map((page) => fetchList(request, { page, pageSize: size, upcoming })),
  );
  const items = answers.flatMap((answer) => answer.data);
  const offset = ((pages[0] ?? 1) - 1) * size;
  return items.slice(from - offset, to - offset);
}

/** How many upcoming events have already started (they lead the upcoming list). */
async function countStarted(
  request: ListRequest,
  now: number,
): Promise<{ upcoming: number; started: number }> {
  const size = 100;
  let started = 0;
  for (let page = 1; ; page += 1) {
    const answer = await fetchList(request, { page, pageSize: size, upcoming: true });
    const rows = toEventRows(answer.data);
    const running = rows.filter((row) => Date.parse(String(row.event.startDate)) < now).length;
    started += running;
    if (running < rows.length || rows.length < size || page * size >= answer.totalCount)
      return { upcoming: answer.totalCount, started };
  }
}

/** One page of a view, cut from the server's lists as described at the top of this file. */
export async function loadEventPage(
  request: ListRequest,
  view: { when: EventsWhen; direction: SortDirection; page: number; size: number },
): Promise<EventPage> {
  const { when, direction, page, size } = view;
  const order = (rows: EventRow[]) => (direction === 'desc' ? [...rows].reverse() : rows);
  if (when === 'upcoming') {
    if (direction === 'asc') {
      const answer = await fetchList(request, { page, pageSize: size, upcoming: true });
      return {
        rows: toEventRows(answer.data),
        total: answer.totalCount,
        pageCount: Math.max(1, Math.ceil(answer.totalCount / size)),
      };
    }
    const { totalCount } = await fetchList(request, { page: 1, pageSize: 1, upcoming: true });
    const { from, to } = pageRange(totalCount, page, size, direction);
    const rows = toEventRows(await fetchRange(request, true, from, to, size));
    return { rows: order(rows), total: totalCount, pageCount: Math.max(1, Math.ceil(totalCount / size)) };
  }
  const now = Date.now();
  const [all, upcoming] = await Promise.all([
    fetchList(request, { page: 1, pageSize: 1, upcoming: false }),
    countStarted(request, now),
  ]);
  const total = Math.max(0, all.totalCount - upcoming.upcoming);
  const startedCount = total + upcoming.started;
  const { from, to } = pageRange(startedCount, page, size, direction);
  const rows = toEventRows(await fetchRange(request, false, from, to, size)).filter(
    (row) => !isUpcoming(row.event, now),
  );
  return { rows: order(rows), total, pageCount: Math.max(1, Math.ceil(startedCount / size)) };
}

/** Every event of a view, in the view's order, for export: the whole server list, page by page. */
export async function loadAllEvents(
  request: ListRequest,
  view: { when: EventsWhen; direction: SortDirection },
): Promise<EventRow[]> {
  const now = Date.now();
  const all: EventRow[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await fetchList(request, { page, pageSize: 100, upcoming: view.when === 'upcoming' });
    all.push(...toEventRows(answer.data));
    if (answer.data.length === 0 || page * 100 >= answer.totalCount) break;
  }
  const rows = view.when === 'past' ? all.filter((row) => !isUpcoming(row.event, now)) : all;
  return view.direction === 'desc' ? rows.reverse() : rows;
}

/** One page of the events list, upcoming or past, oldest or newest first. */
export function useEventPage(
  url: string,
  view: { when: EventsWhen; direction: SortDirection; search: string; page: number; size: number },
) {
  const request = { url, search: view.search };
  return useGatewayLoader<EventPage>(
    ['events-page', url, view.when, view.direction, view.search, view.page, view.size],
    () => loadEventPage(request, view),
  );
}
