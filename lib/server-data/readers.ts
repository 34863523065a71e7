import 'server-only';
import { getSession } from '@/lib/dal/session';
import { log } from '@/lib/log';
import { loadEvent, type EventsClientSettings } from '@/lib/upstreams/events/client';
import { loadEventPage } from '@/lib/upstreams/events/views';
import {
  eventKey,
  eventsCardKey,
  eventsPageKey,
  sourceKey,
  sourcesCardKey,
  sourcesKey,
  wellKey,
  wellsCardKey,
  wellsKey,
  wellviewTargetKey,
  type EventsPageView,
} from '@/lib/upstreams/data-keys';
import type { FirstPaintData, SeedEntry } from '@/lib/upstreams/first-paint';
import { loadSource, loadSourceRecords, type MetiClientSettings } from '@/lib/upstreams/meti/client';
import type { UpstreamClientSettings } from '@/lib/upstreams/shared/settings';
import { loadEventsSummary, loadSourcesSummary, loadWellsSummary } from '@/lib/upstreams/overview';
import { fetchWell, fetchWellRecords, fetchWellviewTarget } from '@/lib/upstreams/wellview/client';
import type { WellviewTarget } from '@/lib/upstreams/wellview/target';
import { pageRequestId, readThroughApi } from '@/lib/server-data/transport';

/**
 * The server side of a page's first paint: each reader checks who is asking (the DAL, which also
 * refuses an ended login), reads its data through the same clients the browser runs (their
 * `/api` calls answered in-process, `transport.ts`) and returns it as SWR seeds. Whatever fails
 * (an upstream or the identity provider down, the time budget spent) is logged and left out: the
 * client component then fetches it itself and shows its usual states. Nothing here throws.
 */

/** How long a server read may hold its area's rows back before the browser takes over. */
export const SERVER_READ_BUDGET_MS = 8_000;

export type PageQuery = Record<string, string | string[] | undefined>;

