/**
 * The display setting, the locale and time zone that numbers and dates are formatted in. The
 * server chooses one per request (from `Accept-Language` and the `tz` cookie) and the hydrating
 * render repeats it, so both produce the same HTML; the browser then switches to its own.
 * Isomorphic: no server-only imports, the client reads the types and the cookie's name.
 */

export interface Display {
  /** A BCP 47 tag every Intl formatter accepts (`de-DE`). */
  readonly locale: string;
  /** An IANA time zone (`America/Chicago`). */
  readonly timeZone: string;
}

/** What a request gets when it names no usable locale or zone. */
export const DEFAULT_DISPLAY: Display = Object.freeze({ locale: 'en-US', timeZone: 'UTC' });

/** The cookie in which the browser tells the server its time zone (not a secret). */
export const TIME_ZONE_COOKIE = 'tz';

/** Longer than any IANA name (the longest are ~32 characters); anything longer is not one. */
const MAX_TIME_ZONE_LENGTH = 64;
/** Browsers send a few hundred characters at most; the rest of a longer header is ignored. */
const MAX_ACCEPT_LANGUAGE_LENGTH = 1024;
/** Candidates looked at, so a header of thousands of tags cannot cost thousands of Intl calls. */
const MAX_LANGUAGE_RANGES = 32;
/** Tags with extensions can be long, but no real one is longer than this. */
const MAX_TAG_LENGTH = 64;

const TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
const QUALITY = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i;
/** IANA names (`America/Argentina/Buenos_Aires`, `Etc/GMT+5`): also safe to write into a cookie as is. */
const TIME_ZONE_CHARS = /^[A-Za-z0-9_+\-/]+$/;

/**
 * The locale of an `Accept-Language` header: its most preferred range (by q-value, then order)
 * that Intl supports, as a base tag without extensions (`de-DE`); `en-US` when none is.
 * Wildcards, `q=0`, malformed ranges and malformed q-values are skipped, never thrown on.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): string {
  if (!header) return DEFAULT_DISPLAY.locale;
  const ranges = header
    .slice(0, MAX_ACCEPT_LANGUAGE_LENGTH)
    .split(',', MAX_LANGUAGE_RANGES)
    .map((item, index) => parseRange(item, index))
    .filter((range) => range !== null)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranges) {
    const locale = supportedLocale(tag);
    if (locale) return locale;
  }
  return DEFAULT_DISPLAY.locale;
}

function parseRange(item: string, index: number): { tag: string; quality: number; index: number } | null {
  const [rawTag = '', ...params] = item.split(';');
  const tag = rawTag.trim();
  if (tag.length === 0 || tag.length > MAX_TAG_LENGTH || !TAG.test(tag)) return null;
  let quality = 1;
  for (const param of params) {
    const trimmed = param.trim();
    if (!/^q=/i.test(trimmed)) continue;
    if (!QUALITY.test(trimmed)) return null;
    quality = Number(trimmed.slice(2));
  }
  return quality > 0 ? { tag, quality, index } : null;
}

/** The tag as Intl canonicalises it, without extensions, when Intl can format in it; else null. */
function supportedLocale(tag: string): string | null {
  try {
    const [supported] = Intl.DateTimeFormat.supportedLocalesOf([tag]);
    return supported ? new Intl.Locale(supported).baseName : null;
  } catch {
    // A well-formed-looking range can still be an invalid tag (`en-a`, `x-private`).
    return null;
  }
}

/** True for a time zone name Intl accepts (and short and plain enough to be an IANA name). */
export function isTimeZone(value: string): boolean {
  if (value.length === 0 || value.length > MAX_TIME_ZONE_LENGTH || !TIME_ZONE_CHARS.test(value)) return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The time zone a `tz` cookie names, as sent, when it is a valid one; else UTC. */
export function timeZoneFromCookie(value: string | null | undefined): string {
  return value && isTimeZone(value) ? value : DEFAULT_DISPLAY.timeZone;
}

/** The display setting for a request, from its `Accept-Language` header and `tz` cookie. */
export function displayFromRequest(acceptLanguage: string | null | undefined, timeZoneCookie: string | null | undefined): Display {
  return { locale: localeFromAcceptLanguage(acceptLanguage), timeZone: timeZoneFromCookie(timeZoneCookie) };
}

/** True when two settings format alike. */
export function sameDisplay(a: Display, b: Display): boolean {
  return a.locale === b.locale && a.timeZone === b.timeZone;
}
