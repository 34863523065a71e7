import { describe, expect, it } from 'vitest';
import { toCsv } from '@/lib/csv';

interface Row {
  name: string;
  depth: number | null;
  note?: string;
}
const columns = [
  { header: 'Name', value: (row: Row) => row.name },
  { header: 'Depth (ft)', value: (row: Row) => row.depth },
  { header: 'Note', value: (row: Row) => row.note },
];

describe('toCsv', () => {
  it('writes a header and one line per row with CRLF endings', () => {
    expect(toCsv([{ name: 'A-1', depth: 1200 }], columns)).toBe('Name,Depth (ft),Note\r\nA-1,1200,\r\n');
  });

  it('quotes commas, quotes and newlines', () => {
    const csv = toCsv([{ name: 'Smith, "Big" 1\nH', depth: null }], columns);
    expect(csv).toBe('Name,Depth (ft),Note\r\n"Smith, ""Big"" 1\nH",,\r\n');
  });

  it('neutralises spreadsheet formulas but keeps negative numbers', () => {
    const csv = toCsv(
      [
        { name: '=HYPERLINK("http://evil")', depth: -12.5 },
        { name: '@SUM(A1)', depth: 0, note: '+1' },
      ],
      columns,
    );
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")",-12.5`);
    expect(csv).toContain(`'@SUM(A1),0,'+1`);
  });
});
