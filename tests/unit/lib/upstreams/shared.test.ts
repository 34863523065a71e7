import { describe, expect, it } from 'vitest';
import {
  UpstreamAnswerError,
  defaultVisibleColumns,
  errorInAnswer,
  fetchAllGatewayPages,
  linkToGatewayPath,
  mapRecord,
  nextPageUrl,
  parseAnswerText,
  parseFieldMap,
  readPath,
  resolveField,
  scalarFields,
  toDate,
  toNumber,
  unwrapEnvelope,
  unwrapRecord,
  type ColumnSpec,
} from '@/lib/upstreams/shared';

const mount = { gatewayPrefix: '/api/meti', upstreamBaseUrl: 'https://api.example.com/meti/v2' };

describe('unwrapEnvelope', () => {
  const rows = [{ id: 1 }, { id: 2 }];
  it.each([
    ['a bare array', rows],
    ['{ data }', { data: rows }],
    ['{ items, total }', { items: rows, total: 2 }],
    ['{ results, next: null }', { results: rows, next: null }],
    ['{ value } (OData)', { value: rows }],
    ['{ records }', { records: rows }],
    ['{ data: { items } }', { data: { items: rows } }],
    ['{ Data: { Items } } (PascalCase)', { Data: { Items: rows } }],
    ['HAL _embedded', { _embedded: { wells: rows } }],
    ['an unknown key', { wellHeaders: rows, meta: { took: 3 } }],
  ])('finds the records in %s', (_name, body) => {
    expect(unwrapEnvelope(body).records).toEqual(rows);
  });

  it('flattens GeoJSON features', () => {
    const page = unwrapEnvelope({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: 'a',
          properties: { name: 'x' },
          geometry: { type: 'Point', coordinates: [-100, 40] },
        },
      ],
    });
    expect(page.records[0]).toMatchObject({ id: 'a', name: 'x', geometry: { coordinates: [-100, 40] } });
  });

  it.each([
    [
      '@odata.nextLink',
      { value: [{}], '@odata.nextLink': 'https://x/y?$skip=1' },
      { kind: 'link', href: 'https://x/y?$skip=1' },
    ],
    [
      'links.next',
      { data: [{}], links: { next: '/things?page=2' } },
      { kind: 'link', href: '/things?page=2' },
    ],
    [
      '_links.next.href',
      { items: [{}], _links: { next: { href: '/p?c=2' } } },
      { kind: 'link', href: '/p?c=2' },
    ],
    [
      'rel=next',
      {
        data: [{}],
        links: [
          { rel: 'self', href: '/a' },
          { rel: 'next', href: '/b' },
        ],
      },
      { kind: 'link', href: '/b' },
    ],
    ['nextCursor', { items: [{}], nextCursor: 'abc' }, { kind: 'cursor', cursor: 'abc', param: 'cursor' }],
    ['next_cursor', { items: [{}], next_cursor: 'abc' }, { kind: 'cursor', cursor: 'abc', param: 'cursor' }],
    ['an opaque next', { results: [{}], next: 'eyJvIjoxfQ' }, { kind: 'cursor', cursor: 'eyJvIjoxfQ' }],
    ['page/totalPages', { data: [{}], page: 1, totalPages: 3 }, { kind: 'page', page: 2, param: 'page' }],
    [
      'pageNumber/pageSize/total',
      { items: [{}, {}], pageNumber: 2, pageSize: 2, totalCount: 5 },
      { kind: 'page', page: 3, param: 'pageNumber' },
    ],
    [
      'meta.pagination',
      { data: [{}], meta: { current_page: 1, last_page: 2 } },
      { kind: 'page', page: 2, param: 'current_page' },
    ],
    [
      'offset/limit/total',
      { rows: [{}, {}], offset: 0, limit: 2, total: 3 },
      { kind: 'offset', offset: 2, param: 'offset' },
    ],
  ])('reports the next page from %s', (_name, body, next) => {
    expect(unwrapEnvelope(body).next).toEqual(next);
  });

  it.each([
    ['the last page', { data: [{}], page: 3, totalPages: 3 }],
    ['hasMore: false', { items: [{}], nextCursor: 'x', hasMore: false }],
    ['a short page', { items: [{}], page: 1, pageSize: 50 }],
    ['no paging at all', { items: [{}] }],
  ])('reports no next page on %s', (_name, body) => {
    expect(unwrapEnvelope(body).next).toBeNull();
  });

  it('reports totals under their usual names', () => {
    expect(unwrapEnvelope({ items: [], total: 7 }).total).toBe(7);
    expect(unwrapEnvelope({ value: [], '@odata.count': 9 }).total).toBe(9);
    expect(unwrapEnvelope({ data: [], meta: { totalCount: '11' } }).total).toBe(11);
    expect(unwrapEnvelope([]).total).toBeNull();
  });

  it('refuses bodies without a list, naming their fields', () => {
    expect(() => unwrapEnvelope({ id: 1, name: 'x' })).toThrow(/fields: id, name/);
    expect(() => unwrapEnvelope('text')).toThrow(UpstreamAnswerError);
    expect(() => unwrapEnvelope(null)).toThrow(/null/);
  });
});

