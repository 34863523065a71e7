import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordFields } from '@/components/data/record-fields';
import { ValueView } from '@/components/data/value-view';
import { detectSeries, LONG_STRING } from '@/components/data/value-shape';
import { DEFAULT_DISPLAY } from '@/lib/display/setting';
import { formatAnyNumber, humanizeKey, parseDateString } from '@/lib/format';

const GERMAN = { locale: 'de-DE', timeZone: 'Europe/Berlin' };

const render = (value: unknown) => renderToStaticMarkup(createElement(ValueView, { value }));
const renderRecord = (record: Record<string, unknown>) => renderToStaticMarkup(createElement(RecordFields, { record, groups: [] }));

/** How React writes text and attribute values into markup. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

/** Every scalar in a JSON value, with the key it sits under. */
function scalars(value: unknown, key?: string, out: { key?: string; value: string | number | boolean }[] = []) {
  if (Array.isArray(value)) for (const item of value) scalars(item, key, out);
  else if (value && typeof value === 'object') for (const [inner, item] of Object.entries(value)) scalars(item, inner, out);
  else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.push({ key, value });
  return out;
}

/** A scalar is reachable if the markup holds it as sent: as text, an attribute, or inside "Show all" JSON. */
function reachable(html: string, scalar: string | number | boolean): boolean {
  if (scalar === '') return true;
  const raw = String(scalar);
  if (html.includes(escapeHtml(raw))) return true;
  // Inside a "Show all" block strings appear as JSON string literals.
  return typeof scalar === 'string' && html.includes(escapeHtml(JSON.stringify(scalar).slice(1, -1)));
}

describe('humanizeKey', () => {
  it('reads camelCase, snake_case, PascalCase and dotted paths', () => {
    expect(humanizeKey('annualEmissionsTco2e')).toBe('Annual emissions tco2e');
    expect(humanizeKey('annual_emissions_tco2e')).toBe('Annual emissions tco2e');
    expect(humanizeKey('WellName')).toBe('Well name');
    expect(humanizeKey('HTTPStatus')).toBe('Http status');
    expect(humanizeKey('location.country')).toBe('Location › country');
    expect(humanizeKey('')).toBe('(no name)');
    expect(humanizeKey('__')).toBe('__');
  });
});

describe('parseDateString', () => {
  it('knows ISO date-times, calendar dates and /Date(ms)/', () => {
    expect(parseDateString('2024-03-05T10:20:00Z')?.date.toISOString()).toBe('2024-03-05T10:20:00.000Z');
    expect(parseDateString('2024-03-05')).toEqual({ date: new Date(Date.UTC(2024, 2, 5)), hasTime: false });
    expect(parseDateString('/Date(1700000000000)/')?.date.getTime()).toBe(1700000000000);
    expect(parseDateString('/Date(1700000000000+0100)/')?.date.getTime()).toBe(1700000000000);
  });
  it('leaves names, codes, years and impossible dates alone', () => {
    for (const text of ['Mustang 1', '2024', '12345', '2024-02-31', '2024-13-01', 'May 2024']) expect(parseDateString(text)).toBeNull();
  });
});

describe('formatAnyNumber', () => {
  it('groups quantities and keeps identifiers and years as sent', () => {
    expect(formatAnyNumber(DEFAULT_DISPLAY, 1234.5)).toBe('1,234.5');
    expect(formatAnyNumber(GERMAN, 1234.5)).toBe('1.234,5');
    expect(formatAnyNumber(GERMAN, 2024, 'reportingYear')).toBe('2024');
    expect(formatAnyNumber(GERMAN, 123456, 'facility_id')).toBe('123456');
    expect(formatAnyNumber(DEFAULT_DISPLAY, 51.123456)).toBe('51.123456');
    expect(formatAnyNumber(GERMAN, 51.123456)).toBe('51,123456');
  });
});

