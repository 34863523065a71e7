'use client';

import { useCallback, useEffect, useState } from 'react';
import { DataTable, type Column } from '@/components/data/data-table';
import { ExportButton, Pagination, SearchBox, Toolbar } from '@/components/data/list-controls';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { loadAllEvents, useEventPage, type SortDirection } from '@/hooks/use-event-page';
import { useQueryState, useSearchText } from '@/hooks/use-query-state';
import { downloadText, toCsv } from '@/lib/csv';
import { formatDateTime, formatNumber } from '@/lib/format';
import type { EventRow } from '@/lib/upstreams/events/schemas';

const PAGE_SIZE = 25;

const COLUMNS: Column<EventRow>[] = [
  { key: 'name', header: 'Event', render: (row) => row.event.name ?? '' },
  // Sorted by the server (see useEventPage); sortValue only marks the column as sortable.
  { key: 'start', header: 'Starts', sortValue: (row) => row.event.startDate ?? '', render: (row) => formatDateTime(row.event.startDate) },
  {
    key: 'venue',
    header: 'Venue',
    render: (row) =>
      row.event.isVirtual ? 'Online' : [row.event.venue?.name, row.event.venue?.city, row.event.venue?.state].filter(Boolean).join(', '),
  },
  { key: 'category', header: 'Category', render: (row) => row.event.category ?? '—' },
  {
    key: 'registrations',
    header: 'Registrations',
    align: 'right',
    render: (row) =>
      `${formatNumber(row.event.registrations)}${typeof row.event.capacity === 'number' ? ` / ${formatNumber(row.event.capacity)}` : ''}`,
  },
];

export function EventsView({ apiVersion }: { apiVersion: string }) {
  const [query, setQuery] = useQueryState({ q: '', when: 'upcoming', dir: '', page: '1' });
  const writeSearch = useCallback((q: string) => setQuery({ q, page: '1' }, { replace: true }), [setQuery]);
  const [search, setSearch, commitSearch] = useSearchText(query.q, writeSearch);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<Error | null>(null);
  const listUrl = `/api/events/api/${encodeURIComponent(apiVersion)}/event/list`;
  const page = Math.max(1, Number(query.page) || 1);
  const when = query.when === 'past' ? 'past' : 'upcoming';
  // Soonest first for upcoming events, most recent first for past ones, unless the user flips it.
  const direction: SortDirection = query.dir === 'asc' || query.dir === 'desc' ? query.dir : when === 'past' ? 'desc' : 'asc';

  // The search goes to the server; wait for a pause in typing.
  useEffect(() => {
    if (search === query.q) return;
    const timer = setTimeout(() => commitSearch(search), 300);
    return () => clearTimeout(timer);
  }, [search, query.q, commitSearch]);

  const list = useEventPage(listUrl, { when, direction, search: query.q, page, size: PAGE_SIZE });
  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
  const pageCount = list.data?.pageCount ?? 1;

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const all = await loadAllEvents({ url: listUrl, search: query.q }, { when, direction });
      downloadText(
        toCsv(all, [
          { header: 'id', value: (row) => row.event.id },
          { header: 'Name', value: (row) => row.event.name },
          { header: 'Starts', value: (row) => row.event.startDate },
          { header: 'Ends', value: (row) => row.event.endDate },
          { header: 'Time zone', value: (row) => row.event.timeZone },
          { header: 'Venue', value: (row) => (row.event.isVirtual ? 'Online' : row.event.venue?.name) },
          { header: 'City', value: (row) => row.event.venue?.city },
          { header: 'State', value: (row) => row.event.venue?.state },
          { header: 'Category', value: (row) => row.event.category },
          { header: 'Status', value: (row) => row.event.status },
          { header: 'Registrations', value: (row) => row.event.registrations },
          { header: 'Capacity', value: (row) => row.event.capacity },
        ]),
        `events-${when}.csv`,
      );
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
        <ExportButton label="Export CSV" onExport={() => void exportCsv()} busy={exporting} disabled={list.data === undefined} />
      </Toolbar>
      {exportError && <ErrorState error={exportError} />}
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
            columns={COLUMNS}
            rowKey={(row) => row.event.id}
            rowHref={(row) => `/events/${encodeURIComponent(row.event.id)}`}
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
