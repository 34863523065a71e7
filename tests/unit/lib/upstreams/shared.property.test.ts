import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  UpstreamAnswerError,
  defaultVisibleColumns,
  errorInAnswer,
  fetchAllGatewayPages,
  isScalar,
  mapRecord,
  parseAnswerText,
  parseFieldMap,
  readPath,
  scalarFields,
  toDate,
  toNumber,
  unwrapEnvelope,
  unwrapRecord,
  withOverrideColumns,
  type ColumnSpec,
} from '@/lib/upstreams/shared';

/** Records as hostile as an upstream could send: odd keys, wrong types, deep nesting, huge strings. */
const key = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    'id',
    'name',
    'operator',
    'location',
    'coordinates',
    'data',
    'items',
    'next',
    '__proto__',
    'constructor',
    'a.b',
    '[0]',
    '',
    '0',
    'error',
  ),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('x'.repeat(100_000), `${'é'.repeat(30_000)}.[0]`),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('2021-03-04', '/Date(1614834367000)/', '1,234.5', '  ', '<html>'),
);
const { value: record } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
}));
const deep = fc.integer({ min: 50, max: 400 }).map((depth) => {
  let value: unknown = { leaf: 'bottom' };
  for (let level = 0; level < depth; level += 1) value = level % 2 ? [value] : { nested: value };
  return value;
});
const anyRecord = fc.oneof(record, deep);

const specs: ColumnSpec[] = [
  { key: 'name', label: 'Name', aliases: ['name', 'wellName', 'properties.name'], kind: 'text' },
  { key: 'count', label: 'Count', aliases: ['count', 'data.total', 'items[0]'], kind: 'number' },
  { key: 'when', label: 'When', aliases: ['date', 'spudDate', 'location'], kind: 'date' },
  {
    key: 'lat',
    label: 'Lat',
    aliases: ['latitude', 'coordinates[1]', 'geometry.coordinates.1'],
    kind: 'coordinate',
  },
];

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b);
}

/** Every scalar in `value` with the parent chain, for the reachability check. */
function scalarsOf(value: unknown, out: unknown[] = []): unknown[] {
  const stack = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (isScalar(current)) out.push(current);
    else if (Array.isArray(current)) stack.push(...current);
    else if (current && typeof current === 'object') stack.push(...Object.values(current));
  }
  return out;
}

describe('shared upstream layer, property-based', () => {
  it('scalarFields reaches every scalar value of every record', () => {
    fc.assert(
      fc.property(fc.array(anyRecord, { maxLength: 4 }), (records) => {
        const paths = scalarFields(records);
        for (const item of records) {
          const reachable = paths.map((path) => readPath(item, path));
          for (const value of scalarsOf(item)) {
            if (item === value) continue; // a record that is itself a scalar has no field path
            expect(reachable.some((found) => sameValue(found, value))).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('each reported path reads back a scalar from some record', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 4 }), (records) => {
        for (const path of scalarFields(records))
          expect(records.some((item) => isScalar(readPath(item, path)))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('no mapping function throws on any record', () => {
    fc.assert(
      fc.property(
        fc.array(anyRecord, { maxLength: 5 }),
        fc.dictionary(fc.constantFrom('name', 'count', 'extra'), fc.string({ maxLength: 10 })),
        (records, overrides) => {
          const columns = withOverrideColumns(specs, overrides);
          const rows = records.map((item) => mapRecord(item, columns, overrides));
          for (const row of rows) {
            for (const value of Object.values(row))
              expect(value === null || typeof value === 'string' || typeof value === 'number').toBe(true);
          }
          defaultVisibleColumns(['name', 'count', 'when', 'lat'], rows);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('unwrapping any body either gives a page or throws a typed error', () => {
    fc.assert(
      fc.property(anyRecord, (body) => {
        for (const unwrap of [unwrapEnvelope, unwrapRecord]) {
          try {
            const result = unwrap(body);
            expect(result).toBeTypeOf('object');
          } catch (error) {
            expect(error).toBeInstanceOf(UpstreamAnswerError);
          }
        }
        errorInAnswer(body);
      }),
      { numRuns: 500 },
    );
  });

  it('a list wrapped in any known envelope keeps its records', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.constantFrom('id', 'name', 'x'), scalar, { maxKeys: 3 }), { maxLength: 5 }),
        fc.constantFrom('data', 'items', 'results', 'value', 'records', 'Data', 'ITEMS'),
        fc.boolean(),
        (records, wrapper, nested) => {
          const body = nested
            ? { meta: { total: records.length }, data: { [wrapper]: records } }
            : { [wrapper]: records, total: records.length };
          expect(unwrapEnvelope(body).records).toEqual(records);
        },
      ),
    );
  });

  it('answer text: any string parses or throws a typed error', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.json(), fc.constantFrom('<html>', '', ' ')),
        fc.option(fc.constantFrom('text/html', 'application/json')),
        (text, type) => {
          try {
            parseAnswerText(text, type);
          } catch (error) {
            expect(error).toBeInstanceOf(UpstreamAnswerError);
          }
        },
      ),
    );
  });

  it('values and field maps never throw', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        toNumber(value);
        toDate(value);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseFieldMap(text);
        if (parsed.ok) for (const path of Object.values(parsed.map)) expect(path).not.toBe('');
      }),
    );
  });

  it('paging over random answers always ends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyRecord, { minLength: 1, maxLength: 8 }), async (answers) => {
        let call = 0;
        try {
          const all = await fetchAllGatewayPages(
            '/api/x/list',
            async () => answers[call++ % answers.length],
            { gatewayPrefix: '/api/x', upstreamBaseUrl: 'https://x.example/v1' },
            { maxPages: 20 },
          );
          expect(all.pages).toBeLessThanOrEqual(20);
        } catch (error) {
          expect(error).toBeInstanceOf(UpstreamAnswerError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
