'use client';

import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { DataTable, type Column } from '@/components/data/data-table';
import { ExportButton, Pagination, SearchBox, SelectFilter, Toolbar } from '@/components/data/list-controls';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { WellsMap } from '@/components/wells/wells-map';
import { useGateway } from '@/hooks/use-gateway';
import { useQueryState, useSearchText } from '@/hooks/use-query-state';
import { useWellHeaders } from '@/hooks/use-well-headers';
import { downloadText, toCsv } from '@/lib/csv';
import { sortRows } from '@/lib/sort';
import { formatDate, formatNumber } from '@/lib/format';
import { toWellRows, wellviewUserSchema, type WellRow } from '@/lib/upstreams/wellview/schemas';

const PAGE_SIZE = 50;

interface WellviewTarget {
  orgUnit?: string;
  app?: string;
  version?: string;
}

const ALL_COLUMNS: Column<WellRow>[] = [
  { key: 'name', header: 'Well', sortValue: (row) => row.well.wellname ?? '' },
  { key: 'uwi', header: 'UWI', sortValue: (row) => row.well.wellida ?? '' },
  { key: 'operator', header: 'Operator', sortValue: (row) => row.well.operator ?? '' },
  { key: 'field', header: 'Field', sortValue: (row) => row.well.fieldname ?? '' },
  { key: 'state', header: 'State', sortValue: (row) => row.well.stateprov ?? '' },
  { key: 'status', header: 'Status', sortValue: (row) => row.well.currentwellstatus1 ?? '' },
  { key: 'type', header: 'Type', sortValue: (row) => row.well.welltyp1 ?? '' },
  {
    key: 'spud',
    header: 'Spud date',
    sortValue: (row) => row.well.dttmspud ?? '',
    render: (row) => formatDate(row.well.dttmspud),
  },
  {
    key: 'depth',
    header: 'Total depth (ft)',
    align: 'right',
    sortValue: (row) => row.well.totaldepth ?? null,
    render: (row) => formatNumber(row.well.totaldepth),
  },
];
const DEFAULT_COLUMNS = ['name', 'uwi', 'operator', 'field', 'state', 'status', 'spud'];

function distinct(rows: WellRow[], pick: (row: WellRow) => string | null | undefined): string[] {
  return [...new Set(rows.map(pick).filter((value): value is string => Boolean(value)))].sort();
}

/** Where the well headers live: configured, or the defaults WellView's /user reports. */
function useWellviewPath(configured: WellviewTarget) {
  const needsDiscovery = !(configured.orgUnit && configured.app && configured.version);
  const user = useGateway<unknown>(needsDiscovery ? '/api/wellview/user' : null);
  if (!needsDiscovery) return { path: `${configured.orgUnit}/${configured.app}/${configured.version}`, error: undefined };
  const parsed = wellviewUserSchema.safeParse(user.data);
  const defaults = parsed.success ? parsed.data.defaults : undefined;
  const orgUnit = configured.orgUnit ?? defaults?.orgUnit ?? parsed.data?.orgUnits?.[0]?.id;
  const app = configured.app ?? defaults?.app ?? parsed.data?.apps?.[0]?.name;
  const version = configured.version ?? defaults?.version ?? parsed.data?.apps?.[0]?.versions[0];
  return {
    path: orgUnit && app && version ? `${orgUnit}/${app}/${version}` : null,
    error: user.error,
    retry: () => void user.mutate(),
  };
}

