'use client';

import { useEffect, useState } from 'react';
import { DataTable, type Column } from '@/components/data/data-table';
import { ExportButton, Pagination, SearchBox, Toolbar } from '@/components/data/list-controls';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { useGateway } from '@/hooks/use-gateway';
import { useQueryState } from '@/hooks/use-query-state';
import { gatewayFetch } from '@/lib/client/gateway-client';
import { downloadText, toCsv } from '@/lib/csv';
import { formatDateTime, formatNumber } from '@/lib/format';
import { eventListQuery, eventListSchema, toEventRows, type EventRow } from '@/lib/upstreams/events/schemas';

const PAGE_SIZE = 25;

const COLUMNS: Column<EventRow>[] = [
  { key: 'name', header: 'Event', render: (row) => row.event.name ?? '' },
  { key: 'start', header: 'Starts', render: (row) => formatDateTime(row.event.startDate) },
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
  const [query, setQuery] = useQueryState({ q: '', when: 'upcoming', page: '1' });
  const [search, setSearch] = useState(query.q);
  const [exporting, setExporting] = useState(false);
  const listUrl = `/api/events/api/${encodeURIComponent(apiVersion)}/event/list`;
  const page = Math.max(1, Number(query.page) || 1);
  const upcoming = query.when !== 'past';

  // The search goes to the server; wait for a pause in typing.
  useEffect(() => {
    if (search === query.q) return;
    const timer = setTimeout(() => setQuery({ q: search, page: '1' }, { replace: true }), 300);
    return () => clearTimeout(timer);
  }, [search, query.q, setQuery]);

  const list = useGateway<unknown>([listUrl, eventListQuery({ page, pageSize: PAGE_SIZE, upcoming, search: query.q })]);
  const parsed = eventListSchema.safeParse(list.data);
  const rows = parsed.success ? toEventRows(parsed.data.data) : [];
  const total = parsed.success ? parsed.data.totalCount : 0;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));

  const exportCsv = async () => {
    setExporting(true);
    try {
      const all: EventRow[] = [];
      for (let next = 1; ; next += 1) {
        const answer = eventListSchema.parse(
          await gatewayFetch(listUrl, { method: 'POST', body: eventListQuery({ page: next, pageSize: 100, upcoming, search: query.q }) }),
        );
        all.push(...toEventRows(answer.data));
        if (answer.data.length === 0 || all.length >= answer.totalCount) break;
      }
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
        upcoming ? 'events-upcoming.csv' : 'events-past.csv',
      );
    } finally {
      setExporting(false);
    }
  };

  return (
    <div>
      <Toolbar>
        <SearchBox label="Search events" value={search} onChange={setSearch} placeholder="Event name or venue" />
        <fieldset className="flex gap-1 rounded-lg border border-slate-300 p-1 text-sm dark:border-slate-700">
          <legend className="sr-only">Which events</legend>
          {(['upcoming', 'past'] as const).map((when) => (
            <label
              key={when}
              className={`cursor-pointer rounded-md px-3 py-1.5 font-medium ${query.when === when || (when === 'upcoming' && upcoming) ? 'bg-brand-600 text-white' : ''}`}
            >
              <input
                type="radio"
                name="when"
                value={when}
                checked={when === 'upcoming' ? upcoming : !upcoming}
                onChange={() => setQuery({ when, page: '1' })}
                className="sr-only"
              />
              {when === 'upcoming' ? 'Upcoming' : 'Past'}
            </label>
          ))}
        </fieldset>
        <ExportButton label="Export CSV" onExport={() => void exportCsv()} busy={exporting || list.data === undefined} />
      </Toolbar>
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.mutate()} />
      ) : list.data === undefined ? (
        <Skeleton />
      ) : rows.length === 0 ? (
        <EmptyState title={query.q ? 'No events match this search' : upcoming ? 'No upcoming events' : 'No past events'}>
          <p>{query.q ? 'Try other words, or clear the search.' : 'Switch between upcoming and past events above.'}</p>
        </EmptyState>
      ) : (
        <>
          {list.error?.busy && <ErrorState error={list.error} />}
          <DataTable
            caption={upcoming ? 'Upcoming events' : 'Past events'}
            rows={rows}
            columns={COLUMNS}
            rowKey={(row) => row.event.id}
            rowHref={(row) => `/events/${encodeURIComponent(row.event.id)}`}
            rowNote={(row) => row.malformed}
          />
          <Pagination page={page} pageCount={pageCount} total={total} onPage={(next) => setQuery({ page: String(next) })} noun="events" />
        </>
      )}
    </div>
  );
}
