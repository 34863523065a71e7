/**
 * What kind of value an API sent, for ValueView: pure functions, no React, so they are cheap to
 * test on random input. Nothing here throws, whatever the value.
 */
import { parseDateString } from '@/lib/format';

export type PlainObject = Record<string, unknown>;

/** A string longer than this is cut, with a way to see it whole. */
export const LONG_STRING = 240;
/** Arrays of scalars list this many items, then "N more". */
export const LIST_ITEMS = 20;
/** Arrays of objects show this many rows, then "N more". */
export const TABLE_ROWS = 10;
/** A table of objects shows at most this many columns; the whole value stays behind "Show all". */
export const TABLE_COLUMNS = 8;
/** Nesting shown as field lists; deeper values sit behind "…". */
export const MAX_DEPTH = 4;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isScalar(value: unknown): value is string | number | boolean | null | undefined {
  return value === null || value === undefined || ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

/** Keys of all the objects, in first-seen order (the union, not just the first row's). */
export function unionKeys(rows: readonly PlainObject[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys];
}

const DATE_KEY = /^(month|date|day|week|period|year|quarter|time|timestamp|datetime|ts)$|(Date|Month|Period|Year|Time|_date|_month|_period|_year|_time)$/;
const VALUE_KEY = /value|amount|total|co2e|co2|ch4|n2o|emission|quantity|qty|count|volume|production|rate|sum/i;

export interface Series {
  dateKey: string;
  valueKey: string;
  /** In time order; `label` is what the API sent, `time` its instant (ms) for the x axis. */
  points: { label: string; time: number; value: number }[];
}

function timeOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1000 && value <= 9999) return Date.UTC(value, 0, 1);
  if (typeof value !== 'string') return null;
  if (/^\d{4}$/.test(value)) return Date.UTC(Number(value), 0, 1);
  // "2024-03" (a month), "2024-Q2" (a quarter): common period labels that are not full dates.
  const month = /^(\d{4})-(\d{2})$/.exec(value);
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12) return Date.UTC(Number(month[1]), Number(month[2]) - 1, 1);
  const quarter = /^(\d{4})-?Q([1-4])$/i.exec(value);
  if (quarter) return Date.UTC(Number(quarter[1]), (Number(quarter[2]) - 1) * 3, 1);
  return parseDateString(value)?.date.getTime() ?? null;
}

/**
 * A numeric series: at least two objects that share one date-like key (by name, or because every
 * value is a date, month, quarter or year) and one numeric key (`value`, `amount`, `co2e`…, or
 * the only numeric one). Other keys may be present; they stay visible in the table alternative.
 */
export function detectSeries(value: unknown): Series | null {
  if (!Array.isArray(value) || value.length < 2 || value.length > 5000) return null;
  if (!value.every(isPlainObject)) return null;
  const rows = value as PlainObject[];
  const keys = unionKeys(rows).filter((key) => rows.every((row) => Object.hasOwn(row, key)));
  const dateKeys = keys.filter((key) => rows.every((row) => timeOf(row[key]) !== null));
  const dateKey = dateKeys.find((key) => DATE_KEY.test(key)) ?? (dateKeys.length === 1 ? dateKeys[0] : undefined);
  if (!dateKey) return null;
  const numericKeys = keys.filter((key) => key !== dateKey && rows.every((row) => typeof row[key] === 'number' && Number.isFinite(row[key])));
  const valueKey = numericKeys.length === 1 ? numericKeys[0] : numericKeys.find((key) => VALUE_KEY.test(key));
  if (!valueKey) return null;
  const points = rows
    .map((row) => ({ label: String(row[dateKey]), time: timeOf(row[dateKey]) as number, value: row[valueKey] as number }))
    .sort((a, b) => a.time - b.time);
  return { dateKey, valueKey, points };
}

/**
 * JSON text of a value for "Show all", never throwing: a value nested too deeply for the engine's
 * stack (JSON can be) reads as a note instead.
 */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner), 2) ?? String(value);
  } catch {
    return '(too deeply nested to show)';
  }
}
