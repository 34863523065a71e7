'use client';

import { useCallback, useDeferredValue, useMemo } from 'react';
import { DataTable, type Column } from '@/components/data/data-table';
import { ExportButton, Pagination, SearchBox, SelectFilter, Toolbar } from '@/components/data/list-controls';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { useGateway } from '@/hooks/use-gateway';
import { useQueryState, useSearchText } from '@/hooks/use-query-state';
import { downloadText, toCsv } from '@/lib/csv';
import { sortRows } from '@/lib/sort';
import { formatNumber } from '@/lib/format';
import { toSourceRows, type SourceRow } from '@/lib/upstreams/meti/schemas';

const PAGE_SIZE = 25;

const COLUMNS: Column<SourceRow>[] = [
  { key: 'name', header: 'Source', sortValue: (row) => row.source.name ?? '' },
  { key: 'methodology', header: 'Methodology', sortValue: (row) => row.source.methodology ?? '' },
  { key: 'operator', header: 'Operator', sortValue: (row) => row.source.operator ?? '' },
  {
    key: 'region',
    header: 'Location',
    sortValue: (row) => [row.source.location?.region, row.source.location?.country].filter(Boolean).join(', '),
  },
  {
    key: 'co2e',
    header: 'CO₂e (t/yr)',
    align: 'right',
    sortValue: (row) => row.source.emissions?.co2eTonnesPerYear ?? null,
    render: (row) => formatNumber(row.source.emissions?.co2eTonnesPerYear),
  },
  {
    key: 'ch4',
    header: 'CH₄ (t/yr)',
    align: 'right',
    sortValue: (row) => row.source.emissions?.ch4TonnesPerYear ?? null,
    render: (row) => formatNumber(row.source.emissions?.ch4TonnesPerYear, 1),
  },
  { key: 'year', header: 'Year', align: 'right', sortValue: (row) => row.source.reportingYear ?? null },
];

export function SourcesView() {
  const [query, setQuery] = useQueryState({ q: '', methodology: '', sort: 'name', dir: 'asc', page: '1' });
  const writeSearch = useCallback((q: string) => setQuery({ q, page: '1' }, { replace: true }), [setQuery]);
  const [search, setSearch, commitSearch] = useSearchText(query.q, writeSearch);
  const deferredSearch = useDeferredValue(search);
  // The methodology filter is the API's own; the list of choices comes from the unfiltered data.
  const all = useGateway<unknown>('/api/meti/sources');
  const filteredByApi = useGateway<unknown>(
    query.methodology ? `/api/meti/sources?methodology=${encodeURIComponent(query.methodology)}` : null,
  );
  const source = query.methodology ? filteredByApi : all;
  const allRows = useMemo(() => toSourceRows(all.data), [all.data]);
  const rows = useMemo(() => toSourceRows(source.data), [source.data]);
  const methodologies = useMemo(
    () => [...new Set(allRows.map((row) => row.source.methodology).filter((value): value is string => Boolean(value)))].sort(),
    [allRows],
  );

  const visible = useMemo(() => {
    const needle = deferredSearch.trim().toLowerCase();
    const matches = needle ? rows.filter((row) => row.haystack.includes(needle)) : rows;
    const column = COLUMNS.find((candidate) => candidate.key === query.sort) ?? COLUMNS[0];
    return sortRows(matches, column?.sortValue, query.dir === 'desc' ? 'desc' : 'asc');
  }, [rows, deferredSearch, query.sort, query.dir]);

  const pageCount = Math.max(1, Math.ceil(visible.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, Number(query.page) || 1), pageCount);
  const exportCsv = () =>
    downloadText(
      toCsv(visible, [
        { header: 'id', value: (row) => row.source.id },
        ...COLUMNS.map((column) => ({ header: column.header, value: (row: SourceRow) => column.sortValue?.(row) ?? '' })),
        { header: 'N₂O (t/yr)', value: (row) => row.source.emissions?.n2oTonnesPerYear },
        { header: 'Latitude', value: (row) => row.source.location?.latitude },
        { header: 'Longitude', value: (row) => row.source.location?.longitude },
        { header: 'Status', value: (row) => row.source.status },
      ]),
      'emission-sources.csv',
    );

  return (
    <div>
      <Toolbar>
        <SearchBox
          label="Search sources"
          value={search}
          onChange={(value) => {
            setSearch(value);
            commitSearch(value);
          }}
          placeholder="Name, operator or location"
        />
        <SelectFilter
          label="Methodology"
          value={query.methodology}
          options={methodologies}
          onChange={(methodology) => setQuery({ methodology, page: '1' })}
        />
        <ExportButton label="Export CSV" onExport={exportCsv} disabled={source.data === undefined} />
      </Toolbar>
      {source.error && !source.data ? (
        <ErrorState error={source.error} onRetry={() => void source.mutate()} />
      ) : source.data === undefined ? (
        <Skeleton />
      ) : visible.length === 0 ? (
        <EmptyState title={rows.length === 0 ? 'No emission sources yet' : 'No sources match these filters'}>
          <p>{rows.length === 0 ? 'Sources registered in METI for your account appear here.' : 'Clear the search or the methodology filter.'}</p>
        </EmptyState>
      ) : (
        <>
          <DataTable
            caption="Emission sources"
            rows={visible.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)}
            columns={COLUMNS}
            rowKey={(row) => row.source.id}
            rowHref={(row) => `/sources/${encodeURIComponent(row.source.id)}`}
            sort={{ key: query.sort, direction: query.dir === 'desc' ? 'desc' : 'asc' }}
            onSort={(key) =>
              setQuery((current) => ({ sort: key, dir: current.sort === key && current.dir === 'asc' ? 'desc' : 'asc', page: '1' }))
            }
            rowNote={(row) => row.malformed}
          />
          <Pagination page={page} pageCount={pageCount} total={visible.length} onPage={(next) => setQuery({ page: String(next) })} noun="sources" />
        </>
      )}
    </div>
  );
}