function single(query: PageQuery, name: string): string {
  const value = query[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Seeds found before a failure are kept: the client fetches only what is missing. */
async function read(area: string, collect: (seed: (entry: SeedEntry) => void) => Promise<void>): Promise<FirstPaintData | null> {
  try {
    // Signed out, or a copy of a signed-out cookie: no data (the layout sends them to sign in).
    if (!(await getSession())) return null;
  } catch {
    return null;
  }
  const entries: SeedEntry[] = [];
  let sessionStale = false;
  try {
    // Props of client components must be plain data: the record model's maps have no prototype.
    const seed = (entry: SeedEntry) => entries.push(entry.kind === 'value' ? { ...entry, value: structuredClone(entry.value) } : entry);
    const done = await readThroughApi(() => collect(seed), SERVER_READ_BUDGET_MS);
    sessionStale = done.sessionStale;
  } catch (error) {
    log.info('first_paint.browser_fetches', {
      requestId: await pageRequestId().catch(() => undefined),
      area,
      errorCode: error instanceof Error && 'code' in error ? String(error.code) : error instanceof Error ? error.name : 'UNKNOWN',
      seeded: entries.length,
    });
    // The browser fetches what is missing, and that API answer brings its cookie up to date.
  }
  return entries.length > 0 || sessionStale ? { entries, sessionStale } : null;
}

/** Where the user's wells are, for their pick in `?target=` (the browser adds a stored one later). */
async function seedTarget(query: PageQuery, seed: (entry: SeedEntry) => void): Promise<WellviewTarget | null> {
  const chosen = single(query, 'target') || null;
  const discovery = await fetchWellviewTarget(chosen);
  seed({ kind: 'value', key: wellviewTargetKey(chosen), value: discovery });
  // Several candidates and no pick: the page shows the picker, it does not guess.
  return discovery.status === 'resolved' ? discovery.target : null;
}

/** The overview's wells card: the target, then the summary of the well headers there. */
export function wellsCardFirstPaint(settings: UpstreamClientSettings, query: PageQuery): Promise<FirstPaintData | null> {
  return read('wells-card', async (seed) => {
    const target = await seedTarget(query, seed);
    if (!target) return;
    seed({ kind: 'value', key: wellsCardKey(target, settings), value: await loadWellsSummary(target, settings) });
  });
}

/** `/wells`: the target, then every well header there. */
export function wellsFirstPaint(settings: UpstreamClientSettings, query: PageQuery): Promise<FirstPaintData | null> {
  return read('wells', async (seed) => {
    const target = await seedTarget(query, seed);
    if (!target) return;
    const list = await fetchWellRecords(target, settings);
    seed({ kind: 'wells', key: wellsKey(target, settings), list, fieldMap: settings.fieldMap });
  });
}

/** `/wells/<id>`: the target, then the well. */
export function wellFirstPaint(settings: UpstreamClientSettings, id: string, query: PageQuery): Promise<FirstPaintData | null> {
  return read('well', async (seed) => {
    const target = await seedTarget(query, seed);
    if (!target) return;
    seed({ kind: 'value', key: wellKey(target, id, settings), value: await fetchWell(target, id, settings) });
  });
}

/** Rows per page of `/events`: must match `components/events/events-view.tsx`. */
export const EVENTS_PAGE_SIZE = 25;

/** The view `/events` shows for its query, by the rules of `components/events/events-view.tsx`. */
export function eventsPageView(query: PageQuery): EventsPageView {
  const when = single(query, 'when') === 'past' ? 'past' : 'upcoming';
  const dir = single(query, 'dir');
  return {
    when,
    // Soonest first for upcoming events, most recent first for past ones, unless the user flips it.
    direction: dir === 'asc' || dir === 'desc' ? dir : when === 'past' ? 'desc' : 'asc',
    search: single(query, 'q'),
    page: Math.max(1, Number(single(query, 'page') || '1') || 1),
    size: EVENTS_PAGE_SIZE,
  };
}

/** `/events`: the page of the view in the URL. */
export function eventsFirstPaint(settings: EventsClientSettings, query: PageQuery): Promise<FirstPaintData | null> {
  return read('events', async (seed) => {
    const view = eventsPageView(query);
    seed({ kind: 'value', key: eventsPageKey(settings, view), value: await loadEventPage({ settings, search: view.search }, view) });
  });
}

/** The overview's events card: the summary of the first 100 upcoming events. */
export function eventsCardFirstPaint(settings: EventsClientSettings): Promise<FirstPaintData | null> {
  return read('events-card', async (seed) => {
    seed({ kind: 'value', key: eventsCardKey(settings), value: await loadEventsSummary(settings) });
  });
}

/** `/events/<id>`. */
export function eventFirstPaint(settings: EventsClientSettings, id: string): Promise<FirstPaintData | null> {
  return read('event', async (seed) => {
    seed({ kind: 'value', key: eventKey(settings, id), value: await loadEvent(settings, id) });
  });
}

/** The overview's sources card: the summary of every source. */
export function sourcesCardFirstPaint(settings: MetiClientSettings): Promise<FirstPaintData | null> {
  return read('sources-card', async (seed) => {
    seed({ kind: 'value', key: sourcesCardKey(settings), value: await loadSourcesSummary(settings) });
  });
}

/** `/sources`: every source, and those of the methodology in the URL (the page uses both). */
export function sourcesFirstPaint(settings: MetiClientSettings, query: PageQuery = {}): Promise<FirstPaintData | null> {
  return read('sources', async (seed) => {
    const methodology = single(query, 'methodology');
    const [all, filtered] = await Promise.all([
      loadSourceRecords(settings),
      methodology ? loadSourceRecords(settings, { methodology }) : null,
    ]);
    seed({ kind: 'sources', key: sourcesKey(settings, ''), list: all, fieldMap: settings.fieldMap });
    if (filtered) seed({ kind: 'sources', key: sourcesKey(settings, methodology), list: filtered, fieldMap: settings.fieldMap });
  });
}

/** `/sources/<id>`. */
export function sourceFirstPaint(settings: MetiClientSettings, id: string): Promise<FirstPaintData | null> {
  return read('source', async (seed) => {
    seed({ kind: 'value', key: sourceKey(settings, id), value: await loadSource(settings, id) });
  });
}
