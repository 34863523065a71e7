import { isTimeZone, sameDisplay, TIME_ZONE_COOKIE, type Display } from '@/lib/display/setting';

/**
 * The browser's side of the display setting: its own locale and zone, and the cookie that tells
 * the server the zone. Call only in the browser (after hydration, or from effects).
 */

/** A year: the zone rarely changes, and a stale one only costs one re-render after hydration. */
const COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

let own: Display | undefined;

/** The browser's locale and zone, read once: Intl's defaults do not change in a page's life. */
export function browserDisplay(): Display {
  if (!own) {
    const { locale, timeZone } = new Intl.DateTimeFormat().resolvedOptions();
    own = Object.freeze({ locale, timeZone });
  }
  return own;
}

/**
 * The setting to format in after hydration: `server` itself when the browser's is the same (so
 * nothing re-renders in the usual case), else the browser's, always the same object.
 */
export function displayAfterHydration(server: Display): Display {
  const browser = browserDisplay();
  return sameDisplay(browser, server) ? server : browser;
}

/** The `tz` cookie's value in a `document.cookie` string, or null. */
export function timeZoneCookieIn(cookieHeader: string): string | null {
  for (const part of cookieHeader.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TIME_ZONE_COOKIE) return value.join('=');
  }
  return null;
}

/**
 * The `Set-Cookie`-style string that stores `timeZone` for the server, or null when the cookie
 * already holds it (or the zone is not one the server would accept).
 */
export function timeZoneCookieUpdate(cookieHeader: string, timeZone: string, secure: boolean): string | null {
  if (!isTimeZone(timeZone) || timeZoneCookieIn(cookieHeader) === timeZone) return null;
  return `${TIME_ZONE_COOKIE}=${timeZone}; Path=/; Max-Age=${COOKIE_MAX_AGE_S}; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** Stores the browser's zone in the `tz` cookie when it is missing or names another zone. */
export function rememberTimeZone(): void {
  const update = timeZoneCookieUpdate(document.cookie, browserDisplay().timeZone, window.location.protocol === 'https:');
  if (update) document.cookie = update;
}
