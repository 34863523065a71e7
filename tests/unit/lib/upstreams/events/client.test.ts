import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  eventListQuery,
  eventListUrl,
  eventUrl,
  fetchAllEvents,
  isUpcoming,
  loadEvent,
  nextListRequest,
  reshapeEvent,
  type EventsClientSettings,
} from '@/lib/upstreams/events/client';
import { eventColumns, placeOf } from '@/lib/upstreams/events/columns';
import { loadEventPage } from '@/lib/upstreams/events/views';
import { defaultColumnKeys } from '@/lib/upstreams/record-columns';

const settings: EventsClientSettings = {
  gatewayPrefix: '/api/events',
  upstreamBaseUrl: 'https://events.example.com',
  apiVersion: '1.0',
  fieldMap: {},
};

const START = '2026-03-04T15:00:00.000Z';
const END = '2026-03-04T19:00:00.000Z';

function shown(raw: unknown) {
  const row = reshapeEvent(raw);
  return { id: row.id, ...row.values, place: placeOf(row), startMs: row.startMs };
}

describe('reshapeEvent: one event, many shapes', () => {
  const expected = { id: 'e1', name: 'Permian Safety Summit', start: START, end: END, venue: 'Midland County Horseshoe', city: 'Midland', state: 'TX' };

  it('reads the Engagifii shape (nested venue)', () => {
    expect(
      shown({
        id: 'e1',
        name: expected.name,
        startDate: START,
        endDate: END,
        venue: { name: expected.venue, city: 'Midland', state: 'TX' },
        category: 'Conference',
        registrations: 12,
        capacity: 50,
      }),
    ).toMatchObject({ ...expected, category: 'Conference', registrations: 12, capacity: 50, place: 'Midland County Horseshoe, Midland, TX' });
  });

  it('reads PascalCase (.NET) with /Date()/ and an event type', () => {
    expect(
      shown({
        EventId: 'e1',
        EventName: expected.name,
        StartDateTime: `/Date(${Date.parse(START)})/`,
        EndDateTime: `/Date(${Date.parse(END)})/`,
        VenueName: expected.venue,
        City: 'Midland',
        State: 'TX',
        EventType: 'Conference',
      }),
    ).toMatchObject({ ...expected, category: 'Conference' });
  });

  it('reads snake_case with epoch seconds and a location object', () => {
    expect(
      shown({
        event_id: 'e1',
        title: expected.name,
        start_date: Date.parse(START) / 1000,
        end_date: Date.parse(END) / 1000,
        location: { name: expected.venue, city: 'Midland', region: 'TX' },
        organizer: { name: 'SPE' },
      }),
    ).toMatchObject({ ...expected, organizer: 'SPE' });
  });

  it('reads Graph-style start/end objects and a plain-text location', () => {
    expect(
      shown({
        id: 'e1',
        subject: expected.name,
        start: { dateTime: START, timeZone: 'UTC' },
        end: { dateTime: END, timeZone: 'UTC' },
        location: expected.venue,
        isOnline: 'false',
      }),
    ).toMatchObject({ id: 'e1', name: expected.name, start: START, end: END, venue: expected.venue, isVirtual: false, timeZone: 'UTC' });
  });

  it('reads startsAt / venue.address.city, and says "Online" for a virtual event without a venue', () => {
    expect(shown({ id: 'e1', startsAt: START, venue: { title: 'Hall A', address: { city: 'Denver', state: 'CO' } } })).toMatchObject({
      start: START,
      venue: 'Hall A',
      city: 'Denver',
      state: 'CO',
    });
    expect(shown({ id: 'e2', startDate: START, venue: null, isVirtual: true }).place).toBe('Online');
  });

  it('reads local times with offsets, a nested address, kind, host, labels and counts', () => {
    const row = reshapeEvent({
      id: 'e9',
      title: 'Rockies Workshop',
      summary: 'Hands-on',
      startsAt: '2027-05-12T09:00:00-05:00',
      endsAt: '2027-05-12T17:00:00-05:00',
      venue: { name: 'Colorado Convention Center', city: 'Denver', address: { line1: '700 14th St', region: 'CO', countryCode: 'US' } },
      online: false,
      kind: 'Workshop',
      host: { name: 'SPE' },
      labels: [{ name: 'safety' }, { name: 'upstream' }],
      maxAttendees: 200,
      registeredCount: 150,
    });
    expect(row.values).toMatchObject({
      name: 'Rockies Workshop',
      description: 'Hands-on',
      start: '2027-05-12T14:00:00.000Z',
      end: '2027-05-12T22:00:00.000Z',
      venue: 'Colorado Convention Center',
      city: 'Denver',
      state: 'CO',
      country: 'US',
      address: '700 14th St',
      isVirtual: false,
      category: 'Workshop',
      organizer: 'SPE',
      tags: 'safety, upstream',
      capacity: 200,
      registrations: 150,
    });
    expect(Object.keys(row.extras)).toEqual([]);
  });

  it('orders and tests "upcoming" by the parsed times', () => {
    const row = reshapeEvent({ id: 1, startDate: START, endDate: END });
    expect(row.startMs).toBe(Date.parse(START));
    expect(isUpcoming(row, Date.parse(START) + 1)).toBe(true);
    expect(isUpcoming(row, Date.parse(END) + 1)).toBe(false);
  });

  it('hides the registrations column when no event has any, and shows capacity beside it', () => {
    const rows = [reshapeEvent({ id: 1, name: 'A', startDate: START }), reshapeEvent({ id: 2, name: 'B', startDate: START, city: 'X' })];
    const columns = eventColumns();
    expect(defaultColumnKeys(columns, rows)).toEqual(['name', 'start', 'place']);
    expect(columns.slice(0, 5).map((column) => column.header)).toEqual(['Event', 'Starts', 'Venue', 'Category', 'Registrations']);
    const registrations = columns.find((column) => column.key === 'registrations');
    const event = reshapeEvent({ id: 3, attendeeCount: 1200, maxAttendees: 2000 });
    expect(registrations?.text?.(event, { locale: 'en-US', timeZone: 'UTC' })).toBe('1,200 / 2,000');
    expect(registrations?.text?.(event, { locale: 'de-DE', timeZone: 'UTC' })).toBe('1.200 / 2.000');
  });
});

