import { describe, expect, it } from 'vitest';
import { naturalKey, sortRows } from '@/lib/sort';

const names = (rows: { name: string | null }[]) => rows.map((row) => row.name);
const byName = (row: { name: string | null }) => row.name;
const rowsOf = (...values: (string | null)[]) => values.map((name) => ({ name }));

describe('list sorting', () => {
  it('orders numbers inside text by value, ignoring case and accents', () => {
    const rows = rowsOf('Bison 10-8HB', 'bison 9-2H', 'Bison 100', 'Élan 2', 'Antelope 3', 'elan 10');
    expect(names(sortRows(rows, byName, 'asc'))).toEqual(['Antelope 3', 'bison 9-2H', 'Bison 10-8HB', 'Bison 100', 'Élan 2', 'elan 10']);
    expect(names(sortRows(rows, byName, 'desc'))).toEqual(['elan 10', 'Élan 2', 'Bison 100', 'Bison 10-8HB', 'bison 9-2H', 'Antelope 3']);
  });

  it('keeps rows without a value last in both directions', () => {
    const rows = rowsOf('b', null, 'a', '');
    expect(names(sortRows(rows, byName, 'asc'))).toEqual(['a', 'b', null, '']);
    expect(names(sortRows(rows, byName, 'desc'))).toEqual(['b', 'a', null, '']);
  });

  it('sorts numbers numerically and dates chronologically', () => {
    const depths = [{ d: 1200 }, { d: 95 }, { d: null }, { d: 10_500 }];
    expect(sortRows(depths, (row) => row.d, 'asc').map((row) => row.d)).toEqual([95, 1200, 10_500, null]);
    const dates = rowsOf('2021-11-02T00:00:00Z', '2021-02-10T00:00:00Z', '2019-12-31T23:00:00Z');
    expect(names(sortRows(dates, byName, 'asc'))).toEqual(['2019-12-31T23:00:00Z', '2021-02-10T00:00:00Z', '2021-11-02T00:00:00Z']);
  });

  it('gives one order for names that differ only in leading zeros or case', () => {
    expect(naturalKey('Well 007')).toBe(naturalKey('well 7'));
    const rows = rowsOf('well 7', 'Well 007', 'WELL 7');
    const once = names(sortRows(rows, byName, 'asc'));
    expect(names(sortRows([...rows].reverse(), byName, 'asc'))).toEqual(once);
  });

  it('sorts rows that failed validation without breaking: odd types, numbers among texts', () => {
    const rows = [{ name: 'b' }, { name: { nested: true } }, { name: 7 }, { name: 'a' }, { name: false }] as unknown as { name: string }[];
    const order = sortRows(rows, byName, 'asc').map((row) => String(row.name));
    expect(order).toEqual(['7', '[object Object]', 'a', 'b', 'false']);
    expect(sortRows([...rows].reverse(), byName, 'asc').map((row) => String(row.name))).toEqual(order);
  });

  it('leaves the order alone for a column that cannot be sorted', () => {
    const rows = rowsOf('b', 'a');
    expect(names(sortRows(rows, undefined, 'asc'))).toEqual(['b', 'a']);
  });
});
