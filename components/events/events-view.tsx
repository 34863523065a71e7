'use client';

import { useCallback, useMemo, useState } from 'react';
import { ColumnChooser } from '@/components/data/column-chooser';
import { DataTable, type Column } from '@/components/data/data-table';
import { ExportButton, Pagination, SearchBox, Toolbar } from '@/components/data/list-controls';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { useEventPage, type SortDirection } from '@/hooks/use-event-page';
import { useQueryState, useSearchText } from '@/hooks/use-query-state';
import { downloadText, toCsv } from '@/lib/csv';
import type { EventRow, EventsClientSettings } from '@/lib/upstreams/events/client';
import { eventColumns } from '@/lib/upstreams/events/columns';
import { loadAllEvents } from '@/lib/upstreams/events/views';
import { cellText, defaultColumnKeys, withExtraColumns } from '@/lib/upstreams/record-columns';

const PAGE_SIZE = 25;

export function EventsView({ settings }: { settings: EventsClientSettings }) {
  const [query, setQuery] = useQueryState({ q: '', when: 'upcoming', dir: '', page: '1' });
  const writeSearch = useCallback((q: string) => setQuery({ q, page: '1' }, { replace: true }), [setQuery]);
  // The search goes to the server: it is written to the URL, and read, after a pause in typing.
  const [search, setSearch] = useSearchText(query.q, writeSearch, { writeAfterMs: 300 });
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<Error | null>(null);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const page = Math.max(1, Number(query.page) || 1);
  const when = query.when === 'past' ? 'past' : 'upcoming';
  // Soonest first for upcoming events, most recent first for past ones, unless the user flips it.
  const direction: SortDirection = query.dir === 'asc' || query.dir === 'desc' ? query.dir : when === 'past' ? 'desc' : 'asc';

  const list = useEventPage(settings, { when, direction, search: query.q, page, size: PAGE_SIZE });
  const rows = useMemo(() => list.data?.rows ?? [], [list.data]);
  const total = list.data?.total ?? 0;
  const pageCount = list.data?.pageCount ?? 1;

  const known = useMemo(() => eventColumns(settings.fieldMap), [settings.fieldMap]);
  const columns = useMemo(() => withExtraColumns(known, rows), [known, rows]);
  const visibleKeys = useMemo(() => chosen ?? defaultColumnKeys(known, rows), [chosen, known, rows]);
  const tableColumns = useMemo<Column<EventRow>[]>(
    () =>
      columns
        .filter((column) => visibleKeys.includes(column.key))
        .map((column) => ({
          key: column.key,
          header: column.header,
          align: column.kind === 'number' ? 'right' : 'left',
          // Sorted by the server (see useEventPage); sortValue only marks the column as sortable.
          sortValue: column.key === 'start' ? (row: EventRow) => row.startMs : undefined,
          render: (row: EventRow, display) => cellText(display, column, row),
        })),
    [columns, visibleKeys],
  );

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const all = await loadAllEvents({ settings, search: query.q }, { when, direction });
      const csvColumns = withExtraColumns(known, all.rows);
      downloadText(
        toCsv(all.rows, [
          { header: 'id', value: (row: EventRow) => row.id },
          ...csvColumns.map((column) => ({ header: column.header, value: (row: EventRow) => column.value(row) })),
        ]),
        `events-${when}.csv`,
      );
      if (all.incomplete) setExportError(new Error(`The file may be missing events: ${all.incomplete}`));
    } catch (error) {
      setExportError(error instanceof Error ? error : new Error('The export failed.'));
    } finally {
      setExporting(false);
    }
  };

  return (
    <div>
      <Toolbar>
        <SearchBox label="Search events" value={search} onChange={setSearch} placeholder="Event name or description" />
        <fieldset className="flex gap-1 rounded-lg border border-slate-300 p-1 text-sm dark:border-slate-700">
          <legend className="sr-only">Which events</legend>
          {(['upcoming', 'past'] as const).map((option) => (
            <label
              key={option}
              className={`cursor-pointer rounded-md px-3 py-1.5 font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500 ${when === option ? 'bg-brand-600 text-white' : ''}`}
            >
              <input
                type="radio"
                name="when"
                value={option}
                checked={when === option}
                onChange={() => setQuery({ when: option, dir: '', page: '1' })}
                className="sr-only"
              />
              {option === 'upcoming' ? 'Upcoming' : 'Past'}
            </label>
          ))}
        </fieldset>
        <ColumnChooser columns={columns} visible={visibleKeys} onChange={setChosen} />
        <ExportButton label="Export CSV" onExport={() => void exportCsv()} busy={exporting} disabled={list.data === undefined} />
      </Toolbar>
      {exportError && <ErrorState error={exportError} />}
      {list.data?.incomplete && (
        <p role="status" className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Some events may be missing: {list.data.incomplete}
        </p>
      )}
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.mutate()} />
      ) : list.data === undefined ? (
        <Skeleton />
      ) : total === 0 ? (
        <EmptyState title={query.q ? 'No events match this search' : when === 'upcoming' ? 'No upcoming events' : 'No past events'}>
          <p>{query.q ? 'Try other words, or clear the search.' : 'Switch between upcoming and past events above.'}</p>
        </EmptyState>
      ) : (
        <>
          {list.error?.busy && <ErrorState error={list.error} />}
          <DataTable
            caption={when === 'upcoming' ? 'Upcoming events' : 'Past events'}
            rows={rows}
            columns={tableColumns}
            rowKey={(row) => row.id}
            rowHref={(row) => `/events/${encodeURIComponent(row.id)}`}
            sort={{ key: 'start', direction }}
            onSort={() => setQuery({ dir: direction === 'asc' ? 'desc' : 'asc', page: '1' })}
            rowNote={(row) => row.malformed}
            busy={list.isLoading}
          />
          <Pagination page={page} pageCount={pageCount} total={total} onPage={(next) => setQuery({ page: String(next) })} noun="events" />
        </>
      )}
    </div>
  );
}
