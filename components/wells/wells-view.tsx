'use client';

import { memo, useCallback, useDeferredValue, useMemo, useState } from 'react';
import { DataTable, type Column } from '@/components/data/data-table';
import { ExportButton, Pagination, SearchBox, SelectFilter, Toolbar } from '@/components/data/list-controls';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { WellsMap, type MapPoint } from '@/components/wells/wells-map';
import { targetPending } from '@/components/wells/wellview-target';
import { useQueryState, useSearchText } from '@/hooks/use-query-state';
import { useWells, useWellviewTarget } from '@/hooks/use-wellview';
import { downloadText, toCsv } from '@/lib/csv';
import { sortRows } from '@/lib/sort';
import { formatDate, formatNumber } from '@/lib/format';
import { defaultVisibleColumns, scalarText, type ColumnSpec } from '@/lib/upstreams/shared/field-map';
import { readPath } from '@/lib/upstreams/shared/paths';
import type { ClientSettings } from '@/lib/upstreams/shared/settings';
import type { WellviewTarget } from '@/lib/upstreams/wellview/target';
import { DEFAULT_WELL_COLUMNS, wellMapping, type WellRow } from '@/lib/upstreams/wellview/wells';

const PAGE_SIZE = 50;
/** Extra (unmapped) fields are column keys with this prefix and the field path after it. */
const FIELD_PREFIX = 'field:';
/** The detail page has the id; the list would only repeat it. */
const LIST_HIDDEN = new Set(['id']);

function knownColumn(spec: ColumnSpec): Column<WellRow> {
  const value = (row: WellRow) => row.values[spec.key] ?? null;
  return {
    key: spec.key,
    header: spec.label,
    align: spec.kind === 'number' ? 'right' : undefined,
    sortValue: (row) => value(row) ?? (spec.kind === 'number' ? null : ''),
    render:
      spec.kind === 'date'
        ? (row, display) => formatDate(display, value(row) as string | null)
        : spec.kind === 'number'
          ? (row, display) => formatNumber(display, value(row) as number | null)
          : spec.kind === 'coordinate'
            ? (row, display) => formatNumber(display, value(row) as number | null, 5)
            : undefined,
  };
}

function fieldColumn(path: string): Column<WellRow> {
  const text = (row: WellRow) => scalarText(readPath(row.raw, path)) ?? '';
  return { key: `${FIELD_PREFIX}${path}`, header: path, sortValue: text, render: text };
}

function distinct(rows: WellRow[], pick: (row: WellRow) => string | null): string[] {
  return [...new Set(rows.map(pick).filter((value): value is string => Boolean(value)))].sort();
}

interface WellFilters {
  status: string;
  operator: string;
  state: string;
}

/** The rows matching a search (each row's haystack is lower-cased once, when the list is read) and the filters, in their order. */
function filterWells(rows: readonly WellRow[], search: string, filters: WellFilters): WellRow[] {
  const needle = search.trim().toLowerCase();
  const { status, operator, state } = filters;
  if (!needle && !status && !operator && !state) return rows as WellRow[];
  // Typing on narrows the last result: a row that holds the longer text holds the shorter one too.
  const last = lastFilter.get(rows);
  const from =
    last && needle.includes(last.needle) && last.status === status && last.operator === operator && last.state === state ? last.result : rows;
  const filtered = from.filter(
    (row) =>
      (!needle || row.haystack.includes(needle)) &&
      (!status || row.well.status === status) &&
      (!operator || row.well.operator === operator) &&
      (!state || row.well.state === state),
  );
  // The same rows as the last result (typing on kept every row, or a key changed nothing): that
  // array again, so the page of rows, the map's points and the map itself skip their renders.
  const result = last && last.result.length === filtered.length && filtered.every((row, index) => row === last.result[index]) ? last.result : filtered;
  lastFilter.set(rows, { needle, status, operator, state, result });
  return result;
}

/** The last filter of each list, so the next keystroke can start from its result. */
const lastFilter = new WeakMap<readonly WellRow[], WellFilters & { needle: string; result: WellRow[] }>();

/** One map point per row, made once: the map gets the same objects on every keystroke. */
const mapPoints = new WeakMap<WellRow, MapPoint>();
function mapPointOf(row: WellRow): MapPoint {
  let point = mapPoints.get(row);
  if (!point) {
    const { well } = row;
    point = { id: well.id, name: well.name ?? well.id, lat: well.latitude ?? NaN, lon: well.longitude ?? NaN };
    mapPoints.set(row, point);
  }
  return point;
}

/**
 * The list's results: table, page count and map. Memoized, so the keystroke's own render (the
 * search box) skips it; it renders again only for the deferred search, a filter, a sort or a page.
 */
