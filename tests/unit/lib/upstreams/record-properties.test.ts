import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '@/lib/client/gateway-client';
import { toCsv } from '@/lib/csv';
import { reshapeEvent, toEventRows, type EventsClientSettings } from '@/lib/upstreams/events/client';
import { eventColumns } from '@/lib/upstreams/events/columns';
import { loadEventPage } from '@/lib/upstreams/events/views';
import { loadSources, reshapeSource, toSourceRows, type MetiClientSettings } from '@/lib/upstreams/meti/client';
import { sourceColumns } from '@/lib/upstreams/meti/columns';
import { DEFAULT_DISPLAY } from '@/lib/display/setting';
import { cellText, defaultColumnKeys, extraColumns, type RecordColumn } from '@/lib/upstreams/record-columns';
import { detailFields, pathIdentity, scalarLeaves, type ShapedRecord } from '@/lib/upstreams/record-model';
import { SOURCE_FIELDS } from '@/lib/upstreams/meti/fields';
import { EVENT_FIELDS } from '@/lib/upstreams/events/fields';
import { readPath } from '@/lib/upstreams/shared/paths';

/** Keys real records use, so random records hit the aliases, plus arbitrary ones. */
const KEYS = [
  'id', 'name', 'title', 'country', 'Country', 'country_code', 'latitude', 'lat', 'lng', 'coordinates', 'location', 'geometry',
  'emissions', 'co2e', 'annualEmissionsTco2e', 'ch4', 'n2o', 'year', 'period', 'operator', 'venue', 'city', 'startDate',
  'start', 'end', 'endDate', 'dateTime', 'value', 'tags', 'gas', 'tonnes', 'isVirtual', 'registrations', 'capacity',
];
const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 }));
const scalar = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.nat(3).map((seed) => 'x'.repeat(10_001 + seed * 5_000)),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom('/Date(1767225600000)/', '2026-12-03', '12/03/2026', 'NaN', '1,234.5', '', '[object Object]'),
);
/** Records of bounded size (deep nesting, wrong types, arrays of objects, huge strings). */
const record = fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    tie('object'),
    fc.array(fc.oneof(scalar, tie('object')), { maxLength: 4 }),
  ),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).object;

const anyInput = fc.oneof(record, fc.anything(), fc.array(record, { maxLength: 3 }));

/** Every scalar leaf of `raw` is a named value's source or an extra with the same value. */
function everyScalarReachable(row: ShapedRecord): void {
  const used = new Set(row.consumed.map(pathIdentity));
  for (const [path, value] of scalarLeaves(row.raw)) {
    if (used.has(pathIdentity(path))) continue;
    expect(row.extras[path], `extra ${path}`).toEqual(value);
  }
}

/** Every scalar leaf is shown on the detail page: under a label, or at its own path. */
function everyScalarOnDetail(row: ShapedRecord, { rest: fields }: { rest: Record<string, unknown> }): void {
  const used = new Set(row.consumed.map(pathIdentity));
  for (const [path, value] of scalarLeaves(row.raw)) {
    if (used.has(pathIdentity(path))) continue;
    const shown = row.raw !== null && typeof row.raw === 'object' && !Array.isArray(row.raw) ? readPath(fields, path) : fields[path];
    // Extras are clipped at 10,000 characters; the detail page has the whole text.
    expect(typeof shown === 'string' && typeof value === 'string' ? shown.startsWith(value.replace(/…$/, '')) : shown, `detail ${path}`).toEqual(
      typeof value === 'string' ? true : value,
    );
  }
}

function cellsAreText<Row extends ShapedRecord>(columns: readonly RecordColumn<Row>[], rows: readonly Row[]): void {
  for (const row of rows) {
    for (const column of columns) {
      const text = cellText(DEFAULT_DISPLAY, column, row);
      expect(typeof text).toBe('string');
      if (!JSON.stringify(row.raw ?? null).includes('[object Object]')) expect(text).not.toContain('[object Object]');
    }
  }
}