describe('unwrapRecord', () => {
  it('returns the record itself or the one inside an envelope', () => {
    expect(unwrapRecord({ id: 1, a: 2 })).toEqual({ id: 1, a: 2 });
    expect(unwrapRecord({ data: { id: 1 } })).toEqual({ id: 1 });
    expect(unwrapRecord({ value: [{ id: 1 }] })).toEqual({ id: 1 });
    expect(unwrapRecord([{ id: 1 }])).toEqual({ id: 1 });
    expect(() => unwrapRecord({ error: 'nope' })).toThrow(/nope/);
  });
});

describe('answers that are not data', () => {
  it.each([
    ['empty', '', null, 'EMPTY_ANSWER'],
    ['whitespace', '  \n', 'application/json', 'EMPTY_ANSWER'],
    ['HTML', '<!DOCTYPE html><html><title>Sign in</title></html>', 'text/html', 'HTML_ANSWER'],
    ['HTML labelled JSON', '<html></html>', 'application/json', 'HTML_ANSWER'],
    ['plain text', 'Service Unavailable', 'text/plain', 'NOT_JSON'],
  ])('%s becomes a typed error', (_name, text, type, code) => {
    try {
      parseAnswerText(text, type, 'METI');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UpstreamAnswerError);
      expect((error as UpstreamAnswerError).code).toBe(code);
      expect((error as Error).message).toMatch(/^METI /);
    }
  });

  it.each([
    [{ error: 'invalid_tenant' }, /invalid_tenant/],
    [{ error: { code: 'X', message: 'Tenant disabled' } }, /Tenant disabled/],
    [{ errors: [{ message: 'bad filter' }] }, /bad filter/],
    [{ message: 'Quota exceeded', code: 403 }, /Quota exceeded/],
    [{ fault: { faultstring: 'Policy failed' } }, /Policy failed/],
    [{ success: false, message: 'nope' }, /nope/],
  ])('a 200 with an error object is an error: %j', (body, message) => {
    expect(errorInAnswer(body)?.message).toMatch(message);
  });

  it.each([
    [{ data: [], errors: [] }],
    [{ items: [{ message: 'x' }], error: null }],
    [{ id: 1, name: 'x' }],
    [[{ error: 'in a record' }]],
  ])('data is not an error: %j', (body) => {
    expect(errorInAnswer(body)).toBeNull();
  });
});