const WellsResults = memo(function WellsResults({
  ordered,
  search,
  status,
  operator,
  state,
  page: requestedPage,
  columns,
  sortKey,
  direction,
  onSort,
  onPage,
  targetQuery,
}: WellFilters & {
  ordered: readonly WellRow[];
  search: string;
  page: string;
  columns: readonly Column<WellRow>[];
  sortKey: string;
  direction: 'asc' | 'desc';
  onSort: (key: string) => void;
  onPage: (page: number) => void;
  targetQuery: string;
}) {
  const filtered = useMemo(
    () => filterWells(ordered, search, { status, operator, state }),
    [ordered, search, status, operator, state],
  );
  const pageCount = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, Number(requestedPage) || 1), pageCount);
  const pageRows = useMemo(() => filtered.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), [filtered, page]);
  const points = useMemo(() => filtered.map(mapPointOf), [filtered]);
  const sort = useMemo(() => ({ key: sortKey, direction }), [sortKey, direction]);
  return (
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
          rowKey={rowKey}
          rowHref={(row) => `/wells/${encodeURIComponent(row.well.id)}${targetQuery}`}
          sort={sort}
          onSort={onSort}
          rowNote={rowNote}
        />
      )}
      <Pagination page={page} pageCount={pageCount} total={filtered.length} onPage={onPage} noun="wells" />
      <WellsMap points={points} />
    </>
  );
});

/**
 * The column chooser. Memoized: React rewrites an input's `name` and `type` on every render, and
 * with a checkbox per field that was dozens of DOM writes on every keystroke in the search.
 */
const ColumnChooser = memo(function ColumnChooser({
  columns,
  knownCount,
  visible,
  onToggle,
}: {
  columns: readonly Column<WellRow>[];
  knownCount: number;
  visible: readonly string[];
  onToggle: (key: string, on: boolean) => void;
}) {
  return (
    <details className="relative text-sm">
      <summary className="cursor-pointer rounded-lg border border-slate-300 px-3 py-2 font-medium dark:border-slate-700">
        Columns
      </summary>
      <fieldset className="absolute right-0 z-10 mt-2 max-h-96 w-72 space-y-1 overflow-auto rounded-lg border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900">
        <legend className="sr-only">Visible columns</legend>
        {columns.map((column, index) => (
          <label
            key={column.key}
            className={`flex items-center gap-2 ${index === knownCount ? 'mt-2 border-t border-slate-200 pt-2 dark:border-slate-700' : ''}`}
          >
            <input
              type="checkbox"
              checked={column.key === 'name' || visible.includes(column.key)}
              disabled={column.key === 'name'}
              onChange={(event) => onToggle(column.key, event.target.checked)}
            />
            <span className={column.key.startsWith(FIELD_PREFIX) ? 'font-mono text-xs break-all' : ''}>{column.header}</span>
          </label>
        ))}
      </fieldset>
    </details>
  );
});

const rowKey = (row: WellRow) => row.well.id;
const rowNote = (row: WellRow) => row.malformed;

/**
 * The wells list. Its toolbar is always there; the data area shows discovery's outcome until the
 * target is known (the picker, what to configure, an error), then the list.
 */
export function WellsView({ settings }: { settings: ClientSettings }) {
  const target = useWellviewTarget(settings);
  const pending = targetPending(target, <Skeleton />);
  return (
    <WellsList
      target={pending === null ? target.target : null}
      settings={settings}
      targetQuery={target.targetQuery}
      pending={pending}
    />
  );
}