describe('ValueView', () => {
  it('shows a nested object as a nested field list with readable labels', () => {
    const html = render({ location: { country: 'Canada', region: 'Alberta' }, operatorName: 'Acme' });
    expect(html).toContain('<dt class="text-slate-500 dark:text-slate-400" title="location">Location</dt>');
    expect(html.match(/<dl/g)).toHaveLength(2);
    expect(html).toContain('Alberta');
    expect(html).toContain('Operator name');
  });

  it('shows arrays of scalars as a list, and arrays of objects as a table with the union of keys', () => {
    expect(render(['a', 'b', 3])).toMatch(/<ul[^>]*><li>.*a.*<\/li><li>.*b.*<\/li><li>.*3.*<\/li><\/ul>/);
    const rows = Array.from({ length: 14 }, (_, index) => (index === 1 ? { name: `n${index}`, extra: 'x' } : { name: `n${index}` }));
    const html = render(rows);
    expect(html).toContain('<table');
    expect(html).toContain('>Name</th>');
    expect(html).toContain('>Extra</th>');
    expect(html.match(/<tr class/g)).toHaveLength(10);
    expect(html).toContain('4 more rows: show all 14');
    expect(html).toContain('n13');
  });

  it('draws a numeric series as a labelled chart with a table alternative', () => {
    const monthly = [
      { month: '2024-01', co2e: 10.5 },
      { month: '2024-02', co2e: 12 },
      { month: '2024-03', co2e: 9 },
    ];
    const html = render(monthly);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Values: co2e over 3 periods from 2024-01 to 2024-03/);
    expect(html).toContain('Show as a table');
    expect(html).toContain('<table');
    expect(detectSeries([{ date: '2024-01-05', value: 1 }, { date: '2024-02-05', value: 2, unit: 't' }])?.valueKey).toBe('value');
    expect(detectSeries([{ year: 2021, total: 1 }, { year: 2022, total: 2 }])?.dateKey).toBe('year');
    expect(detectSeries([{ period: '2024-Q1', amount: 1, count: 4 }, { period: '2024-Q2', amount: 2, count: 5 }])?.valueKey).toBe('amount');
    expect(detectSeries([{ name: 'a', value: 1 }, { name: 'b', value: 2 }])).toBeNull();
    expect(detectSeries([{ month: '2024-01', value: 1 }])).toBeNull();
  });

  it('formats dates and keeps the value as sent reachable', () => {
    const html = render({ spud: '2024-03-05', updated: '/Date(1700000000000)/' });
    expect(html).toContain('dateTime="2024-03-05T00:00:00.000Z"');
    expect(html).toContain('title="/Date(1700000000000)/"');
    expect(html).not.toContain('>2024-03-05<');
  });

  it('cuts long strings and deep nesting, with the whole value behind "Show all"', () => {
    const long = 'x'.repeat(LONG_STRING * 10) + 'END';
    const html = render(long);
    expect(html).toContain(`Show all ${(LONG_STRING * 10 + 3).toLocaleString()} characters`);
    expect(html).toContain('END');
    let deep: unknown = { bottom: 'treasure' };
    for (let i = 0; i < 50; i += 1) deep = { level: deep };
    const deepHtml = render(deep);
    expect(deepHtml).toContain('…');
    expect(deepHtml).toContain('treasure');
  });

  it('never throws, even on nesting too deep for JSON.stringify', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i += 1) deep = [deep];
    expect(() => render(deep)).not.toThrow();
    expect(() => render({ a: 1n, b: undefined, c: () => 1 })).not.toThrow();
  });

  it('does not mistake inherited names for fields', () => {
    const html = render([{ constructor: 'c' }, { other: 1 }]);
    expect(html).not.toContain('native code');
  });
});

describe('RecordFields', () => {
  it('labels unknown fields readably and renders nested monthly figures, not [object Object]', () => {
    const html = renderRecord({
      annualEmissionsTco2e: 1234.5,
      monthly: [
        { month: '2024-01', value: 1 },
        { month: '2024-02', value: 2 },
      ],
    });
    expect(html).toContain('Annual emissions tco2e');
    expect(html).toContain('Other fields');
    expect(html).toContain('role="img"');
    expect(html).not.toContain('[object Object]');
  });

  it('keeps the declared kinds of known fields', () => {
    const html = renderToStaticMarkup(
      createElement(RecordFields, {
        record: { spud: '2020-01-02', depth: 1234.567, tags: ['a', 'b'] },
        groups: [{ title: 'Well', fields: [{ key: 'spud', label: 'Spud', kind: 'date' }, { key: 'depth', label: 'Depth', kind: 'number' }, { key: 'tags', label: 'Tags' }] }],
      }),
    );
    expect(html).toContain('<data value="1234.567">');
    expect(html).toContain('<time dateTime="2020-01-02"');
    expect(html).toMatch(/<li>.*a.*<\/li>/);
    expect(html).not.toContain('Other fields');
  });
});

describe('ValueView on random JSON (property)', () => {
  const json = fc.jsonValue({ maxDepth: 8 });
  const records = fc.dictionary(fc.string(), fc.oneof(json, fc.string({ minLength: 300, maxLength: 3000 }), fc.array(fc.record({ month: fc.constantFrom('2024-01', '2024-02', '2024-03'), value: fc.double({ noNaN: true }) }))));

  it('renders without throwing, never prints [object Object], and keeps every scalar reachable', () => {
    fc.assert(
      fc.property(records, (record) => {
        const html = renderRecord(record);
        expect(html).not.toContain('[object Object]');
        for (const { value } of scalars(record)) expect(reachable(html, value), `scalar ${JSON.stringify(value)}`).toBe(true);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('handles any top-level value, including bare scalars and mixed arrays', () => {
    fc.assert(
      fc.property(fc.oneof(json, fc.array(fc.oneof(fc.integer(), fc.string(), fc.object(), fc.array(fc.boolean())))), (value) => {
        const html = render(value);
        expect(html).not.toContain('[object Object]');
        for (const { value: scalar } of scalars(value)) expect(reachable(html, scalar), `scalar ${JSON.stringify(scalar)}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
