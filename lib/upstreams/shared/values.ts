/**
 * Coercion of upstream values to what a column of a given kind shows: numbers that arrive as
 * numeric strings, dates in the many forms APIs send them. Pure and isomorphic.
 */

const NUMERIC = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
const GROUPED = /^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** A finite number from a number or a numeric string (`"42"`, `" 1.5e3 "`, `"1,234.5"`); else null. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length === 0 || text.length > 64) return null;
  if (NUMERIC.test(text)) return Number(text);
  if (GROUPED.test(text)) return Number(text.replace(/,/g, ''));
  return null;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;
const MS_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;
const SLASHED = /^\d{1,2}\/\d{1,2}\/\d{4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?)?$/i;
const EPOCH_DIGITS = /^-?\d{9,14}$/;

/** Epoch numbers below this are seconds, above it milliseconds (1e11 s is the year 5138). */
const SECONDS_BELOW = 1e11;

function fromEpoch(value: number): string | null {
  const ms = Math.abs(value) < SECONDS_BELOW ? value * 1000 : value;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * A date as an ISO string, or null when `value` is not one. Understands ISO 8601, `YYYY-MM-DD`
 * (kept as a date without a time, so no time zone moves it a day), epoch seconds or milliseconds
 * (numbers or digit strings), Microsoft's `/Date(ms)/`, and `M/D/YYYY`.
 */
export function toDate(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? fromEpoch(value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length === 0 || text.length > 40) return null;
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const month = Number(dateOnly[2]);
    const day = Number(dateOnly[3]);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? text : null;
  }
  const ms = MS_DATE.exec(text);
  if (ms) return fromEpoch(Number(ms[1]));
  if (EPOCH_DIGITS.test(text)) return fromEpoch(Number(text));
  if (ISO_LIKE.test(text) || SLASHED.test(text)) {
    const date = new Date(ISO_LIKE.test(text) ? text.replace(' ', 'T') : text);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  return null;
}

/** Text for a scalar cell: strings as they are, other scalars as their usual text. */
export function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return null;
}
