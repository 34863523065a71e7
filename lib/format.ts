import type { Display } from '@/lib/display/setting';

/**
 * Formatting in a display setting (locale and time zone) given by the caller: in components,
 * `useDisplay()`'s value, which is the server's while hydrating and the browser's after, so the
 * server's HTML and the hydrating render agree. Missing values read as an em dash.
 */

const DASH = '—';

/**
 * Formatters are costly to construct (the wells table and map format hundreds of cells per
 * keystroke), so one is kept per locale, zone and options. Bounded: a server sees the settings of
 * many users, and the oldest formatter is dropped rather than letting requests grow the cache.
 */
const MAX_FORMATTERS = 256;
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function remember<Format>(cache: Map<string, Format>, key: string, make: () => Format): Format {
  let format = cache.get(key);
  if (!format) {
    if (cache.size >= MAX_FORMATTERS) cache.delete(cache.keys().next().value as string);
    cache.set(key, (format = make()));
  }
  return format;
}

function numberFormat(display: Display, options: Intl.NumberFormatOptions, optionsKey = JSON.stringify(options)): Intl.NumberFormat {
  return remember(numberFormats, `${display.locale}|${optionsKey}`, () => new Intl.NumberFormat(display.locale, options));
}

/** A date formatter in the display's zone, unless `options` names its own (`UTC` for calendar dates). */
function dateFormat(display: Display, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const full = { timeZone: display.timeZone, ...options };
  return remember(dateFormats, `${display.locale}|${JSON.stringify(full)}`, () => new Intl.DateTimeFormat(display.locale, full));
}

/**
 * A count with the locale's grouping (`5,000`). Not `toLocaleString()`, which builds a formatter
 * on every call: the wells map labels hundreds of groups per keystroke, and that was its largest cost.
 */
export function formatCount(display: Display, value: number): string {
  return numberFormat(display, {}, 'count').format(value);
}

/** A quantity with up to `digits` decimals, grouped in the display's locale; a dash for nothing. */
export function formatNumber(display: Display, value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return numberFormat(display, { maximumFractionDigits: digits }).format(value);
}

/**
 * A date's day in the display's locale. A calendar date (`2004-03-31`, as spud dates come) is that
 * day wherever the user is: read as UTC midnight and shown in a time zone west of it, it would
 * read a day early. An instant is shown on the user's own calendar (the display's zone).
 */
export function formatDate(display: Display, value: string | null | undefined): string {
  if (!value) return DASH;
  const parsed = parseDateString(value.trim());
  const date = parsed?.date ?? new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return dateFormat(display, { dateStyle: 'medium', ...(parsed && !parsed.hasTime ? { timeZone: 'UTC' } : {}) }).format(date);
}

/** An instant's date and time in the display's locale and zone; a dash for nothing. */
export function formatDateTime(display: Display, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return DASH;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return dateFormat(display, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** An instant's date and time to the second (pages that refresh every few seconds). */
export function formatDateTimeSeconds(display: Display, value: string | number): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return dateFormat(display, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

/**
 * A month counted in UTC (`Mar 2027`), named in UTC too: counting and naming in different zones
 * would put an event near midnight of the 1st under the wrong month.
 */
export function formatUtcMonth(display: Display, value: Date | number): string {
  return dateFormat(display, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(value);
}

/** `/Date(1700000000000)/` or `/Date(1700000000000+0100)/`, as .NET JSON serializers write dates. */
const MS_DATE = /^\/Date\((-?\d{1,15})([+-]\d{4})?\)\/$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 date-times: a date, `T` or a space, a time, and optionally seconds, fraction and zone. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A date string recognised in a value of unknown shape, as an instant and whether it carries a time. */
export interface ParsedDate {
  date: Date;
  /** False for a calendar date (`YYYY-MM-DD`): shown without a time and without a time-zone shift. */
  hasTime: boolean;
}

/**
 * Recognises the date formats APIs send as strings: ISO 8601 date-times, `YYYY-MM-DD`, and
 * `/Date(ms)/`. Anything else (including numbers and "2024") is not a date: guessing from free
 * text would turn names and codes into dates.
 */
export function parseDateString(value: string): ParsedDate | null {
  if (value.length > 40) return null;
  const ms = MS_DATE.exec(value);
  if (ms) {
    const date = new Date(Number(ms[1]));
    return Number.isNaN(date.getTime()) ? null : { date, hasTime: true };
  }
  const day = DATE_ONLY.exec(value);
  if (day) {
    const [year, month, dom] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const date = new Date(Date.UTC(year, month - 1, dom));
    // Reject 2024-02-31 and the like rather than let Date roll them over.
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== dom) return null;
    return { date, hasTime: false };
  }
  if (ISO_DATE_TIME.test(value)) {
    const date = new Date(value.replace(' ', 'T'));
    return Number.isNaN(date.getTime()) ? null : { date, hasTime: true };
  }
  return null;
}

/** A recognised date in the display's setting; a calendar date is shown as that day wherever the user is. */
export function formatParsedDate(display: Display, { date, hasTime }: ParsedDate): string {
  return hasTime
    ? dateFormat(display, { dateStyle: 'medium', timeStyle: 'short' }).format(date)
    : dateFormat(display, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** Keys whose numbers are identifiers or years, not quantities: shown as sent, without grouping. */
const PLAIN_NUMBER_KEY = /(^|[^a-z])(id|ids|year|yr|code|zip|no|number|num|version|rank|index)$|(Id|ID|Year|Code|Number|No)$/;

/**
 * Any number for display: grouped in the display's locale with up to six decimals (enough for
 * coordinates); identifiers and years (by their key) as sent, since "2,024" reads wrong.
 */
export function formatAnyNumber(display: Display, value: number, key?: string): string {
  if (!Number.isFinite(value)) return String(value);
  if (key && PLAIN_NUMBER_KEY.test(key)) return String(value);
  if (Math.abs(value) >= 1e21 || (value !== 0 && Math.abs(value) < 1e-6)) return value.toExponential(3);
  return numberFormat(display, { maximumFractionDigits: 6 }).format(value);
}

/**
 * A field key as a label: `annualEmissionsTco2e` and `annual_emissions_tco2e` both read
 * "Annual emissions tco2e"; a dotted path (`location.country`) reads "Location › country".
 */
export function humanizeKey(key: string): string {
  const parts = key
    .split('.')
    .map((part) =>
      part
        .replace(/([a-z\d])([A-Z])/g, '$1 $2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
        .replace(/[_\-\s]+/g, ' ')
        .trim()
        .toLowerCase(),
    )
    .filter((part) => part.length > 0);
  if (parts.length === 0) return key.trim() === '' ? '(no name)' : key;
  const text = parts.join(' › ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
