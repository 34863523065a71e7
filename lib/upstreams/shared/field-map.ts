/**
 * Field mapping: which field of an upstream record fills which column of a page. Each record type
 * declares its columns with aliases (the names real APIs use); an operator can point a column at
 * any field path with `<API>_FIELD_MAP=column=path,...`, and that override always wins.
 * Pure and isomorphic: the same rules run on the server and in the browser.
 */
import { dictionary } from '@/lib/upstreams/shared/dictionary';
import { isScalar, joinPath, parsePath, readPath } from '@/lib/upstreams/shared/paths';
import { toDate, toNumber, toText } from '@/lib/upstreams/shared/values';

export type ColumnKind = 'text' | 'number' | 'date' | 'coordinate';

/** One column of a record type: where its value may be found, and what kind of value it is. */
export interface ColumnSpec {
  key: string;
  label: string;
  /** Field paths tried in order (`operatorName`, `location.country`, `coordinates[1]`). */
  aliases: readonly string[];
  kind: ColumnKind;
}

/** Column key → field path, from an operator's `*_FIELD_MAP` variable. */
export type FieldOverrides = Readonly<Record<string, string>>;

/** What a column holds after mapping: text, a number, an ISO date string, or nothing. */
export type ColumnValue = string | number | null;

export interface ResolvedField {
  value: ColumnValue;
  /** The path the value came from, or null when no alias matched. */
  path: string | null;
}

/** Converts a raw value to a column's kind; null when it does not fit. */
export function coerce(value: unknown, kind: ColumnKind): ColumnValue {
  switch (kind) {
    case 'number':
      return toNumber(value);
    case 'coordinate': {
      const number = toNumber(value);
      return number !== null && Math.abs(number) <= 180 ? number : null;
    }
    case 'date':
      return toDate(value);
    case 'text': {
      const text = toText(value);
      return text === null || text.trim() === '' ? null : text;
    }
  }
}

/**
 * The value of one column in one record. The operator's override, when there is one, is the only
 * path read (so it wins even when an alias would also match); otherwise the first alias that
 * holds a value of the column's kind.
 */
export function resolveField(record: unknown, spec: ColumnSpec, overrides?: FieldOverrides): ResolvedField {
  const override = overrides?.[spec.key];
  const paths = override ? [override] : spec.aliases;
  for (const path of paths) {
    const raw = readPath(record, path);
    if (raw === undefined || (!isScalar(raw) && spec.kind !== 'text')) continue;
    const value = isScalar(raw) ? coerce(raw, spec.kind) : null;
    if (value !== null) return { value, path };
  }
  return { value: null, path: null };
}

/** Every column of `specs` for one record, keyed by column key. */
export function mapRecord<K extends string>(
  record: unknown,
  specs: readonly (ColumnSpec & { key: K })[],
  overrides?: FieldOverrides,
): Record<K, ColumnValue> {
  const out = dictionary<ColumnValue>() as Record<K, ColumnValue>;
  for (const spec of specs) out[spec.key] = resolveField(record, spec, overrides).value;
  return out;
}

/**
 * The record type's columns plus one text column per override that names a column the type does
 * not have, so an operator can surface any field (`basin=location.basin`).
 */
export function withOverrideColumns(specs: readonly ColumnSpec[], overrides?: FieldOverrides): ColumnSpec[] {
  const known = new Set(specs.map((spec) => spec.key));
  const extra = Object.entries(overrides ?? {})
    .filter(([key]) => !known.has(key))
    .map(([key, path]): ColumnSpec => ({ key, label: key, aliases: [path], kind: 'text' }));
  return [...specs, ...extra];
}

export type FieldMapParse = { ok: true; map: Record<string, string> } | { ok: false; reason: string };

const COLUMN_NAME = /^[A-Za-z][\w-]*$/;

/**
 * Parses `column=path,column=path` (e.g. `uwi=identifiers.api14,lat=geometry.coordinates[1]`).
 * Blank input is an empty map; a bad entry is a reason naming the entry, never a guess.
 */
export function parseFieldMap(text: string | undefined | null): FieldMapParse {
  const map: Record<string, string> = {};
  const entries = (text ?? '').split(',').map((entry) => entry.trim());
  for (const [position, entry] of entries.entries()) {
    if (entry === '') continue;
    const label = `entry ${position + 1} ("${entry.slice(0, 40)}")`;
    const equals = entry.indexOf('=');
    if (equals === -1)
      return { ok: false, reason: `${label} has no "=": write column=path, e.g. uwi=identifiers.api14` };
    const column = entry.slice(0, equals).trim();
    const path = entry.slice(equals + 1).trim();
    if (!COLUMN_NAME.test(column))
      return { ok: false, reason: `${label}: the column name must be letters, digits, "_" or "-"` };
    if (path === '' || path.includes('=') || /\s/.test(path) || parsePath(path).length === 0) {
      return { ok: false, reason: `${label}: the field path must be non-empty, without spaces or "="` };
    }
    if (Object.hasOwn(map, column))
      return { ok: false, reason: `${label}: the column "${column}" is mapped twice` };
    map[column] = path;
  }
  return { ok: true, map };
}

/**
 * Every path to a scalar value that the records actually have (`operator`, `location.country`,
 * `monthly[0].value`), in first-seen order. Each path reads back its own value with `readPath`,
 * whatever the nesting or key names; used by the column chooser.
 */
export function scalarFields(records: readonly unknown[]): string[] {
  const seen = new Set<string>();
  const stack: { value: unknown; path: string }[] = [];
  for (const record of records) {
    stack.push({ value: record, path: '' });
    while (stack.length > 0) {
      const { value, path } = stack.pop() as { value: unknown; path: string };
      if (isScalar(value)) {
        if (path !== '') seen.add(path);
        continue;
      }
      if (typeof value !== 'object' || value === undefined) continue;
      // Pushed in reverse so that fields come out in the record's own order.
      if (Array.isArray(value)) {
        for (let index = value.length - 1; index >= 0; index -= 1)
          stack.push({ value: value[index], path: joinPath(path, index) });
      } else {
        const keys = Object.keys(value);
        for (let index = keys.length - 1; index >= 0; index -= 1) {
          const key = keys[index] as string;
          stack.push({ value: (value as Record<string, unknown>)[key], path: joinPath(path, key) });
        }
      }
    }
  }
  return [...seen];
}

/** Column keys whose value is empty (null) on every row; none when there are no rows. */
export function emptyColumns<K extends string>(
  rows: readonly Readonly<Partial<Record<K, ColumnValue>>>[],
  keys: readonly K[],
): Set<K> {
  if (rows.length === 0) return new Set();
  const empty = new Set(keys);
  for (const row of rows) {
    for (const key of empty) {
      const value = row[key];
      if (value !== null && value !== undefined && value !== '') empty.delete(key);
    }
    if (empty.size === 0) break;
  }
  return empty;
}

/**
 * The columns shown before the user chooses: the defaults, minus known columns that are empty
 * on every row (a column of dashes tells the user nothing).
 */
export function defaultVisibleColumns<K extends string>(
  defaults: readonly K[],
  rows: readonly Readonly<Partial<Record<K, ColumnValue>>>[],
): K[] {
  const empty = emptyColumns(rows, defaults);
  return defaults.filter((key) => !empty.has(key));
}

/** A scalar as text for a free (unmapped) column: what the column chooser's extra fields show. */
export function scalarText(value: unknown): string | null {
  return isScalar(value) ? toText(value) : null;
}