describe('paging', () => {
  it('turns next links under the base URL into gateway paths', () => {
    expect(
      linkToGatewayPath('https://api.example.com/meti/v2/sources?page=2', '/api/meti/sources', mount),
    ).toBe('/api/meti/sources?page=2');
    expect(linkToGatewayPath('/meti/v2/sources?cursor=b', '/api/meti/sources', mount)).toBe(
      '/api/meti/sources?cursor=b',
    );
    expect(linkToGatewayPath('?page=3', '/api/meti/sources?page=2', mount)).toBe('/api/meti/sources?page=3');
  });

  it.each([
    'https://evil.example.com/meti/v2/sources?page=2',
    'https://api.example.com/other/sources',
    'http://api.example.com/meti/v2/sources',
    '//evil.example.com/x',
  ])('refuses a next link outside the base URL: %s', (href) => {
    expect(() => linkToGatewayPath(href, '/api/meti/sources', mount)).toThrow(/outside/);
  });

  it('follows page numbers, cursors and offsets with the parameter the request already uses', () => {
    expect(nextPageUrl('/api/meti/sources?pageNumber=1&x=1', { kind: 'page', page: 2 }, mount)).toBe(
      '/api/meti/sources?pageNumber=2&x=1',
    );
    expect(nextPageUrl('/api/meti/sources', { kind: 'page', page: 2, param: 'pageNumber' }, mount)).toBe(
      '/api/meti/sources?pageNumber=2',
    );
    expect(nextPageUrl('/api/meti/sources', { kind: 'cursor', cursor: 'a b' }, mount)).toBe(
      '/api/meti/sources?cursor=a+b',
    );
    expect(nextPageUrl('/api/meti/sources?$skip=0', { kind: 'offset', offset: 50 }, mount)).toBe(
      '/api/meti/sources?%24skip=50',
    );
  });

  it('reads every page, stopping at the end', async () => {
    const pages: Record<string, unknown> = {
      '/api/meti/sources': {
        items: [{ id: 1 }],
        nextLink: 'https://api.example.com/meti/v2/sources?cursor=2',
      },
      '/api/meti/sources?cursor=2': { items: [{ id: 2 }], nextCursor: '3' },
      '/api/meti/sources?cursor=3': { items: [{ id: 3 }], page: 3, totalPages: 3 },
    };
    const all = await fetchAllGatewayPages('/api/meti/sources', async (url) => pages[url], mount);
    expect(all).toEqual({
      records: [{ id: 1 }, { id: 2 }, { id: 3 }],
      total: null,
      pages: 3,
      incomplete: null,
    });
  });

  it('stops when the same next page comes twice', async () => {
    let calls = 0;
    const all = await fetchAllGatewayPages(
      '/api/meti/sources',
      async () => {
        calls += 1;
        return { items: [{ id: calls }], nextCursor: 'same' };
      },
      mount,
    );
    expect(calls).toBe(2);
    expect(all.incomplete).toMatch(/same next page twice/);
  });

  it('stops at the page cap and at a link off the base URL, keeping what it read', async () => {
    let calls = 0;
    const capped = await fetchAllGatewayPages(
      '/api/meti/s',
      async () => ({ items: [{}], nextCursor: String((calls += 1)) }),
      mount,
      { maxPages: 5 },
    );
    expect(capped.pages).toBe(5);
    expect(capped.incomplete).toMatch(/5 pages/);
    const away = await fetchAllGatewayPages(
      '/api/meti/s',
      async () => ({ items: [{ id: 1 }], next: 'https://evil.example.com/x?p=2' }),
      mount,
    );
    expect(away.records).toHaveLength(1);
    expect(away.incomplete).toMatch(/outside/);
  });

  it('pages a bare array by offset when the caller says how', async () => {
    const data = Array.from({ length: 5 }, (_, id) => ({ id }));
    const all = await fetchAllGatewayPages(
      '/api/meti/s?limit=2&offset=0',
      async (url) => {
        const offset = Number(new URL(url, 'http://x').searchParams.get('offset'));
        return data.slice(offset, offset + 2);
      },
      mount,
      {
        implicitNext: (current, page) =>
          page.records.length < 2
            ? null
            : nextPageUrl(
                current,
                {
                  kind: 'offset',
                  offset: Number(new URL(current, 'http://x').searchParams.get('offset')) + 2,
                },
                mount,
              ),
      },
    );
    expect(all.records).toEqual(data);
  });
});

