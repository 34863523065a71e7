import {
  eventListQuery,
  eventListUrl,
  fetchAllEvents,
  fetchListPage,
  isUpcoming,
  toEventRows,
  type EventRow,
  type EventsClientSettings,
  type ListRequest,
} from '@/lib/upstreams/events/client';

/**
 * The /events views (upcoming or past, oldest or newest first) cut from Engagifii's lists.
 * Engagifii lists events oldest first, and its only filter is `OnlyUpcoming` (not yet ended);
 * without it the list holds every event. So:
 * - upcoming: the upcoming list, as is (oldest first) or read from its end (newest first);
 * - past: the events that have started form the head of the full list (it is ordered by start);
 *   their count is "all − upcoming + upcoming that have started". Events still running are in
 *   that head but are not past, so they are dropped from the page that holds them.
 * With a total in the answer every page needs one or two server pages of the same size. An
 * answer without a total (cursors, next links only) cannot be cut by count: then the whole list
 * is read, following its paging, and cut here.
 */

export type EventsWhen = 'upcoming' | 'past';
export type SortDirection = 'asc' | 'desc';

export interface EventPage {
  rows: EventRow[];
  /** Events in the whole view (every page). */
  total: number;
  pageCount: number;
  /** Why the view may be missing events (paging stopped early), or null. */
  incomplete: string | null;
}

/** The items [from, to) of an oldest-first list of `count` that page `page` shows in `direction`. */
export function pageRange(count: number, page: number, size: number, direction: SortDirection): { from: number; to: number } {
  if (direction === 'asc') return { from: Math.min(count, (page - 1) * size), to: Math.min(count, page * size) };
  return { from: Math.max(0, count - page * size), to: Math.max(0, count - (page - 1) * size) };
}

/** The 1-based server page numbers, of `size` items each, that together hold items [from, to). */
export function coveringPages(from: number, to: number, size: number): number[] {
  if (to <= from) return [];
  const first = Math.floor(from / size) + 1;
  const last = Math.floor((to - 1) / size) + 1;
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

/** A list of one view: what it asks the server, for which search. */
export interface ViewRequest {
  settings: EventsClientSettings;
  search: string;
}

function request(view: ViewRequest, options: { page: number; pageSize: number; upcoming: boolean }): ListRequest {
  return { url: eventListUrl(view.settings), body: eventListQuery({ ...options, search: view.search }) };
}

class NoTotal extends Error {}

/** One server page, which must carry a total (else the caller falls back to reading all). */
async function fetchCounted(view: ViewRequest, options: { page: number; pageSize: number; upcoming: boolean }) {
  const answer = await fetchListPage(view.settings, request(view, options));
  if (answer.page.total === null) throw new NoTotal();
  return { rows: answer.rows, total: answer.page.total };
}

/** Items [from, to) of one server list, read through the server pages that hold them. */
async function fetchRange(view: ViewRequest, upcoming: boolean, from: number, to: number, size: number): Promise<EventRow[]> {
  const pages = coveringPages(from, to, size);
  const answers = await Promise.all(pages.map((page) => fetchCounted(view, { page, pageSize: size, upcoming })));
  const rows = answers.flatMap((answer) => answer.rows);
  const offset = ((pages[0] ?? 1) - 1) * size;
  return rows.slice(from - offset, to - offset);
}

/** How many upcoming events have already started (they lead the upcoming list). */
async function countStarted(view: ViewRequest, now: number): Promise<{ upcoming: number; started: number }> {
  const size = 100;
  let started = 0;
  for (let page = 1; ; page += 1) {
    const answer = await fetchCounted(view, { page, pageSize: size, upcoming: true });
    const running = answer.rows.filter((row) => row.startMs !== null && row.startMs < now).length;
    started += running;
    if (running < answer.rows.length || answer.rows.length < size || page * size >= answer.total) {
      return { upcoming: answer.total, started };
    }
  }
}

function ordered(rows: EventRow[], direction: SortDirection): EventRow[] {
  return direction === 'desc' ? [...rows].reverse() : rows;
}

async function cutPage(view: ViewRequest, options: { when: EventsWhen; direction: SortDirection; page: number; size: number }): Promise<EventPage> {
  const { when, direction, page, size } = options;
  if (when === 'upcoming') {
    if (direction === 'asc') {
      const answer = await fetchCounted(view, { page, pageSize: size, upcoming: true });
      return { rows: answer.rows, total: answer.total, pageCount: Math.max(1, Math.ceil(answer.total / size)), incomplete: null };
    }
    const { total } = await fetchCounted(view, { page: 1, pageSize: 1, upcoming: true });
    const { from, to } = pageRange(total, page, size, direction);
    const rows = await fetchRange(view, true, from, to, size);
    return { rows: ordered(rows, direction), total, pageCount: Math.max(1, Math.ceil(total / size)), incomplete: null };
  }
  const now = Date.now();
  const [all, upcoming] = await Promise.all([fetchCounted(view, { page: 1, pageSize: 1, upcoming: false }), countStarted(view, now)]);
  const total = Math.max(0, all.total - upcoming.upcoming);
  const startedCount = total + upcoming.started;
  const { from, to } = pageRange(startedCount, page, size, direction);
  const rows = (await fetchRange(view, false, from, to, size)).filter((row) => !isUpcoming(row, now));
  return { rows: ordered(rows, direction), total, pageCount: Math.max(1, Math.ceil(startedCount / size)), incomplete: null };
}

/** One page of a view, cut from the server's lists as described at the top of this file. */
export async function loadEventPage(
  view: ViewRequest,
  options: { when: EventsWhen; direction: SortDirection; page: number; size: number },
): Promise<EventPage> {
  try {
    return await cutPage(view, options);
  } catch (error) {
    if (!(error instanceof NoTotal)) throw error;
  }
  // No total: read the whole view and cut the page here.
  const all = await loadAllEvents(view, options);
  const pageCount = Math.max(1, Math.ceil(all.rows.length / options.size));
  const start = (Math.min(options.page, pageCount) - 1) * options.size;
  return { rows: all.rows.slice(start, start + options.size), total: all.rows.length, pageCount, incomplete: all.incomplete };
}

/**
 * Every event of a view, in the view's order, for export: the whole server list through every
 * page (following whichever paging the answer uses).
 */
export async function loadAllEvents(
  view: ViewRequest,
  options: { when: EventsWhen; direction: SortDirection },
): Promise<{ rows: EventRow[]; incomplete: string | null }> {
  const now = Date.now();
  const all = await fetchAllEvents(view.settings, request(view, { page: 1, pageSize: 100, upcoming: options.when === 'upcoming' }));
  const rows = toEventRows(all.records, view.settings.fieldMap);
  // Ordered by start here too: an API that lists in another order still pages consistently.
  const byStart = [...rows].sort((a, b) => (a.startMs ?? Infinity) - (b.startMs ?? Infinity));
  const chosen = options.when === 'past' ? byStart.filter((row) => !isUpcoming(row, now)) : byStart.filter((row) => isUpcoming(row, now));
  return { rows: ordered(chosen, options.direction), incomplete: all.incomplete };
}
