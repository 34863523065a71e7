/**
 * What the overview's cards show, and nothing more: a count and a few bars per data set. The
 * server reads the lists and hands the browser only these summaries (a few hundred bytes, where
 * the lists run to hundreds of kilobytes that the browser would parse and reshape before the
 * page could paint); the browser makes the same summaries when it reads the lists itself.
 * Pure and isomorphic.
 */
import { EVENTS_CARD_VIEW } from '@/lib/upstreams/data-keys';
import { loadEventPage } from '@/lib/upstreams/events/views';
import type { EventRow, EventsClientSettings } from '@/lib/upstreams/events/client';
import { loadSources, type MetiClientSettings, type SourceRow } from '@/lib/upstreams/meti/client';
import type { UpstreamClientSettings } from '@/lib/upstreams/shared/settings';
import { fetchWells } from '@/lib/upstreams/wellview/client';
import type { WellviewTarget } from '@/lib/upstreams/wellview/target';
import type { WellRow } from '@/lib/upstreams/wellview/wells';

/** One bar of a card's chart. */
export interface Bar {
  label: string;
  value: number;
}

/** The most frequent values of `pick`, most frequent first; a missing value counts as "Unknown". */
export function countBy<T>(items: readonly T[], pick: (item: T) => string | null | undefined, top = 5): Bar[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = pick(item) || 'Unknown';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => b.value - a.value)
    .slice(0, top);
}

/** A list's size and its commonest values of one field. */
export interface ListSummary {
  count: number;
  bars: Bar[];
}

/** The wells card: well headers, by status. */
export function summariseWells(rows: readonly WellRow[]): ListSummary {
  return { count: rows.length, bars: countBy(rows, (row) => row.well.status) };
}

/** The sources card: sources, by methodology. */
export function summariseSources(rows: readonly SourceRow[]): ListSummary {
  return { count: rows.length, bars: countBy(rows, (row) => (typeof row.values.methodology === 'string' ? row.values.methodology : null)) };
}

/** A calendar month of upcoming events: `at` is its first event's start (the browser names the month in its locale). */
export interface MonthBar {
  order: number;
  at: number;
  value: number;
}

/** The events card: how many upcoming events, and how many in each of the first six months. */
export interface EventsSummary {
  total: number;
  months: MonthBar[];
}

/** Months are counted in UTC so that the server and the browser agree on them. */
export function summariseEvents(total: number, rows: readonly EventRow[]): EventsSummary {
  const months = new Map<number, MonthBar>();
  for (const row of rows) {
    if (row.startMs === null) continue;
    const date = new Date(row.startMs);
    const order = date.getUTCFullYear() * 12 + date.getUTCMonth();
    const month = months.get(order) ?? { order, at: row.startMs, value: 0 };
    month.value += 1;
    months.set(order, month);
  }
  return { total, months: [...months.values()].sort((a, b) => a.order - b.order).slice(0, 6) };
}

/** Reads every well header at `target` and summarises them for the card. */
export async function loadWellsSummary(target: WellviewTarget, settings: UpstreamClientSettings): Promise<ListSummary> {
  return summariseWells((await fetchWells(target, settings)).rows);
}

/** Reads the first upcoming events and summarises them for the card. */
export async function loadEventsSummary(settings: EventsClientSettings): Promise<EventsSummary> {
  const page = await loadEventPage({ settings, search: '' }, EVENTS_CARD_VIEW);
  return summariseEvents(page.total, page.rows);
}

/** Reads every METI source and summarises them for the card. */
export async function loadSourcesSummary(settings: MetiClientSettings): Promise<ListSummary> {
  return summariseSources((await loadSources(settings)).rows);
}
