'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ReactNode } from 'react';

export interface Column<Row> {
  key: string;
  header: string;
  /** The cell's content; defaults to the sort value as text. */
  render?: (row: Row) => ReactNode;
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
          {rows.map((row) => {
            const note = rowNote?.(row) ?? null;
            return (
              <tr key={rowKey(row)} className={note ? 'bg-amber-50 dark:bg-amber-950/40' : 'hover:bg-slate-50 dark:hover:bg-slate-800/40'}>
                {columns.map((column, index) => {
                  const content = column.render ? column.render(row) : String(column.sortValue?.(row) ?? '');
                  return (
                    <td
                      key={column.key}
                      className={`px-3 py-2 ${column.align === 'right' ? 'text-right tabular-nums' : ''} ${index === 0 ? 'font-medium' : ''}`}
                    >
                      {index === 0 && rowHref ? (
                        <RowLink href={rowHref(row)}>{content || '(unnamed)'}</RowLink>
                      ) : (
                        content
                      )}
                      {index === 0 && note && <span className="ml-2 text-xs text-amber-800 dark:text-amber-300">({note})</span>}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A row's link, prefetched when the user shows intent (pointer over it, keyboard focus, touch),
 * not when it scrolls into view: every keystroke in a list's search shows a new page of rows,
 * and prefetching each of them cost more main-thread time and requests than the search itself.
 */
function RowLink({ href, children }: { href: string; children: ReactNode }) {
  const router = useRouter();
  const prefetch = () => router.prefetch(href);
  return (
    <Link
      href={href}
      prefetch={false}
      onMouseEnter={prefetch}
      onFocus={prefetch}
      onTouchStart={prefetch}
      className="text-brand-600 hover:underline dark:text-brand-100"
    >
      {children}
    </Link>
  );
}
