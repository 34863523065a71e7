import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY, displayFromRequest, isTimeZone, localeFromAcceptLanguage, timeZoneFromCookie } from '@/lib/display/setting';

describe('localeFromAcceptLanguage', () => {
  it('answers en-US when there is no header', () => {
    for (const header of [undefined, null, '', '   ']) expect(localeFromAcceptLanguage(header)).toBe('en-US');
  });

  it('takes the first supported range, canonicalised', () => {
    expect(localeFromAcceptLanguage('de-DE')).toBe('de-DE');
    expect(localeFromAcceptLanguage('de-de')).toBe('de-DE');
    expect(localeFromAcceptLanguage('  fr-CH , fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toBe('fr-CH');
    expect(localeFromAcceptLanguage('ja')).toBe('ja');
    expect(localeFromAcceptLanguage('zh-Hant-TW')).toBe('zh-Hant-TW');
  });

  it('orders ranges by q-value, then by their place in the header', () => {
    expect(localeFromAcceptLanguage('en;q=0.5, de;q=0.9')).toBe('de');
    expect(localeFromAcceptLanguage('en;q=0.5, de;q=0.5, fr;q=0.6')).toBe('fr');
    expect(localeFromAcceptLanguage('en-GB;q=0.8, de;q=0.8')).toBe('en-GB');
    expect(localeFromAcceptLanguage('de;Q=0.1, fr')).toBe('fr');
    expect(localeFromAcceptLanguage('de;q=1, fr;q=1.000')).toBe('de');
    // Parameters other than q are not q.
    expect(localeFromAcceptLanguage('de-DE;level=1;q=0.8, fr;q=0.7')).toBe('de-DE');
  });

  it('skips q=0, wildcards, malformed q-values and unsupported languages', () => {
    expect(localeFromAcceptLanguage('de;q=0, fr;q=0.1')).toBe('fr');
    expect(localeFromAcceptLanguage('de;q=0.000, fr;q=0.001')).toBe('fr');
    expect(localeFromAcceptLanguage('*')).toBe('en-US');
    expect(localeFromAcceptLanguage('*, de;q=0.5')).toBe('de');
    for (const bad of ['q=abc', 'q=1.5', 'q=-1', 'q=0.1234', 'q=', 'q=.5', 'q=1.001']) {
      expect(localeFromAcceptLanguage(`de;${bad}, fr;q=0.1`), bad).toBe('fr');
    }
    expect(localeFromAcceptLanguage('zz, qq-ZZ, de;q=0.2')).toBe('de');
    expect(localeFromAcceptLanguage('zz')).toBe('en-US');
  });

  it('skips garbage and tags Intl refuses, without throwing', () => {
    for (const header of ['en-a', 'x-private', 'i-klingon', '123', 'de_DE', '<script>', '\u0000de', 'de DE', 'ü', ';;;,,,', ';q=1', 'en--US', 'en-US-', '-en']) {
      expect(localeFromAcceptLanguage(header), JSON.stringify(header)).toBe('en-US');
      expect(localeFromAcceptLanguage(`${header}, fr;q=0.1`), JSON.stringify(header)).toBe('fr');
    }
  });

  it('drops Unicode extensions (calendars, numbering systems) from the tag', () => {
    expect(localeFromAcceptLanguage('de-DE-u-co-phonebk')).toBe('de-DE');
    expect(localeFromAcceptLanguage('th-TH-u-nu-thai-ca-buddhist')).toBe('th-TH');
  });

  it('caps overlong input: a giant tag, a giant header, thousands of ranges', () => {
    expect(localeFromAcceptLanguage('a'.repeat(100_000))).toBe('en-US');
    expect(localeFromAcceptLanguage(`en-${'abcdefgh-'.repeat(10)}x`)).toBe('en-US');
    // What comes after the first kilobyte is not read.
    expect(localeFromAcceptLanguage(`${'zz;q=0.9,'.repeat(200)}de`)).toBe('en-US');
    // Nor more than the first 32 ranges, however short.
    expect(localeFromAcceptLanguage(`${'zz,'.repeat(40)}de`)).toBe('en-US');
    expect(localeFromAcceptLanguage(`${'zz,'.repeat(20)}de`)).toBe('de');
    // Read uncapped, this would be 100,000 Intl look-ups (seconds).
    const started = performance.now();
    expect(localeFromAcceptLanguage('zz;q=0.5,'.repeat(100_000))).toBe('en-US');
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('answers a locale every Intl formatter accepts, for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.array(fc.constantFrom('de', 'en-US', 'q=0.5', ';', ',', '-', '*', 'zz', ' ', 'x')).map((parts) => parts.join(''))), (header) => {
        const locale = localeFromAcceptLanguage(header);
        expect(() => new Intl.NumberFormat(locale)).not.toThrow();
        expect(Intl.DateTimeFormat.supportedLocalesOf([locale])).toEqual([locale]);
      }),
    );
  });
});

describe('time zone from the tz cookie', () => {
  it('keeps a valid IANA zone as sent', () => {
    for (const zone of ['America/Chicago', 'Asia/Tokyo', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'UTC']) {
      expect(isTimeZone(zone), zone).toBe(true);
      expect(timeZoneFromCookie(zone)).toBe(zone);
    }
  });

  it('falls back to UTC for a missing, invalid, odd or overlong value', () => {
    for (const value of [undefined, null, '', 'Not/AZone', 'America/Chicagoo', 'x'.repeat(300), `America/Chicago${' '.repeat(100)}`, 'America/Chicago\u0000', '+01:00', 'America/Chicago; Path=/', '../../etc/passwd', '%41merica/Chicago']) {
      expect(timeZoneFromCookie(value), JSON.stringify(value)).toBe('UTC');
    }
  });

  it('answers a zone Intl accepts, for any input', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const zone = timeZoneFromCookie(value);
        expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zone })).not.toThrow();
      }),
    );
  });
});

describe('displayFromRequest', () => {
  it('combines the header and the cookie, each with its own fallback', () => {
    expect(displayFromRequest('de-DE,de;q=0.9', 'America/Chicago')).toEqual({ locale: 'de-DE', timeZone: 'America/Chicago' });
    expect(displayFromRequest('de-DE', 'nope')).toEqual({ locale: 'de-DE', timeZone: 'UTC' });
    expect(displayFromRequest('garbage!', 'Asia/Tokyo')).toEqual({ locale: 'en-US', timeZone: 'Asia/Tokyo' });
    expect(displayFromRequest(null, undefined)).toEqual(DEFAULT_DISPLAY);
  });
});
