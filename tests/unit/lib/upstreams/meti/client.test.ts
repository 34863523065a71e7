import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadSource, loadSources, reshapeSource, sourcesUrl, sourceUrl, type MetiClientSettings } from '@/lib/upstreams/meti/client';
import { sourceColumns } from '@/lib/upstreams/meti/columns';
import { defaultColumnKeys, extraColumns } from '@/lib/upstreams/record-columns';
import { detailFields } from '@/lib/upstreams/record-model';
import { SOURCE_FIELDS } from '@/lib/upstreams/meti/fields';

const settings: MetiClientSettings = {
  gatewayPrefix: '/api/meti',
  upstreamBaseUrl: 'https://api.meti.example.com/v2',
  fieldMap: {},
};

/** The values a page shows for the usual columns. */
function shown(raw: unknown, fieldMap = {}) {
  const row = reshapeSource(raw, { overrides: fieldMap });
  const { id, name, operator, country, region, latitude, longitude, co2e, ch4, n2o, reportingYear, methodology, status } = row.values;
  return { id: row.id, name, operator, country, region, latitude, longitude, co2e, ch4, n2o, reportingYear, methodology, status, idValue: id };
}

describe('reshapeSource: one source, many shapes', () => {
  const expected = {
    id: 'src_1',
    name: 'North Bison Compressor Station',
    operator: 'Devon Energy',
    country: 'US',
    region: 'TX',
    latitude: 31.5,
    longitude: -99.25,
    co2e: 12_345,
    ch4: 420.5,
  };

  it('reads the sandbox shape (nested location and emissions)', () => {
    expect(
      shown({
        id: 'src_1',
        name: expected.name,
        operator: 'Devon Energy',
        methodology: 'Oil and Gas',
        location: { latitude: 31.5, longitude: -99.25, country: 'US', region: 'TX' },
        emissions: { co2eTonnesPerYear: 12_345, ch4TonnesPerYear: 420.5, n2oTonnesPerYear: 1.25 },
        reportingYear: 2023,
        status: 'active',
      }),
    ).toMatchObject({ ...expected, n2o: 1.25, reportingYear: 2023, methodology: 'Oil and Gas', status: 'active' });
  });

  it('reads the issue’s shape: country, latitude, longitude and annualEmissionsTco2e at top level', () => {
    expect(
      shown({
        id: 'src_1',
        name: expected.name,
        operatorName: 'Devon Energy',
        country: 'US',
        state: 'TX',
        latitude: 31.5,
        longitude: -99.25,
        annualEmissionsTco2e: 12_345,
        annualCh4T: 420.5,
        year: 2023,
      }),
    ).toMatchObject({ ...expected, reportingYear: 2023 });
  });

  it('reads PascalCase', () => {
    expect(
      shown({
        SourceId: 'src_1',
        SourceName: expected.name,
        Company: 'Devon Energy',
        CountryCode: 'US',
        Province: 'TX',
        Lat: 31.5,
        Lng: -99.25,
        TotalCo2e: 12_345,
        Ch4TonnesPerYear: 420.5,
        ReportingYear: 2023,
      }),
    ).toMatchObject({ ...expected, reportingYear: 2023 });
  });

  it('reads snake_case, numbers sent as strings included', () => {
    expect(
      shown({
        source_id: 'src_1',
        source_name: expected.name,
        operator_name: 'Devon Energy',
        country_code: 'US',
        region: 'TX',
        lat: '31.5',
        lon: '-99.25',
        annual_emissions_tco2e: '12,345',
        ch4_t: 420.5,
        reporting_year: '2023',
      }),
    ).toMatchObject({ ...expected, reportingYear: 2023 });
  });

  it('reads a nested location with lat/lng and a numeric id', () => {
    expect(
      shown({
        id: 7,
        name: expected.name,
        operator: { name: 'Devon Energy', id: 'op-3' },
        location: { lat: 31.5, lng: -99.25, country: 'US', state: 'TX' },
        emissions: { co2e: { value: 12_345, unit: 't' }, ch4: 420.5 },
      }),
    ).toMatchObject({ ...expected, id: '7' });
  });

  it('reads GeoJSON coordinates ([lon, lat]) and a reporting period', () => {
    expect(
      shown({
        id: 'src_1',
        name: expected.name,
        operator: 'Devon Energy',
        geometry: { type: 'Point', coordinates: [-99.25, 31.5] },
        location: { countryCode: 'US', province: 'TX' },
        co2e_t: 12_345,
        methane: 420.5,
        period: '2023-01/2023-12',
      }),
    ).toMatchObject({ ...expected, reportingYear: 2023 });
    expect(shown({ id: 'a', coordinates: [-99.25, 31.5] })).toMatchObject({ latitude: 31.5, longitude: -99.25 });
  });

  it('reads emissions sent as a list of gases', () => {
    expect(
      shown({
        id: 'src_1',
        emissions: [
          { gas: 'CO2e', tonnes: 12_345 },
          { gas: 'CH₄ ', tonnes: 1 },
          { gas: 'CH4', tonnes: 420.5 },
          { gas: 'N2O', value: '0.5' },
        ],
      }),
    ).toMatchObject({ co2e: 12_345, ch4: 420.5, n2o: 0.5 });
  });

  it('lets the operator’s field map win over every alias', () => {
    const raw = { id: 'x', co2e: 1, site: { nation: 'CA', ghg: { total: 99 } } };
    expect(shown(raw, { country: 'site.nation', co2e: 'site.ghg.total' })).toMatchObject({ country: 'CA', co2e: 99 });
    // A mapped name the specs lack becomes a field of its own.
    const row = reshapeSource({ id: 'x', site: { basin: 'Permian' } }, { overrides: { basin: 'site.basin' } });
    expect(row.values.basin).toBe('Permian');
  });

  it('keeps a source without an id, noting it', () => {
    const row = reshapeSource({ name: 'No id' }, { index: 4 });
    expect(row.id).toBe('row-5');
    expect(row.malformed).toBe('no id');
    expect(reshapeSource('just text').malformed).toBe('not a record');
  });

  it('searches name, operator, methodology, region and country', () => {
    const row = reshapeSource({ id: 1, sourceName: 'Alpha', company: 'Beta', methodology: 'Landfill', state: 'TX', country: 'US' });
    expect(row.haystack).toBe('alpha beta landfill tx us');
  });
});

