'use client';

import { memo, type ReactNode } from 'react';
import { useDisplay } from '@/hooks/use-display';
import { formatCount } from '@/lib/format';

/** The search box every list has: `<input type="search">` with a label that says "Search". */
export function SearchBox({
  label,
  value,
  onChange,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
}) {
  return (
    <label className="flex min-w-56 flex-1 flex-col gap-1 text-sm font-medium">
      {label}
      <input
        type="search"
        value={value}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
        className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal dark:border-slate-700 dark:bg-slate-900"
      />
    </label>
  );
}

/**
 * A filter's select. Memoized: a list's toolbar renders on every keystroke in its search box, and
 * a filter with dozens of options (operators) re-rendered each of them for nothing.
 */
export const SelectFilter = memo(function SelectFilter({
  label,
  value,
  options,
  onChange,
  allLabel = 'All',
}: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
  allLabel?: string;
}) {
  return (
    <label className="flex flex-col gap-1 text-sm font-medium">
      {label}
      <select
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal dark:border-slate-700 dark:bg-slate-900"
      >
        <option value="">{allLabel}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
});

export function Toolbar({ children }: { children: ReactNode }) {
  return <div className="mb-4 flex flex-wrap items-end gap-3">{children}</div>;
}

/**
 * The CSV export. `busy` while the file is being prepared; `disabled` while there is nothing
 * trustworthy to export (the list has not loaded), so a failed load never exports as "no rows".
 */
export function ExportButton({
  onExport,
  busy = false,
  disabled = false,
  label,
}: {
  onExport: () => void;
  busy?: boolean;
  disabled?: boolean;
  label: string;
}) {
  return (
    <button
      type="button"
      onClick={onExport}
      disabled={busy || disabled}
      className="rounded-lg border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800"
    >
      {busy ? 'Preparing CSV…' : label}
    </button>
  );
}

/** Page navigation with the totals spelled out. */
export function Pagination({
  page,
  pageCount,
  total,
  onPage,
  noun,
}: {
  page: number;
  pageCount: number;
  total: number;
  onPage: (page: number) => void;
  noun: string;
}) {
  const display = useDisplay();
  return (
    <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-slate-600 dark:text-slate-400" aria-live="polite">
        {formatCount(display, total)} {noun}
        {pageCount > 1 ? ` · page ${page} of ${pageCount}` : ''}
      </p>
      {pageCount > 1 && (
        <div className="flex gap-2">
          <button
            type="button"
            onClick={() => onPage(page - 1)}
            disabled={page <= 1}
            className="rounded-lg border border-slate-300 px-3 py-1.5 disabled:opacity-40 dark:border-slate-700"
          >
            Previous
          </button>
          <button
            type="button"
            onClick={() => onPage(page + 1)}
            disabled={page >= pageCount}
            className="rounded-lg border border-slate-300 px-3 py-1.5 disabled:opacity-40 dark:border-slate-700"
          >
            Next
          </button>
        </div>
      )}
    </nav>
  );
}
