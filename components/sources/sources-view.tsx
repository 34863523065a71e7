'use client';

import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { ColumnChooser } from '@/components/data/column-chooser';
import { DataTable, type Column } from '@/components/data/data-table';
import { ExportButton, Pagination, SearchBox, SelectFilter, Toolbar } from '@/components/data/list-controls';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { useGatewayLoader } from '@/hooks/use-gateway';
import { useQueryState, useSearchText } from '@/hooks/use-query-state';
import { downloadText, toCsv } from '@/lib/csv';
import { sortRows } from '@/lib/sort';
import { sourcesKey } from '@/lib/upstreams/data-keys';
import { sourceColumns } from '@/lib/upstreams/meti/columns';
import { loadSources, type MetiClientSettings, type SourceRow } from '@/lib/upstreams/meti/client';
import { cellText, defaultColumnKeys, withExtraColumns, type RecordColumn } from '@/lib/upstreams/record-columns';

const PAGE_SIZE = 25;

function sortValue(column: RecordColumn<SourceRow>) {
  return (row: SourceRow) => {
    const value = column.value(row);
    return typeof value === 'boolean' ? (value ? 'Yes' : 'No') : value;
  };
}

export function SourcesView({ settings }: { settings: MetiClientSettings }) {
  const [query, setQuery] = useQueryState({ q: '', methodology: '', sort: 'name', dir: 'asc', page: '1' });
  const writeSearch = useCallback((q: string) => setQuery({ q, page: '1' }, { replace: true }), [setQuery]);
  const [search, setSearch] = useSearchText(query.q, writeSearch);
  const deferredSearch = useDeferredValue(search);
  const [chosen, setChosen] = useState<string[] | null>(null);

  // The methodology filter is METI's own; the list of choices comes from the unfiltered data.
  const all = useGatewayLoader(sourcesKey(settings, ''), () => loadSources(settings));
  const filteredByApi = useGatewayLoader(query.methodology ? sourcesKey(settings, query.methodology) : null, () =>
    loadSources(settings, { methodology: query.methodology }),
  );
  const source = query.methodology ? filteredByApi : all;
  const rows = useMemo(() => source.data?.rows ?? [], [source.data]);
  const methodologies = useMemo(
    () =>
      [...new Set((all.data?.rows ?? []).map((row) => row.values.methodology).filter((value): value is string => typeof value === 'string'))].sort(),
    [all.data],
  );

  const known = useMemo(() => sourceColumns(settings.fieldMap), [settings.fieldMap]);
  const columns = useMemo(() => withExtraColumns(known, rows), [known, rows]);
  const visibleKeys = useMemo(() => chosen ?? defaultColumnKeys(known, rows), [chosen, known, rows]);
  // One sort function per column, kept while the columns are (the sort caches keys by function).
  const sorters = useMemo(() => new Map(columns.map((column) => [column.key, sortValue(column)])), [columns]);
  const tableColumns = useMemo<Column<SourceRow>[]>(
    () =>
      columns
        .filter((column) => visibleKeys.includes(column.key))
        .map((column) => ({
          key: column.key,
          header: column.header,
          align: column.kind === 'number' || column.kind === 'year' ? 'right' : 'left',
          sortValue: sorters.get(column.key),
          render: (row: SourceRow, display) => cellText(display, column, row),
        })),
    [columns, visibleKeys, sorters],
  );

  const visible = useMemo(() => {
    const needle = deferredSearch.trim().toLowerCase();
    const matches = needle ? rows.filter((row) => row.haystack.includes(needle)) : rows;
    return sortRows(matches, sorters.get(query.sort) ?? sorters.get('name'), query.dir === 'desc' ? 'desc' : 'asc');
  }, [rows, deferredSearch, query.sort, query.dir, sorters]);

  const pageCount = Math.max(1, Math.ceil(visible.length / PAGE_SIZE));
  // Until a new search reaches the URL (which resets the page), its results start on page 1.
  const page = deferredSearch === query.q ? Math.min(Math.max(1, Number(query.page) || 1), pageCount) : 1;
  const exportCsv = () =>
    downloadText(
      toCsv(visible, [
        { header: 'id', value: (row: SourceRow) => row.id },
        ...columns.map((column) => ({ header: column.header, value: (row: SourceRow) => column.value(row) })),
      ]),
      'emission-sources.csv',
    );

  return (
    <div>
      <Toolbar>
        <SearchBox
          label="Search sources"
          value={search}
          onChange={setSearch}
          placeholder="Name, operator or location"
        />
        <SelectFilter
          label="Methodology"
          value={query.methodology}
          options={methodologies}
          onChange={(methodology) => setQuery({ methodology, page: '1' })}
        />
        <ColumnChooser columns={columns} visible={visibleKeys} onChange={setChosen} />
        <ExportButton label="Export CSV" onExport={exportCsv} disabled={source.data === undefined} />
      </Toolbar>
      {source.data?.incomplete && (
        <p role="status" className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Some sources may be missing: {source.data.incomplete}
        </p>
      )}
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
            columns={tableColumns}
            rowKey={(row) => row.id}
            rowHref={(row) => `/sources/${encodeURIComponent(row.id)}`}
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