function WellsList({
  target,
  settings,
  targetQuery,
  pending,
}: {
  target: WellviewTarget | null;
  settings: ClientSettings;
  targetQuery: string;
  /** Shown instead of the data while the target is not known yet. */
  pending?: React.ReactNode;
}) {
  const [query, setQuery] = useQueryState({
    q: '',
    status: '',
    operator: '',
    state: '',
    sort: 'name',
    dir: 'asc',
    page: '1',
  });
  const writeSearch = useCallback((q: string) => setQuery({ q, page: '1' }, { replace: true }), [setQuery]);
  const [search, setSearch] = useSearchText(query.q, writeSearch);
  // The box shows each keystroke at once; the results (table, count, map) render from this
  // deferred copy, so a keystroke's frame never waits for them and a newer one interrupts them.
  const deferredSearch = useDeferredValue(search);
  const [chosenColumns, setChosenColumns] = useState<string[] | null>(null);
  const list = useWells(target, settings);
  const rows = useMemo(() => list.data?.rows ?? [], [list.data]);

  const known = useMemo(
    () => wellMapping(settings.wellview.fieldMap).columns.filter((spec) => !LIST_HIDDEN.has(spec.key)),
    [settings.wellview.fieldMap],
  );
  const allColumns = useMemo(
    () => [...known.map(knownColumn), ...(list.data?.fields ?? []).map(fieldColumn)],
    [known, list.data?.fields],
  );
  // Known columns empty on every row stay hidden until the user asks for them.
  const defaults = useMemo(
    () =>
      defaultVisibleColumns(
        DEFAULT_WELL_COLUMNS.filter((key) => !LIST_HIDDEN.has(key)),
        rows.map((row) => row.values),
      ),
    [rows],
  );
  const visible = chosenColumns ?? defaults;

  const options = useMemo(
    () => ({
      status: distinct(rows, (row) => row.well.status),
      operator: distinct(rows, (row) => row.well.operator),
      state: distinct(rows, (row) => row.well.state),
    }),
    [rows],
  );

  const direction = query.dir === 'desc' ? 'desc' : 'asc';
  // Sorted once per list and order; a keystroke only filters this (a filter keeps the order).
  const ordered = useMemo(() => {
    const column = allColumns.find((candidate) => candidate.key === query.sort) ?? allColumns[0];
    return sortRows(rows, column?.sortValue, direction);
  }, [rows, allColumns, query.sort, direction]);
  const shown = useMemo(
    () => [
      ...allColumns.filter((column) => column.key === 'name'),
      ...allColumns.filter((column) => column.key !== 'name' && visible.includes(column.key)),
    ],
    [allColumns, visible],
  );

  const onSort = useCallback(
    (key: string) =>
      setQuery((current) => ({
        sort: key,
        dir: current.sort === key && current.dir === 'asc' ? 'desc' : 'asc',
        page: '1',
      })),
    [setQuery],
  );
  const onPage = useCallback((next: number) => setQuery({ page: String(next) }), [setQuery]);
  // Stable, so the filters (memoized) skip the render of each keystroke in the search box.
  const onStatus = useCallback((status: string) => setQuery({ status, page: '1' }), [setQuery]);
  const onOperator = useCallback((operator: string) => setQuery({ operator, page: '1' }), [setQuery]);
  const onState = useCallback((state: string) => setQuery({ state, page: '1' }), [setQuery]);
  const toggleColumn = useCallback(
    (key: string, on: boolean) =>
      setChosenColumns((current) => {
        const base = current ?? defaults;
        return on ? [...base, key] : base.filter((candidate) => candidate !== key);
      }),
    [defaults],
  );
  // Every matching row (the list holds every page), every known column and the extra fields shown.
  const exportCsv = () =>
    downloadText(
      toCsv(filterWells(ordered, search, query), [
        { header: 'idwell', value: (row) => row.well.id },
        ...known.map((spec) => ({ header: spec.label, value: (row: WellRow) => row.values[spec.key] ?? '' })),
        ...allColumns
          .filter((column) => column.key.startsWith(FIELD_PREFIX) && visible.includes(column.key))
          .map((column) => ({
            header: column.header,
            value: (row: WellRow) => column.sortValue?.(row) ?? '',
          })),
      ]),
      'wells.csv',
    );

  return (
    <div>
      <Toolbar>
        <SearchBox
          label="Search wells"
          value={search}
          onChange={setSearch}
          placeholder="Name, UWI, operator or field"
        />
        <SelectFilter
          label="Status"
          value={query.status}
          options={options.status}
          onChange={onStatus}
        />
        <SelectFilter
          label="Operator"
          value={query.operator}
          options={options.operator}
          onChange={onOperator}
        />
        <SelectFilter
          label="State"
          value={query.state}
          options={options.state}
          onChange={onState}
        />
        <ColumnChooser columns={allColumns} knownCount={known.length} visible={visible} onToggle={toggleColumn} />
        <ExportButton label="Export CSV" onExport={exportCsv} disabled={list.data === undefined} />
      </Toolbar>

      {pending ? (
        pending
      ) : list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.mutate()} />
      ) : list.data === undefined ? (
        <Skeleton />
      ) : rows.length === 0 ? (
        <EmptyState title="No wells are visible to this account">
          <p>
            WellView hides every well whose security type (<code>sysSecurityTyp</code>) is set from the API
            account. An administrator can clear it on the wells that should be visible, or grant the API
            account admin access in WellView&apos;s configuration.
          </p>
        </EmptyState>
      ) : (
        <>
          {list.data.incomplete && (
            <p
              role="status"
              className="mb-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
            >
              Not every well could be read: {list.data.incomplete}
            </p>
          )}
          <WellsResults
            ordered={ordered}
            search={deferredSearch}
            status={query.status}
            operator={query.operator}
            state={query.state}
            // Until a new search reaches the URL (which resets the page), its results start on page 1.
            page={deferredSearch === query.q ? query.page : '1'}
            columns={shown}
            sortKey={query.sort}
            direction={direction}
            onSort={onSort}
            onPage={onPage}
            targetQuery={targetQuery}
          />
        </>
      )}
    </div>
  );
}