describe('Events client over the gateway', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('builds gateway URLs and the guide’s list query', () => {
    expect(eventListUrl(settings)).toBe('/api/events/api/1.0/event/list');
    expect(eventUrl(settings, 'a b')).toBe('/api/events/api/1.0/event/a%20b');
    expect(eventListQuery({ page: 2, pageSize: 25, upcoming: true, search: 'x' })).toEqual({
      PageNumber: 2,
      PageSize: 25,
      OnlyUpcoming: true,
      SearchText: 'x',
    });
  });

  it('posts the same query to a next link, or carries a page, cursor or offset in the body', () => {
    const current = { url: eventListUrl(settings), body: { PageNumber: 1, PageSize: 100 } };
    expect(nextListRequest(settings, current, { kind: 'link', href: 'https://events.example.com/api/1.0/event/list?$skiptoken=9' })).toEqual({
      url: '/api/events/api/1.0/event/list?$skiptoken=9',
      body: current.body,
    });
    expect(nextListRequest(settings, current, { kind: 'page', page: 2 }).body.PageNumber).toBe(2);
    expect(nextListRequest(settings, current, { kind: 'cursor', cursor: 'abc', param: 'continuationToken' }).body.ContinuationToken).toBe('abc');
    expect(nextListRequest(settings, current, { kind: 'offset', offset: 100 }).body.Skip).toBe(100);
    expect(() => nextListRequest(settings, current, { kind: 'link', href: 'https://evil.example.net/steal' })).toThrow(/outside/);
  });

  function postedApi(handler: (body: Record<string, unknown>, url: string) => unknown) {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
        return new Response(JSON.stringify(handler(body, url)), { headers: { 'content-type': 'application/json' } });
      }),
    );
  }

  const many = (count: number, from = 0) =>
    Array.from({ length: count }, (_, index) => ({
      eventId: `e${from + index}`,
      title: `Event ${from + index}`,
      startsAt: new Date(Date.now() + (from + index + 1) * 86_400_000).toISOString(),
    }));

  it('reads every page of a cursor-paged list with no total, and cuts pages from it', async () => {
    const events = many(130);
    postedApi((body) => {
      const from = Number(body.Cursor ?? 0);
      return { results: events.slice(from, from + 50), next: from + 50 < events.length ? String(from + 50) : null };
    });
    const all = await fetchAllEvents(settings, { url: eventListUrl(settings), body: eventListQuery({ page: 1, pageSize: 100, upcoming: true, search: '' }) });
    expect(all.records).toHaveLength(130);
    const page = await loadEventPage({ settings, search: '' }, { when: 'upcoming', direction: 'asc', page: 2, size: 25 });
    expect(page.total).toBe(130);
    expect(page.pageCount).toBe(6);
    expect(page.rows.map((row) => row.id)).toEqual(events.slice(25, 50).map((event) => event.eventId));
  });

  it('asks for the next page number of a bare array while pages come back full, and stops on a repeat', async () => {
    const events = many(150);
    postedApi((body) => {
      const size = Number(body.PageSize);
      const page = Number(body.PageNumber);
      return events.slice((page - 1) * size, page * size);
    });
    const first = { url: eventListUrl(settings), body: eventListQuery({ page: 1, pageSize: 100, upcoming: true, search: '' }) };
    expect((await fetchAllEvents(settings, first)).records).toHaveLength(150);
    vi.unstubAllGlobals();
    postedApi(() => events.slice(0, 100)); // ignores PageNumber
    expect((await fetchAllEvents(settings, first)).records).toHaveLength(100);
  });

  it('reads { value, @odata.count } totals for the server-cut pages', async () => {
    const events = many(60);
    postedApi((body) => {
      const size = Number(body.PageSize);
      const page = Number(body.PageNumber);
      return { value: events.slice((page - 1) * size, page * size), '@odata.count': events.length };
    });
    const page = await loadEventPage({ settings, search: '' }, { when: 'upcoming', direction: 'desc', page: 1, size: 25 });
    expect(page.total).toBe(60);
    expect(page.rows[0]?.id).toBe('e59');
  });

  it('turns an error object sent with 200 into an error naming what to check', async () => {
    postedApi(() => ({ success: false, message: 'Tenant disabled' }));
    await expect(loadEventPage({ settings, search: '' }, { when: 'upcoming', direction: 'asc', page: 1, size: 25 })).rejects.toThrow(
      /Tenant disabled.*EVENTS_API_BASE_URL/,
    );
  });

  it('reads one event from an envelope', async () => {
    postedApi(() => ({ result: { Id: 'e1', Title: 'Hello', Venue: { VenueName: 'Hall' } } }));
    const event = await loadEvent(settings, 'e1');
    expect(event.values).toMatchObject({ id: 'e1', name: 'Hello', venue: 'Hall' });
  });
});
