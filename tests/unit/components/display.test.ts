import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable, type Column } from '@/components/data/data-table';
import { RecordFields } from '@/components/data/record-fields';
import { DisplayProvider } from '@/components/display/display-provider';
import { useDisplay } from '@/hooks/use-display';
import type { Display } from '@/lib/display/setting';
import { formatDateTime, formatNumber } from '@/lib/format';

const TOKYO_GERMAN: Display = { locale: 'de-DE', timeZone: 'Asia/Tokyo' };
const under = (display: Display, child: ReactNode) =>
  renderToStaticMarkup(createElement(DisplayProvider as (props: { value: Display }) => ReactNode, { value: display }, child));

function Shown() {
  const display = useDisplay();
  return createElement('span', null, `${display.locale} ${display.timeZone}`);
}

describe('useDisplay on the server (and so while hydrating)', () => {
  it("answers the provider's setting, not the process's defaults", () => {
    expect(under(TOKYO_GERMAN, createElement(Shown))).toBe('<span>de-DE Asia/Tokyo</span>');
    expect(under({ locale: 'fr-FR', timeZone: 'UTC' }, createElement(Shown))).toBe('<span>fr-FR UTC</span>');
  });

  it('answers en-US in UTC without a provider', () => {
    expect(renderToStaticMarkup(createElement(Shown))).toBe('<span>en-US UTC</span>');
  });

  it("formats a record's fields in the provider's setting", () => {
    const html = under(
      TOKYO_GERMAN,
      createElement(RecordFields, {
        record: { depth: 12345.5, spud: '2024-03-01T23:30:00Z', day: '2004-03-31', other: 9876.25 },
        groups: [{ title: 'Well', fields: [{ key: 'depth', label: 'Depth', kind: 'number' }, { key: 'spud', label: 'Spud', kind: 'date' }, { key: 'day', label: 'Day', kind: 'date' }] }],
      }),
    );
    expect(html).toContain('12.345,5');
    expect(html).toContain('02.03.2024'); // the instant on Tokyo's calendar
    expect(html).toContain('31.03.2004'); // the calendar date as that day
    expect(html).toContain('9.876,25'); // "Other fields" too
  });

  it("hands the setting to every table cell's renderer", () => {
    const columns: Column<{ id: string; at: string; value: number }>[] = [
      { key: 'value', header: 'Value', render: (row, display) => formatNumber(display, row.value, 1) },
      { key: 'at', header: 'At', render: (row, display) => formatDateTime(display, row.at) },
    ];
    const html = under(
      TOKYO_GERMAN,
      createElement(DataTable<{ id: string; at: string; value: number }>, {
        caption: 'Rows',
        rows: [{ id: 'a', at: '2024-03-01T23:30:00Z', value: 1234.5 }],
        columns,
        rowKey: (row) => row.id,
      }),
    );
    expect(html).toContain('1.234,5');
    expect(html).toContain('02.03.2024, 08:30');
  });
});
