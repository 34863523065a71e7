import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Display } from '@/lib/display/setting';
import {
  formatAnyNumber,
  formatCount,
  formatDate,
  formatDateTime,
  formatDateTimeSeconds,
  formatNumber,
  formatParsedDate,
  formatUtcMonth,
  parseDateString,
} from '@/lib/format';

const US: Display = { locale: 'en-US', timeZone: 'UTC' };
const CHICAGO: Display = { locale: 'en-US', timeZone: 'America/Chicago' };
const GERMAN: Display = { locale: 'de-DE', timeZone: 'UTC' };
const TOKYO_GERMAN: Display = { locale: 'de-DE', timeZone: 'Asia/Tokyo' };
const INSTANT = '2024-03-01T23:30:00Z';

/** ICU versions differ in the space before AM/PM (U+0020 or U+202F); the tests compare the rest. */
const plain = (text: string) => text.replace(/\s/g, ' ');

/** Counts the formatters an Intl constructor makes until `restore()`. */
function countConstructions(name: 'NumberFormat' | 'DateTimeFormat') {
  const original = Intl[name];
  let count = 0;
  const counting = new Proxy(original, {
    construct(target, args: unknown[]) {
      count += 1;
      return Reflect.construct(target, args) as object;
    },
  });
  Object.defineProperty(Intl, name, { value: counting, configurable: true, writable: true });
  restores.push(() => Object.defineProperty(Intl, name, { value: original, configurable: true, writable: true }));
  return { get count() { return count; } };
}

const restores: (() => void)[] = [];
afterEach(() => {
  for (const restore of restores.splice(0)) restore();
});

describe('formatters in an explicit display setting', () => {
  it('group and round numbers in the locale given, whatever the process default', () => {
    expect(formatNumber(US, 1234.5678, 2)).toBe('1,234.57');
    expect(formatNumber(GERMAN, 1234.5678, 2)).toBe('1.234,57');
    expect(formatNumber(GERMAN, 1234.5678)).toBe('1.235');
    expect(formatCount(US, 5000)).toBe('5,000');
    expect(formatCount(GERMAN, 5000)).toBe('5.000');
    expect(formatAnyNumber(GERMAN, 0.5)).toBe('0,5');
  });

  it('show an instant on the calendar and clock of the zone given', () => {
    expect(plain(formatDateTime(US, INSTANT))).toBe('Mar 1, 2024, 11:30 PM');
    expect(plain(formatDateTime(CHICAGO, INSTANT))).toBe('Mar 1, 2024, 5:30 PM');
    expect(formatDateTime(TOKYO_GERMAN, INSTANT)).toBe('02.03.2024, 08:30');
    expect(formatDate(TOKYO_GERMAN, INSTANT)).toBe('02.03.2024');
    expect(formatDate(CHICAGO, INSTANT)).toBe('Mar 1, 2024');
    expect(formatDateTimeSeconds(TOKYO_GERMAN, INSTANT)).toBe('02.03.2024, 08:30:00');
    expect(formatParsedDate(TOKYO_GERMAN, parseDateString(INSTANT)!)).toBe('02.03.2024, 08:30');
  });

  it('show a calendar date as that day in every zone (it is not an instant)', () => {
    for (const timeZone of ['America/Chicago', 'Pacific/Honolulu', 'Asia/Tokyo', 'Pacific/Kiritimati']) {
      expect(formatDate({ locale: 'en-US', timeZone }, '2004-03-31')).toBe('Mar 31, 2004');
      expect(formatDate({ locale: 'de-DE', timeZone }, '2004-03-31')).toBe('31.03.2004');
      expect(formatParsedDate({ locale: 'en-US', timeZone }, parseDateString('2004-03-31')!)).toBe('Mar 31, 2004');
    }
  });

  it('name a UTC month in UTC, in the locale given', () => {
    const first = Date.UTC(2027, 2, 1);
    expect(formatUtcMonth(CHICAGO, first)).toBe('Mar 2027');
    expect(formatUtcMonth(TOKYO_GERMAN, first)).toBe('März 2027');
  });

  it('do not depend on the process time zone', async () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['America/Chicago', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        vi.resetModules();
        const fresh = await import('@/lib/format');
        expect(plain(fresh.formatDateTime(US, INSTANT))).toBe('Mar 1, 2024, 11:30 PM');
        expect(fresh.formatDate(US, '2004-03-31')).toBe('Mar 31, 2004');
      }
    } finally {
      process.env.TZ = zone;
    }
  });

  it('read missing values as a dash and bad dates as sent', () => {
    expect(formatNumber(GERMAN, null)).toBe('—');
    expect(formatNumber(GERMAN, Number.NaN, 2)).toBe('—');
    expect(formatDate(GERMAN, '')).toBe('—');
    expect(formatDate(GERMAN, 'not a date')).toBe('not a date');
    expect(formatDateTime(GERMAN, null)).toBe('—');
    expect(formatDateTime(GERMAN, 'soon')).toBe('soon');
  });
});

describe('formatter cache', () => {
  it('makes one formatter per locale, zone and options, and keeps settings apart', async () => {
    vi.resetModules();
    const fresh = await import('@/lib/format');
    const numbers = countConstructions('NumberFormat');
    const dates = countConstructions('DateTimeFormat');
    for (let value = 0; value < 500; value += 1) {
      fresh.formatNumber(US, value * 1000.5, 2);
      fresh.formatNumber(GERMAN, value * 1000.5, 2);
      fresh.formatDateTime(CHICAGO, value * 3_600_000);
      fresh.formatDateTime(TOKYO_GERMAN, value * 3_600_000);
    }
    expect(numbers.count).toBe(2);
    expect(dates.count).toBe(2);
    // Interleaved settings never answer from each other's formatter.
    expect(fresh.formatNumber(US, 1000.5, 2)).toBe('1,000.5');
    expect(fresh.formatNumber(GERMAN, 1000.5, 2)).toBe('1.000,5');
    expect(plain(fresh.formatDateTime(CHICAGO, 0))).toBe('Dec 31, 1969, 6:00 PM');
    expect(fresh.formatDateTime(TOKYO_GERMAN, 0)).toBe('01.01.1970, 09:00');
  });

  it('stays bounded however many settings requests bring', async () => {
    vi.resetModules();
    const fresh = await import('@/lib/format');
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 300);
    expect(zones.length).toBe(300);
    for (const timeZone of zones) fresh.formatDateTime({ locale: 'en-US', timeZone }, 0);
    const dates = countConstructions('DateTimeFormat');
    fresh.formatDateTime({ locale: 'en-US', timeZone: zones[299]! }, 0);
    expect(dates.count, 'the newest formatter is kept').toBe(0);
    fresh.formatDateTime({ locale: 'en-US', timeZone: zones[0]! }, 0);
    expect(dates.count, 'the oldest was dropped').toBe(1);
  });
});