describe('reshape properties (random records)', { timeout: 60_000 }, () => {
  it('a source never throws, and every scalar it holds stays reachable', () => {
    fc.assert(
      fc.property(anyInput, fc.nat(50), (raw, index) => {
        const row = reshapeSource(raw, { index });
        expect(typeof row.id).toBe('string');
        expect(row.id.length).toBeGreaterThan(0);
        for (const value of Object.values(row.values)) expect(value === null || ['string', 'number', 'boolean'].includes(typeof value)).toBe(true);
        everyScalarReachable(row);
        everyScalarOnDetail(row, detailFields(row, SOURCE_FIELDS));
      }),
      { numRuns: 200 },
    );
  });

  it('an event never throws, and every scalar it holds stays reachable', () => {
    fc.assert(
      fc.property(anyInput, (raw) => {
        const row = reshapeEvent(raw);
        expect(row.startMs === null || Number.isFinite(row.startMs)).toBe(true);
        everyScalarReachable(row);
        everyScalarOnDetail(row, detailFields(row, EVENT_FIELDS));
      }),
      { numRuns: 200 },
    );
  });

  it('a field named like an Object member on one row never fills another row\'s cell', () => {
    // Found by the property below: a row without `toString` read Object.prototype's function.
    const raws: unknown[] = [{ id: 'a' }, { id: 'b', toString: 'x', constructor: 'y', hasOwnProperty: 'z', valueOf: 1 }];
    for (const rows of [toSourceRows(raws), toEventRows(raws)]) {
      const columns = extraColumns(rows, new Set());
      expect(columns.map((column) => column.key)).toEqual(expect.arrayContaining(['toString', 'constructor', 'hasOwnProperty', 'valueOf']));
      cellsAreText(columns, rows);
      for (const column of columns) expect(column.value(rows[0] as (typeof rows)[number]), column.key).toBeNull();
    }
  });

  it('keeps a `__proto__` field on the detail page as a field, not a prototype', () => {
    const raw: unknown = JSON.parse('{ "id": "c", "site": { "__proto__": 7, "name": "Pad" } }');
    const { rest } = detailFields(reshapeSource(raw), SOURCE_FIELDS);
    const site = rest.site as Record<string, unknown>;
    expect(Object.getPrototypeOf(site)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(site, '__proto__')?.value).toBe(7);
  });

  it('columns, cells and CSV render any rows as text, never [object Object]', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 5 }), (raws) => {
        const sources = toSourceRows(raws);
        const sourceCols = [...sourceColumns(), ...extraColumns(sources, new Set())];
        cellsAreText(sourceCols, sources);
        expect(defaultColumnKeys(sourceCols, sources)[0]).toBe('name');
        const csv = toCsv(sources, sourceCols.map((column) => ({ header: column.header, value: (row: (typeof sources)[number]) => column.value(row) })));
        expect(csv.split('\r\n').length).toBeGreaterThan(sources.length);
        const events = toEventRows(raws);
        cellsAreText([...eventColumns(), ...extraColumns(events, new Set())], events);
      }),
      { numRuns: 200 },
    );
  });

  it('an operator override path reads whatever is there without throwing', () => {
    fc.assert(
      fc.property(record, fc.string({ maxLength: 20 }), (raw, path) => {
        const row = reshapeSource(raw, { overrides: path ? { country: path, custom: path } : {} });
        expect(row.values.country === null || typeof row.values.country === 'string').toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('client properties (random answers)', { timeout: 60_000 }, () => {
  afterEach(() => vi.unstubAllGlobals());

  const body = fc.oneof(
    fc.json(),
    fc.constantFrom('', '<html><title>Down</title></html>', 'not json', '{"error":"x"}', '{"data":null}', '[]', '{"value":[],"@odata.nextLink":"http://elsewhere/x"}'),
    fc.array(record, { maxLength: 3 }).map((items) => JSON.stringify({ items, total: 'many', next: 42 })),
  );

  it('a METI list ends in rows or a GatewayError, whatever the answer', async () => {
    const settings: MetiClientSettings = { gatewayPrefix: '/api/meti', upstreamBaseUrl: 'https://meti.example.com', fieldMap: {} };
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        let calls = 0;
        vi.stubGlobal(
          'fetch',
          vi.fn(async () => {
            calls += 1;
            return new Response(calls > 3 ? '[]' : text, { headers: { 'content-type': 'application/json' } });
          }),
        );
        try {
          const list = await loadSources(settings);
          expect(Array.isArray(list.rows)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(GatewayError);
          expect((error as GatewayError).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('an events page ends in rows or a GatewayError, whatever the answer', async () => {
    const settings: EventsClientSettings = { gatewayPrefix: '/api/events', upstreamBaseUrl: 'https://events.example.com', apiVersion: '1.0', fieldMap: {} };
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('upcoming', 'past') as fc.Arbitrary<'upcoming' | 'past'>, async (text, when) => {
        let calls = 0;
        vi.stubGlobal(
          'fetch',
          vi.fn(async () => {
            calls += 1;
            return new Response(calls > 6 ? '[]' : text, { headers: { 'content-type': 'application/json' } });
          }),
        );
        try {
          const page = await loadEventPage({ settings, search: '' }, { when, direction: 'asc', page: 1, size: 25 });
          expect(page.total).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(page.pageCount)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(GatewayError);
        }
      }),
      { numRuns: 150 },
    );
  });
});