describe('source columns', () => {
  it('offers every scalar field the data has, and hides known columns empty on every row', () => {
    const rows = [
      reshapeSource({ id: 1, name: 'A', country: 'US', annualEmissionsTco2e: 5, site: { basin: 'Permian', wells: [1, 2] } }),
      reshapeSource({ id: 2, name: 'B', country: 'CA', annualEmissionsTco2e: 6, permitNumber: 'P-9' }),
    ];
    const known = sourceColumns();
    const extras = extraColumns(rows, new Set(known.map((column) => column.key)));
    expect(extras.map((column) => column.key)).toEqual(['site.basin', 'site.wells[0]', 'site.wells[1]', 'permitNumber']);
    const visible = defaultColumnKeys(known, rows);
    expect(visible).toEqual(['name', 'location', 'co2e']);
    // With no rows yet, the preferred columns stand.
    expect(defaultColumnKeys(known, [])).toContain('operator');
  });

  it('reads "Location" as region, country', () => {
    const location = sourceColumns().find((column) => column.key === 'location');
    expect(location?.value(reshapeSource({ id: 1, region: 'AB', country: 'CA' }))).toBe('AB, CA');
    expect(location?.value(reshapeSource({ id: 1 }))).toBeNull();
  });
});

describe('source detail fields', () => {
  it('shows named values once and keeps everything else, nested values intact', () => {
    const raw = {
      id: 'src_1',
      country: 'US',
      annualEmissionsTco2e: 10,
      location: { lat: 1, lng: 2, basin: 'Permian' },
      monthly: [{ month: '2024-01', co2e: 1 }],
    };
    const { named, rest } = detailFields(reshapeSource(raw), SOURCE_FIELDS);
    expect(named).toMatchObject({ country: 'US', co2e: 10, latitude: 1, longitude: 2 });
    expect(rest).toEqual({ location: { basin: 'Permian' }, monthly: [{ month: '2024-01', co2e: 1 }] });
  });
});