describe('field mapping', () => {
  const operator: ColumnSpec = {
    key: 'operator',
    label: 'Operator',
    aliases: ['operator', 'operatorName', 'company.name'],
    kind: 'text',
  };
  const lat: ColumnSpec = {
    key: 'lat',
    label: 'Latitude',
    aliases: ['latitude', 'lat', 'location.lat', 'coordinates[1]', 'geometry.coordinates[1]'],
    kind: 'coordinate',
  };
  const co2e: ColumnSpec = {
    key: 'co2e',
    label: 'CO₂e',
    aliases: ['emissions.co2eTonnesPerYear', 'annualEmissionsTco2e', 'co2e'],
    kind: 'number',
  };
  const spud: ColumnSpec = { key: 'spud', label: 'Spud', aliases: ['dttmspud', 'spudDate'], kind: 'date' };

  it('tries each alias in any naming style', () => {
    expect(resolveField({ operator_name: 'Acme' }, operator)).toEqual({
      value: 'Acme',
      path: 'operatorName',
    });
    expect(resolveField({ OperatorName: 'Acme' }, operator).value).toBe('Acme');
    expect(resolveField({ OPERATOR: 'Acme' }, operator).value).toBe('Acme');
    expect(resolveField({ Company: { Name: 'Acme' } }, operator).value).toBe('Acme');
    expect(resolveField({ annual_emissions_tco2e: '1234.5' }, co2e).value).toBe(1234.5);
    expect(resolveField({ SpudDate: '2021-03-04' }, spud).value).toBe('2021-03-04');
  });

  it('reads GeoJSON [lon, lat] and nested locations', () => {
    expect(resolveField({ coordinates: [-101.5, 31.9] }, lat).value).toBe(31.9);
    expect(resolveField({ geometry: { type: 'Point', coordinates: [-101.5, 31.9] } }, lat).value).toBe(31.9);
    expect(resolveField({ location: { lat: '31.9' } }, lat).value).toBe(31.9);
  });

  it('skips aliases whose value does not fit the kind', () => {
    expect(resolveField({ operator: { id: 3 }, operatorName: 'Acme' }, operator).value).toBe('Acme');
    expect(resolveField({ latitude: 'north', lat: 12 }, lat).value).toBe(12);
  });

  it("lets the operator's override win, even over a matching alias", () => {
    expect(
      resolveField({ operator: 'Alias Co', ids: { owner: 'Override Co' } }, operator, {
        operator: 'ids.owner',
      }).value,
    ).toBe('Override Co');
    expect(mapRecord({ operator: 'Alias Co' }, [operator, co2e], { operator: 'missing.path' })).toEqual({
      operator: null,
      co2e: null,
    });
  });

  it('parses field maps and explains bad ones', () => {
    expect(parseFieldMap('uwi=identifiers.api14, lat=geometry.coordinates[1],')).toEqual({
      ok: true,
      map: { uwi: 'identifiers.api14', lat: 'geometry.coordinates[1]' },
    });
    expect(parseFieldMap('')).toEqual({ ok: true, map: {} });
    expect(parseFieldMap(undefined)).toEqual({ ok: true, map: {} });
    expect(parseFieldMap('uwi')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/entry 1.*no "="/),
    });
    expect(parseFieldMap('uwi=a,uwi=b')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/mapped twice/),
    });
    expect(parseFieldMap('u wi=a')).toMatchObject({ ok: false });
    expect(parseFieldMap('uwi=')).toMatchObject({ ok: false });
  });

  it('lists every scalar field path the data has', () => {
    expect(
      scalarFields([
        { a: 1, b: { c: 'x', d: [1, { e: null }] } },
        { f: true, 'g.h': 2 },
      ]),
    ).toEqual(['a', 'b.c', 'b.d[0]', 'b.d[1].e', 'f', '["g.h"]']);
    expect(readPath({ 'g.h': 2 }, '["g.h"]')).toBe(2);
    expect(readPath({ '@odata.etag': 'w' }, '@odata.etag')).toBe('w');
  });

  it('hides known columns that are empty on every row', () => {
    const rows = [mapRecord({ operator: 'A' }, [operator, co2e]), mapRecord({}, [operator, co2e])];
    expect(defaultVisibleColumns(['operator', 'co2e'], rows)).toEqual(['operator']);
    expect(defaultVisibleColumns(['operator', 'co2e'], [])).toEqual(['operator', 'co2e']);
  });
});

describe('values', () => {
  it('reads numbers given as numeric strings', () => {
    expect(toNumber('42')).toBe(42);
    expect(toNumber(' -1.5e3 ')).toBe(-1500);
    expect(toNumber('1,234.5')).toBe(1234.5);
    expect(toNumber('12 ft')).toBeNull();
    expect(toNumber('')).toBeNull();
    expect(toNumber(Number.NaN)).toBeNull();
  });

  it('recognises the usual date forms', () => {
    expect(toDate('2021-03-04')).toBe('2021-03-04');
    expect(toDate('2021-03-04T05:06:07Z')).toBe('2021-03-04T05:06:07.000Z');
    expect(toDate('2021-03-04 05:06:07Z')).toBe('2021-03-04T05:06:07.000Z');
    expect(toDate(1614834367000)).toBe('2021-03-04T05:06:07.000Z');
    expect(toDate(1614834367)).toBe('2021-03-04T05:06:07.000Z');
    expect(toDate('1614834367')).toBe('2021-03-04T05:06:07.000Z');
    expect(toDate('/Date(1614834367000)/')).toBe('2021-03-04T05:06:07.000Z');
    expect(toDate('/Date(1614834367000+0100)/')).toBe('2021-03-04T05:06:07.000Z');
    expect(toDate('Well 7')).toBeNull();
    expect(toDate('2021-13-40')).toBeNull();
  });
});
