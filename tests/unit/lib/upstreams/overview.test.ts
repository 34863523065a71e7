import { describe, expect, it } from 'vitest';
import { toEventRows } from '@/lib/upstreams/events/client';
import { toSourceRows } from '@/lib/upstreams/meti/client';
import { countBy, summariseEvents, summariseSources, summariseWells } from '@/lib/upstreams/overview';
import { toWellRows } from '@/lib/upstreams/wellview/wells';
import { seedSources, seedWells } from '../../../../sandbox/seed';

describe('overview card summaries', () => {
  it('counts the commonest values first, at most five, a missing value as Unknown', () => {
    const items = ['a', 'b', 'a', null, 'c', 'a', 'b', 'd', 'e', 'f', undefined, ''];
    expect(countBy(items, (item) => item)).toEqual([
      { label: 'a', value: 3 },
      { label: 'Unknown', value: 3 },
      { label: 'b', value: 2 },
      { label: 'c', value: 1 },
      { label: 'd', value: 1 },
    ]);
  });

  it('summarises every well by status, as the wells card showed them', () => {
    const rows = toWellRows(seedWells(300), {});
    const summary = summariseWells(rows);
    expect(summary.count).toBe(rows.length);
    const total = summary.bars.reduce((sum, bar) => sum + bar.value, 0);
    expect(total).toBeLessThanOrEqual(rows.length);
    const running = rows.filter((row) => (row.well.status || 'Unknown') === summary.bars[0]?.label).length;
    expect(summary.bars[0]?.value).toBe(running);
  });

  it('summarises sources by methodology, a missing one as Unknown', () => {
    const seeded = seedSources(20);
    const summary = summariseSources(toSourceRows(seeded, {}));
    expect(summary.count).toBe(20);
    const top = summary.bars[0];
    expect(top?.value).toBe(seeded.filter((source) => source.methodology === top?.label).length);
    const small = summariseSources(toSourceRows([{ id: 'a', methodology: 'Direct measurement' }, { id: 'b', methodology: null }], {}));
    expect(small).toEqual({ count: 2, bars: [{ label: 'Direct measurement', value: 1 }, { label: 'Unknown', value: 1 }] });
  });

  it('counts events per UTC month, first six months in order, skipping undated ones', () => {
    const starts = ['2027-01-31T23:30:00Z', '2027-01-01T00:00:00Z', '2026-12-15T10:00:00Z', null, '2027-02-01T00:00:00Z'];
    const more = ['2027-03-01', '2027-04-01', '2027-05-01', '2027-06-01'].map((day) => `${day}T12:00:00Z`);
    const rows = toEventRows([...starts, ...more].map((start, index) => ({ eventId: String(index), name: `E${index}`, startDate: start })));
    const summary = summariseEvents(42, rows);
    expect(summary.total).toBe(42);
    expect(summary.months.map((month) => [new Date(month.at).toISOString().slice(0, 7), month.value])).toEqual([
      ['2026-12', 1],
      ['2027-01', 2],
      ['2027-02', 1],
      ['2027-03', 1],
      ['2027-04', 1],
      ['2027-05', 1],
    ]);
  });
});
