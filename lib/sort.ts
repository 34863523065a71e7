/**
 * Sorting for the list pages, in the order people expect: "Bison 9" before "Bison 10", case and
 * accents ignored, empty values last in either direction. Runs on every keystroke of a search
 * over thousands of rows, so each row's key is worked out once and plain `<` does the rest.
 */

export type SortValue = string | number | null | undefined;

/**
 * A key whose plain string order is natural order: lower case, accents folded, and every run of
 * digits prefixed by its length (leading zeros dropped), so shorter numbers come first.
 */
export function naturalKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\d+/g, (digits) => {
      const value = digits.replace(/^0+(?=\d)/, '');
      return String.fromCharCode(48 + Math.min(value.length, 70)) + value;
    });
}

type Key = { empty: true } | { empty: false; numeric: boolean; key: string | number; text: string };

/** Keys by value function, then by row: rows are stable objects between renders. */
const keyCaches = new WeakMap<(row: never) => SortValue, WeakMap<object, Key>>();

function keyOf<Row extends object>(row: Row, value: (row: Row) => SortValue, cache: WeakMap<object, Key>): Key {
  let key = cache.get(row);
  if (!key) {
    // Rows that failed validation are shown as they came, so a value may be of any type.
    const raw: unknown = value(row);
    if (raw === null || raw === undefined || raw === '' || Number.isNaN(raw)) key = { empty: true };
    else if (typeof raw === 'number') key = { empty: false, numeric: true, key: raw, text: '' };
    else key = { empty: false, numeric: false, key: naturalKey(String(raw)), text: String(raw) };
    cache.set(row, key);
  }
  return key;
}

/** A sorted copy of `rows` by `value`; rows without a value go last, ties keep their order. */
export function sortRows<Row extends object>(rows: readonly Row[], value: ((row: Row) => SortValue) | undefined, direction: 'asc' | 'desc'): Row[] {
  if (!value) return [...rows];
  let cache = keyCaches.get(value as (row: never) => SortValue);
  if (!cache) keyCaches.set(value as (row: never) => SortValue, (cache = new WeakMap()));
  const sign = direction === 'desc' ? -1 : 1;
  const keyed = rows.map((row) => ({ row, key: keyOf(row, value, cache) }));
  keyed.sort((a, b) => {
    if (a.key.empty || b.key.empty) return a.key.empty === b.key.empty ? 0 : a.key.empty ? 1 : -1;
    // A number among texts (a malformed row) sorts before them, rather than comparing as neither.
    if (a.key.numeric !== b.key.numeric) return (a.key.numeric ? -1 : 1) * sign;
    if (a.key.key !== b.key.key) return (a.key.key < b.key.key ? -1 : 1) * sign;
    // Same natural key ("A1" and "a01"): the exact text decides, so the order never flickers.
    return a.key.text === b.key.text ? 0 : (a.key.text < b.key.text ? -1 : 1) * sign;
  });
  return keyed.map((entry) => entry.row);
}
