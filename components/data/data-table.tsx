'use client';

import { useRouter } from 'next/navigation';
import { memo, type MouseEvent, type ReactElement, type ReactNode } from 'react';
import { useDisplay } from '@/hooks/use-display';
import type { Display } from '@/lib/display/setting';

export interface Column<Row> {
  key: string;
  header: string;
  /** The cell's content, formatted in `display`; defaults to the sort value as text. */
  render?: (row: Row, display: Display) => ReactNode;
  /** What sorting compares; columns without it are not sortable. */
  sortValue?: (row: Row) => string | number | null;
  align?: 'left' | 'right';
}

interface DataTableProps<Row> {
  caption: string;
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  rowHref?: (row: Row) => string;
  sort?: { key: string; direction: 'asc' | 'desc' };
  onSort?: (key: string) => void;
  /** Marks a row (e.g. a malformed record) without breaking the table. */
  rowNote?: (row: Row) => string | null;
  /** The rows shown are the previous view's while the new one loads. */
  busy?: boolean;
}

/** An accessible table: a real header row, sortable headers as buttons, rows that link. */
export function DataTable<Row>({ caption, rows, columns, rowKey, rowHref, sort, onSort, rowNote, busy = false }: DataTableProps<Row>) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table aria-busy={busy} className={`min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800 ${busy ? 'opacity-60' : ''}`}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 dark:bg-slate-800/60">
          <tr>
            {columns.map((column) => {
              const active = sort?.key === column.key;
              const ariaSort = active ? (sort?.direction === 'asc' ? 'ascending' : 'descending') : 'none';
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={column.sortValue ? ariaSort : undefined}
                  className={`whitespace-nowrap px-3 py-2 font-semibold ${column.align === 'right' ? 'text-right' : 'text-left'}`}
                >
                  {column.sortValue && onSort ? (
                    <button
                      type="button"
                      onClick={() => onSort(column.key)}
                      className="inline-flex items-center gap-1 rounded hover:text-brand-600 dark:hover:text-brand-100"
                    >
                      {column.header}
                      <span aria-hidden="true" className="text-xs text-slate-400">
                        {active ? (sort?.direction === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((row) => (
            <DataRow key={rowKey(row)} row={row} columns={columns} href={rowHref?.(row)} note={rowNote?.(row) ?? null} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * One body row. Memoized on the row object, its columns, link and note: a new search whose first
 * page keeps some rows (typing on narrows the list, and it keeps its order) re-renders only the
 * rows that are new, and a search that changes nothing on the page renders none. It reads the
 * display setting itself, so every row re-renders when that switches after hydration.
 */
const DataRow = memo(function DataRow<Row>({
  row,
  columns,
  href,
  note,
}: {
  row: Row;
  columns: readonly Column<Row>[];
  href: string | undefined;
  note: string | null;
}) {
  const display = useDisplay();
  return (
    <tr className={note ? 'bg-amber-50 dark:bg-amber-950/40' : 'hover:bg-slate-50 dark:hover:bg-slate-800/40'}>
      {columns.map((column, index) => {
        const content = column.render ? column.render(row, display) : String(column.sortValue?.(row) ?? '');
        return (
          <td
            key={column.key}
            className={`px-3 py-2 ${column.align === 'right' ? 'text-right tabular-nums' : ''} ${index === 0 ? 'font-medium' : ''}`}
          >
            {index === 0 && href ? <RowLink href={href}>{content || '(unnamed)'}</RowLink> : content}
            {index === 0 && note && <span className="ml-2 text-xs text-amber-800 dark:text-amber-300">({note})</span>}
          </td>
        );
      })}
    </tr>
  );
}) as <Row>(props: { row: Row; columns: readonly Column<Row>[]; href: string | undefined; note: string | null }) => ReactElement;

/**
 * A row's link: a plain anchor that the app router follows on a plain click (a new tab or window
 * opens as usual), prefetched when the user shows intent (pointer over it, keyboard focus, touch),
 * not when it scrolls into view. Not `next/link`: every keystroke in a list's search shows a new
 * page of rows, and each Link registered itself with the router's viewport observer on mount
 * (and off again on unmount), main-thread work on every keystroke for a prefetch this list never
 * makes; prefetching each row in view cost more time and requests than the search itself.
 */
function RowLink({ href, children }: { href: string; children: ReactNode }) {
  const router = useRouter();
  const prefetch = () => router.prefetch(href);
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.push(href);
  };
  return (
    <a
      href={href}
      onClick={open}
      onMouseEnter={prefetch}
      onFocus={prefetch}
      onTouchStart={prefetch}
      className="text-brand-600 hover:underline dark:text-brand-100"
    >
      {children}
    </a>
  );
}