export function WellsView({ target }: { target: WellviewTarget }) {
  const [query, setQuery] = useQueryState({ q: '', status: '', operator: '', state: '', sort: 'name', dir: 'asc', page: '1' });
  const writeSearch = useCallback((q: string) => setQuery({ q, page: '1' }, { replace: true }), [setQuery]);
  const [search, setSearch, commitSearch] = useSearchText(query.q, writeSearch);
  const deferredSearch = useDeferredValue(search);
  const [visible, setVisible] = useState<string[]>(DEFAULT_COLUMNS);
  const location = useWellviewPath(target);
  const list = useWellHeaders(location.path ? `/api/wellview/${location.path}/wellheader/data` : null);
  const rows = useMemo(() => toWellRows(list.data), [list.data]);

  const options = useMemo(
    () => ({
      status: distinct(rows, (row) => row.well.currentwellstatus1),
      operator: distinct(rows, (row) => row.well.operator),
      state: distinct(rows, (row) => row.well.stateprov),
    }),
    [rows],
  );

  const filtered = useMemo(() => {
    const needle = deferredSearch.trim().toLowerCase();
    return rows.filter(
      (row) =>
        (!needle || row.haystack.includes(needle)) &&
        (!query.status || row.well.currentwellstatus1 === query.status) &&
        (!query.operator || row.well.operator === query.operator) &&
        (!query.state || row.well.stateprov === query.state),
    );
  }, [rows, deferredSearch, query.status, query.operator, query.state]);

  const sorted = useMemo(() => {
    const column = ALL_COLUMNS.find((candidate) => candidate.key === query.sort) ?? ALL_COLUMNS[0];
    return sortRows(filtered, column?.sortValue, query.dir === 'desc' ? 'desc' : 'asc');
  }, [filtered, query.sort, query.dir]);

  const pageCount = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, Number(query.page) || 1), pageCount);
  const pageRows = sorted.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const mapPoints = useMemo(() => sorted.map(({ well }) => ({ id: well.idwell, name: well.wellname ?? well.idwell, lat: well.latitude ?? NaN, lon: well.longitude ?? NaN })), [sorted]);
  const columns = ALL_COLUMNS.filter((column) => visible.includes(column.key));

  const onSearch = (value: string) => {
    setSearch(value);
    commitSearch(value);
  };
  const onSort = (key: string) =>
    setQuery((current) => ({ sort: key, dir: current.sort === key && current.dir === 'asc' ? 'desc' : 'asc', page: '1' }));
  const exportCsv = () =>
    downloadText(
      toCsv(sorted, [
        { header: 'idwell', value: (row) => row.well.idwell },
        ...ALL_COLUMNS.map((column) => ({ header: column.header, value: (row: WellRow) => column.sortValue?.(row) ?? '' })),
        { header: 'Latitude', value: (row) => row.well.latitude },
        { header: 'Longitude', value: (row) => row.well.longitude },
      ]),
      'wells.csv',
    );

  const error = location.error ?? list.error;
  const loading = !error && (list.data === undefined || !location.path);

  return (
    <div>
      <Toolbar>
        <SearchBox label="Search wells" value={search} onChange={onSearch} placeholder="Name, UWI, operator or field" />
        <SelectFilter label="Status" value={query.status} options={options.status} onChange={(status) => setQuery({ status, page: '1' })} />
        <SelectFilter label="Operator" value={query.operator} options={options.operator} onChange={(operator) => setQuery({ operator, page: '1' })} />
        <SelectFilter label="State" value={query.state} options={options.state} onChange={(state) => setQuery({ state, page: '1' })} />
        <details className="relative text-sm">
          <summary className="cursor-pointer rounded-lg border border-slate-300 px-3 py-2 font-medium dark:border-slate-700">Columns</summary>
          <fieldset className="absolute right-0 z-10 mt-2 w-56 space-y-1 rounded-lg border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900">
            <legend className="sr-only">Visible columns</legend>
            {ALL_COLUMNS.map((column) => (
              <label key={column.key} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={visible.includes(column.key)}
                  disabled={column.key === 'name'}
                  onChange={(event) =>
                    setVisible((current) =>
                      event.target.checked ? [...current, column.key] : current.filter((key) => key !== column.key),
                    )
                  }
                />
                {column.header}
              </label>
            ))}
          </fieldset>
        </details>
        <ExportButton label="Export CSV" onExport={exportCsv} disabled={list.data === undefined} />
      </Toolbar>

      {error && !list.data ? (
        <ErrorState error={error} onRetry={() => void (location.retry?.() ?? list.mutate())} />
      ) : loading ? (
        <Skeleton />
      ) : rows.length === 0 ? (
        <EmptyState title="No wells are visible to this account">
          <p>
            WellView hides every well whose security type (<code>sysSecurityTyp</code>) is set from the API account.
            An administrator can clear it on the wells that should be visible, or grant the API account admin access
            in WellView&apos;s configuration.
          </p>
        </EmptyState>
      ) : (
        <>
          {filtered.length === 0 ? (
            <EmptyState title="No wells match these filters">
              <p>Clear the search or a filter to see more wells.</p>
            </EmptyState>
          ) : (
            <DataTable
              caption="Well headers"
              rows={pageRows}
              columns={columns}
              rowKey={(row) => row.well.idwell}
              rowHref={(row) => `/wells/${encodeURIComponent(row.well.idwell)}`}
              sort={{ key: query.sort, direction: query.dir === 'desc' ? 'desc' : 'asc' }}
              onSort={onSort}
              rowNote={(row) => row.malformed}
            />
          )}
          <Pagination page={page} pageCount={pageCount} total={sorted.length} onPage={(next) => setQuery({ page: String(next) })} noun="wells" />
          <WellsMap points={mapPoints} />
        </>
      )}
    </div>
  );
}
