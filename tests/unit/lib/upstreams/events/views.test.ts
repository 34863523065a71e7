import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coveringPages, loadAllEvents, loadEventPage, pageRange } from '@/lib/upstreams/events/views';
import type { EventsClientSettings } from '@/lib/upstreams/events/client';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface FakeEvent {
  id: string;
  name: string;
  startDate: string;
  endDate: string;
}

/** Events around now, including ones still running that started before some past ones. */
function eventsAround(now: number): FakeEvent[] {
  const events: FakeEvent[] = [];
  const add = (id: string, startOffset: number, hours: number) =>
    events.push({
      id,
      name: id,
      startDate: new Date(now + startOffset).toISOString(),
      endDate: new Date(now + startOffset + hours * HOUR).toISOString(),
    });
  for (let index = 0; index < 23; index += 1) add(`past-${index}`, -(40 - index) * DAY, 4);
  add('running-long', -20 * DAY, 30 * 24); // started among the past events, ends in ten days
  add('running-short', -2 * HOUR, 4);
  add('past-latest', -5 * HOUR, 2);
  for (let index = 0; index < 7; index += 1) add(`future-${index}`, (index + 1) * DAY, 4);
  return events;
}

/** The Events API as the sandbox serves it: ordered by start, `OnlyUpcoming` = not ended yet. */
function fakeEventsApi(events: FakeEvent[]) {
  return vi.fn(async (_url: string, init?: RequestInit) => {
    const query = JSON.parse(String(init?.body)) as {
      PageNumber: number;
      PageSize: number;
      OnlyUpcoming: boolean;
    };
    const now = Date.now();
    const matching = events
      .filter((event) => !query.OnlyUpcoming || Date.parse(event.endDate) >= now)
      .sort((a, b) => Date.parse(a.startDate) - Date.parse(b.startDate));
    const start = (query.PageNumber - 1) * query.PageSize;
    return new Response(
      JSON.stringify({ data: matching.slice(start, start + query.PageSize), totalCount: matching.length }),
      {
        headers: { 'content-type': 'application/json' },
      },
    );
  });
}

const settings: EventsClientSettings = {
  gatewayPrefix: '/api/events',
  upstreamBaseUrl: 'https://events.example.com',
  apiVersion: '1.0',
  fieldMap: {},
};
const request = { settings, search: '' };

describe('pageRange and coveringPages', () => {
  it('cut pages from either end of a list', () => {
    expect(pageRange(60, 1, 25, 'asc')).toEqual({ from: 0, to: 25 });
    expect(pageRange(60, 3, 25, 'asc')).toEqual({ from: 50, to: 60 });
    expect(pageRange(60, 1, 25, 'desc')).toEqual({ from: 35, to: 60 });
    expect(pageRange(60, 3, 25, 'desc')).toEqual({ from: 0, to: 10 });
  });

  it('name the server pages that hold a range', () => {
    expect(coveringPages(35, 60, 25)).toEqual([2, 3]);
    expect(coveringPages(0, 25, 25)).toEqual([1]);
    expect(coveringPages(10, 10, 25)).toEqual([]);
  });
});

describe('loadEventPage', () => {
  let events: FakeEvent[];
  beforeEach(() => {
    events = eventsAround(Date.now());
    vi.stubGlobal('fetch', fakeEventsApi(events));
  });
  afterEach(() => vi.unstubAllGlobals());

  const past = () =>
    events
      .filter((event) => event.id.startsWith('past'))
      .sort((a, b) => Date.parse(a.startDate) - Date.parse(b.startDate));

  async function walk(when: 'upcoming' | 'past', direction: 'asc' | 'desc', size: number) {
    const ids: string[] = [];
    const first = await loadEventPage(request, { when, direction, page: 1, size });
    for (let page = 1; page <= first.pageCount; page += 1) {
      const answer = page === 1 ? first : await loadEventPage(request, { when, direction, page, size });
      ids.push(...answer.rows.map((row) => row.id));
    }
    return { ids, total: first.total };
  }

  it('lists every past event once, newest first, and never a running one', async () => {
    const { ids, total } = await walk('past', 'desc', 5);
    expect(total).toBe(24);
    expect(ids).toEqual(
      past()
        .reverse()
        .map((event) => event.id),
    );
  });

  it('lists past events oldest first when asked', async () => {
    const { ids } = await walk('past', 'asc', 7);
    expect(ids).toEqual(past().map((event) => event.id));
  });

  it('lists upcoming events, running ones included, from either end', async () => {
    const upcoming = [
      'running-long',
      'running-short',
      ...Array.from({ length: 7 }, (_, index) => `future-${index}`),
    ];
    expect((await walk('upcoming', 'asc', 4)).ids).toEqual(upcoming);
    const newestFirst = await walk('upcoming', 'desc', 4);
    expect(newestFirst.ids).toEqual([...upcoming].reverse());
    expect(newestFirst.total).toBe(9);
  });

  it('exports the same events as the pages show, in the same order', async () => {
    const all = await loadAllEvents(request, { when: 'past', direction: 'desc' });
    expect(all.rows.map((row) => row.id)).toEqual(
      past()
        .reverse()
        .map((event) => event.id),
    );
  });
});