describe('METI client over the gateway', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('builds gateway URLs only', () => {
    expect(sourcesUrl(settings)).toBe('/api/meti/sources');
    expect(sourcesUrl(settings, { methodology: 'Oil and Gas' })).toBe('/api/meti/sources?methodology=Oil%20and%20Gas');
    expect(sourceUrl(settings, 'a/b')).toBe('/api/meti/sources/a%2Fb');
  });

  function answers(pages: Record<string, { status?: number; body: string; type?: string }>) {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        calls.push(url);
        expect(new Headers(init?.headers).get('x-csrf')).toBe('1');
        const page = pages[url];
        if (!page) return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'none' } }), { status: 404 });
        return new Response(page.body, { status: page.status ?? 200, headers: { 'content-type': page.type ?? 'application/json' } });
      }),
    );
    return calls;
  }

  it('follows OData next links through the gateway and reads every page', async () => {
    const calls = answers({
      '/api/meti/sources': {
        body: JSON.stringify({
          value: [{ SourceId: 'a', Country: 'US' }],
          '@odata.nextLink': 'https://api.meti.example.com/v2/sources?$skip=1',
        }),
      },
      '/api/meti/sources?$skip=1': { body: JSON.stringify({ value: [{ SourceId: 'b', Country: 'CA' }] }) },
    });
    const list = await loadSources(settings);
    expect(list.rows.map((row) => [row.id, row.values.country])).toEqual([
      ['a', 'US'],
      ['b', 'CA'],
    ]);
    expect(list.incomplete).toBeNull();
    expect(calls).toEqual(['/api/meti/sources', '/api/meti/sources?$skip=1']);
  });

  it('follows { items, total } with page numbers and { results, next } cursors', async () => {
    answers({
      '/api/meti/sources?methodology=Landfill': { body: JSON.stringify({ items: [{ id: 1 }, { id: 2 }], total: 3, page: 1, pageSize: 2 }) },
      '/api/meti/sources?methodology=Landfill&page=2': { body: JSON.stringify({ items: [{ id: 3 }], total: 3, page: 2, pageSize: 2 }) },
    });
    expect((await loadSources(settings, { methodology: 'Landfill' })).rows.map((row) => row.id)).toEqual(['1', '2', '3']);
    vi.unstubAllGlobals();
    answers({
      '/api/meti/sources': { body: JSON.stringify({ results: [{ id: 'x' }], next: 'c2' }) },
      '/api/meti/sources?cursor=c2': { body: JSON.stringify({ results: [{ id: 'y' }], next: null }) },
    });
    expect((await loadSources(settings)).rows.map((row) => row.id)).toEqual(['x', 'y']);
  });

  it.each([
    ['an empty body', '', 'application/json', /empty/],
    ['an HTML page', '<!doctype html><title>Sign in</title>', 'text/html', /web page/],
    ['a 200 with an error object', JSON.stringify({ error: { message: 'quota exceeded' } }), 'application/json', /quota exceeded/],
    ['an unexpected shape', JSON.stringify({ hello: 'world' }), 'application/json', /without a list/],
  ])('turns %s into an error that says what to check', async (_name, body, type, message) => {
    answers({ '/api/meti/sources': { body, type } });
    const failure = loadSources(settings);
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toThrow(/METI_API_BASE_URL/);
  });

  it('reads one source from a { data } envelope, and a 404 as not found', async () => {
    answers({ '/api/meti/sources/s1': { body: JSON.stringify({ data: { id: 's1', country: 'NO' } }) } });
    const source = await loadSource(settings, 's1');
    expect(source.values.country).toBe('NO');
    await expect(loadSource(settings, 'missing')).rejects.toMatchObject({ status: 404 });
  });
});
