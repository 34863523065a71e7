import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scalarFields } from '@/lib/upstreams/shared/field-map';
import { readPath } from '@/lib/upstreams/shared/paths';
import { wellListUrl, wellUrl } from '@/lib/upstreams/wellview/urls';
import { toWellRow, toWellRows } from '@/lib/upstreams/wellview/wells';

describe('WellView well headers', () => {
  it("reads WellView's own field names", () => {
    const { well } = toWellRow(
      {
        idwell: 'W1',
        wellname: 'Bison 1',
        wellida: '42-000',
        operator: 'Acme',
        fieldname: 'Spraberry',
        stateprov: 'TX',
        latitude: 31.9,
        longitude: -101.5,
        dttmspud: '2020-01-02T00:00:00Z',
        currentwellstatus1: 'Producing',
        welltyp1: 'Oil',
        totaldepth: 9000,
      },
      0,
    );
    expect(well).toMatchObject({
      id: 'W1',
      name: 'Bison 1',
      uwi: '42-000',
      operator: 'Acme',
      field: 'Spraberry',
      state: 'TX',
      latitude: 31.9,
      longitude: -101.5,
      status: 'Producing',
      type: 'Oil',
      totalDepth: 9000,
    });
    expect(well.spudDate).toBe('2020-01-02T00:00:00.000Z');
  });

  it('reads camelCase, snake_case, PascalCase, nested locations and GeoJSON', () => {
    const rows = toWellRows([
      {
        IDWell: 'A',
        WellName: 'Alpha',
        API14: '4200000001',
        operatorName: 'Acme',
        location: { state: 'NM', country: 'US' },
        coordinates: [-104, 32.5],
        spud_date: '2021-05-06',
        total_depth: '12,000',
      },
      {
        id: 7,
        well_name: 'Beta',
        uwi: '100/01',
        operator: { name: 'Borealis' },
        province: 'AB',
        geometry: { type: 'Point', coordinates: [-114, 51] },
        spudDate: 1614834367000,
        status: 'Shut in',
      },
    ]);
    expect(rows.map((row) => row.well)).toMatchObject([
      {
        id: 'A',
        name: 'Alpha',
        uwi: '4200000001',
        operator: 'Acme',
        state: 'NM',
        country: 'US',
        latitude: 32.5,
        longitude: -104,
        spudDate: '2021-05-06',
        totalDepth: 12000,
      },
      {
        id: '7',
        name: 'Beta',
        uwi: '100/01',
        operator: 'Borealis',
        state: 'AB',
        latitude: 51,
        longitude: -114,
        spudDate: '2021-03-04T05:06:07.000Z',
        status: 'Shut in',
      },
    ]);
  });

  it("lets WELLVIEW_FIELD_MAP win, by column key or WellView's field name, and add columns", () => {
    const record = {
      idwell: 'W',
      wellida: 'alias',
      identifiers: { api14: 'override' },
      geo: { basin: 'Permian' },
    };
    expect(toWellRow(record, 0, undefined).well.uwi).toBe('alias');
    expect(toWellRows([record], { uwi: 'identifiers.api14' })[0]?.well.uwi).toBe('override');
    expect(toWellRows([record], { wellida: 'identifiers.api14' })[0]?.well.uwi).toBe('override');
    expect(toWellRows([record], { basin: 'geo.basin' })[0]?.values.basin).toBe('Permian');
  });

  it('keeps records without an id, marked, and never drops one', () => {
    const rows = toWellRows([{ wellname: 'No id' }, 'junk', null]);
    expect(rows.map((row) => row.well.id)).toEqual(['record-1', 'record-2', 'record-3']);
    expect(rows[0]?.malformed).toMatch(/no well id/);
  });

  it('builds URLs under the target path, encoding the id', () => {
    expect(wellListUrl({ path: 'a/b/c' })).toBe('/api/wellview/a/b/c/wellheader/data?limit=5000&offset=0');
    expect(wellUrl({ path: 'a/b/c' }, 'x/y?z')).toBe('/api/wellview/a/b/c/wellheader/data/x%2Fy%3Fz');
  });

  it('never throws on random records, and keeps every scalar reachable', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 6 }),
        fc.dictionary(
          fc.constantFrom('uwi', 'name', 'extra', 'wellida'),
          fc.string({ minLength: 1, maxLength: 8 }),
        ),
        (records, overrides) => {
          const rows = toWellRows(records, overrides);
          expect(rows).toHaveLength(records.length);
          for (const path of scalarFields(records))
            expect(records.some((record) => readPath(record, path) !== undefined)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
