import { describe, expect, it, vi } from 'vitest';
import { formatDate, formatDateTime, formatNumber } from '@/lib/format';

describe('formatters (one per set of options, reused)', () => {
  it('keeps each set of options apart: digits, styles and time zones', () => {
    expect(formatNumber(1234.5678, 0)).toBe(new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }).format(1234.5678));
    expect(formatNumber(1234.5678, 2)).toBe(new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(1234.5678));
    expect(formatNumber(1234.5678, 0)).not.toBe(formatNumber(1234.5678, 2));
    const instant = '2024-03-01T23:30:00Z';
    expect(formatDateTime(instant, 'UTC')).not.toBe(formatDateTime(instant, 'Asia/Tokyo'));
    expect(formatDateTime(instant, 'Asia/Tokyo')).toBe(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(instant)),
    );
    expect(formatDate(instant)).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(instant)));
  });

  it('shows a calendar date as that day in every time zone', async () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['America/Chicago', 'Pacific/Honolulu', 'Asia/Tokyo']) {
        // A fresh module per zone: its formatters are made, and keep, the zone of the moment.
        process.env.TZ = tz;
        vi.resetModules();
        const fresh = await import('@/lib/format');
        expect(fresh.formatDate('2004-03-31')).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(2004, 2, 31)));
      }
    } finally {
      process.env.TZ = zone;
    }
  });

  it('still reads missing values as a dash and bad dates as sent', () => {
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Number.NaN, 2)).toBe('—');
    expect(formatDate('not a date')).toBe('not a date');
  });
});
