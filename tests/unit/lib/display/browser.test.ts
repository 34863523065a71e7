import { describe, expect, it } from 'vitest';
import { browserDisplay, displayAfterHydration, timeZoneCookieIn, timeZoneCookieUpdate } from '@/lib/display/browser';

describe('the browser side of the display setting', () => {
  it('reads its own locale and zone once, as one object', () => {
    const own = browserDisplay();
    const { locale, timeZone } = new Intl.DateTimeFormat().resolvedOptions();
    expect(own).toEqual({ locale, timeZone });
    expect(browserDisplay()).toBe(own);
  });

  it("keeps the server's object when the browser's setting is the same, so nothing re-renders", () => {
    const server = { ...browserDisplay() };
    expect(displayAfterHydration(server)).toBe(server);
  });

  it("answers the browser's own setting, always the same object, when the server's differs", () => {
    const own = browserDisplay();
    for (const server of [
      { locale: own.locale, timeZone: own.timeZone === 'Asia/Tokyo' ? 'UTC' : 'Asia/Tokyo' },
      { locale: own.locale === 'de-DE' ? 'fr-FR' : 'de-DE', timeZone: own.timeZone },
    ]) {
      expect(displayAfterHydration(server)).toBe(own);
      expect(displayAfterHydration(server)).toBe(displayAfterHydration(server));
    }
  });

  it('finds the tz cookie among others, and only that one', () => {
    expect(timeZoneCookieIn('a=1; tz=America/Chicago; b=2')).toBe('America/Chicago');
    expect(timeZoneCookieIn('tz=Etc/GMT+5')).toBe('Etc/GMT+5');
    expect(timeZoneCookieIn('xtz=Asia/Tokyo; tzx=UTC')).toBeNull();
    expect(timeZoneCookieIn('')).toBeNull();
  });

  it('writes the cookie when it is missing or names another zone, for a year, on every path', () => {
    expect(timeZoneCookieUpdate('', 'America/Chicago', false)).toBe('tz=America/Chicago; Path=/; Max-Age=31536000; SameSite=Lax');
    expect(timeZoneCookieUpdate('tz=UTC; a=b', 'Asia/Tokyo', true)).toBe('tz=Asia/Tokyo; Path=/; Max-Age=31536000; SameSite=Lax; Secure');
    expect(timeZoneCookieUpdate('a=b; tz=Asia/Tokyo', 'Asia/Tokyo', false)).toBeNull();
  });

  it('never writes a zone the server would refuse', () => {
    expect(timeZoneCookieUpdate('', 'Not/AZone', false)).toBeNull();
    expect(timeZoneCookieUpdate('', 'UTC; Domain=evil.example', false)).toBeNull();
  });
});
