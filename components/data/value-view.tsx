import type { ReactNode } from 'react';
import { SeriesChart } from '@/components/data/series-chart';
import {
  detectSeries,
  isPlainObject,
  isScalar,
  LIST_ITEMS,
  LONG_STRING,
  MAX_DEPTH,
  safeJson,
  TABLE_COLUMNS,
  TABLE_ROWS,
  unionKeys,
  type PlainObject,
} from '@/components/data/value-shape';
import { useDisplay } from '@/hooks/use-display';
import { formatAnyNumber, formatParsedDate, humanizeKey, parseDateString, formatCount } from '@/lib/format';

const MUTED = 'text-slate-500 dark:text-slate-400';
const SUMMARY =
  'cursor-pointer text-sm text-brand-600 underline decoration-dotted underline-offset-2 dark:text-brand-100';
/** An object with more fields than this lists the first ones, and the rest behind "Show all". */
const OBJECT_FIELDS = 60;

/** "Show all": the whole value as JSON text, closed until asked for (one text node, cheap to render). */
function ShowAll({ summary, value }: { summary: string; value: unknown }) {
  return (
    <details className="mt-1">
      <summary className={SUMMARY}>{summary}</summary>
      <pre className="mt-1 max-h-96 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs dark:bg-slate-800">
        {safeJson(value)}
      </pre>
    </details>
  );
}

/** One scalar: numbers and dates formatted, the value as sent kept in `value`/`dateTime`/`title`. */
export function ScalarView({ value, name }: { value: unknown; name?: string }) {
  const display = useDisplay();
  if (value === null || value === undefined || value === '') return <span className={MUTED}>—</span>;
  if (typeof value === 'boolean') return <data value={String(value)}>{value ? 'Yes' : 'No'}</data>;
  if (typeof value === 'number') return <data value={String(value)}>{formatAnyNumber(display, value, name)}</data>;
  if (typeof value === 'bigint') return <data value={value.toString()}>{value.toString()}</data>;
  if (typeof value !== 'string') return <span>{safeJson(value)}</span>;
  const date = parseDateString(value);
  if (date) {
    return (
      <time dateTime={date.date.toISOString()} title={value}>
        {formatParsedDate(display, date)}
      </time>
    );
  }
  if (value.length <= LONG_STRING) return <span className="whitespace-pre-wrap">{value}</span>;
  return (
    <span>
      <span className="whitespace-pre-wrap">{value.slice(0, LONG_STRING)}…</span>
      <details className="mt-1">
        <summary className={SUMMARY}>Show all {formatCount(display, value.length)} characters</summary>
        <span className="mt-1 block max-h-96 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs dark:bg-slate-800">
          {value}
        </span>
      </details>
    </span>
  );
}

/** Arrays of objects as a small table: the union of their keys as columns, the first rows, a count. */
function ObjectTable({ rows, depth, limit = TABLE_ROWS, caption }: { rows: PlainObject[]; depth: number; limit?: number; caption?: string }) {
  const display = useDisplay();
  const keys = unionKeys(rows);
  const columns = keys.slice(0, TABLE_COLUMNS);
  const shown = rows.slice(0, limit);
  const hidden = rows.length - shown.length;
  return (
    <div>
      <div className="max-w-full overflow-x-auto">
        <table className="min-w-full border-collapse text-left text-xs">
          {caption && <caption className="sr-only">{caption}</caption>}
          <thead>
            <tr>
              {columns.map((key) => (
                <th key={key} scope="col" title={key} className="border-b border-slate-200 px-2 py-1 font-medium dark:border-slate-700">
                  {humanizeKey(key)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row, index) => (
              <tr key={index} className="border-b border-slate-100 align-top dark:border-slate-800">
                {columns.map((key) => (
                  <td key={key} className="px-2 py-1">
                    {Object.hasOwn(row, key) ? <ValueView value={row[key]} name={key} depth={depth + 1} /> : <span className={MUTED}>—</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(hidden > 0 || keys.length > columns.length) && (
        <ShowAll
          summary={
            hidden > 0
              ? `${formatCount(display, hidden)} more ${hidden === 1 ? 'row' : 'rows'}: show all ${formatCount(display, rows.length)}`
              : `${formatCount(display, keys.length - columns.length)} more columns: show all`
          }
          value={rows}
        />
      )}
    </div>
  );
}

function ArrayView({ items, name, depth }: { items: unknown[]; name?: string; depth: number }) {
  const display = useDisplay();
  if (items.length === 0) return <span className={MUTED}>None</span>;
  const label = name ? humanizeKey(name) : 'Values';
  const series = detectSeries(items);
  if (series) {
    return (
      <div>
        <SeriesChart series={series} label={label} />
        <details className="mt-1">
          <summary className={SUMMARY}>Show as a table</summary>
          <ObjectTable rows={items as PlainObject[]} depth={depth} limit={120} caption={label} />
        </details>
      </div>
    );
  }
  if (items.every(isPlainObject)) return <ObjectTable rows={items} depth={depth} caption={label} />;
  const shown = items.slice(0, LIST_ITEMS);
  const rest = items.slice(LIST_ITEMS);
  const scalars = items.every(isScalar);
  return (
    <div>
      <ul className={scalars ? 'list-inside list-disc space-y-0.5' : 'space-y-2'}>
        {shown.map((item, index) => (
          <li key={index}>
            <ValueView value={item} name={name} depth={depth + 1} />
          </li>
        ))}
      </ul>
      {rest.length > 0 && <ShowAll summary={`${formatCount(display, rest.length)} more: show them`} value={rest} />}
    </div>
  );
}

function ObjectView({ record, depth }: { record: PlainObject; depth: number }) {
  const display = useDisplay();
  const entries = Object.entries(record);
  if (entries.length === 0) return <span className={MUTED}>No fields</span>;
  const shown = entries.slice(0, OBJECT_FIELDS);
  const rest = entries.slice(OBJECT_FIELDS);
  return (
    <div>
      <dl className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-3 gap-y-1 border-l-2 border-slate-200 pl-3 dark:border-slate-700">
        {shown.map(([key, inner]) => (
          <div key={key} className="contents">
            <dt className={MUTED} title={key}>
              {humanizeKey(key)}
            </dt>
            <dd className="min-w-0 break-words">
              <ValueView value={inner} name={key} depth={depth + 1} />
            </dd>
          </div>
        ))}
      </dl>
      {rest.length > 0 && <ShowAll summary={`${formatCount(display, rest.length)} more fields: show them`} value={Object.fromEntries(rest)} />}
    </div>
  );
}

/**
 * Any value an API sent, shown for reading: nested objects as nested field lists, arrays of
 * scalars as lists, arrays of objects as a small table, numeric series as a chart with a table,
 * dates and numbers formatted. Deep nesting, long lists and long strings are cut with a "Show
 * all" that holds the whole value, so nothing is out of reach; it never throws.
 */
export function ValueView({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }): ReactNode {
  if (isScalar(value)) return <ScalarView value={value} name={name} />;
  if (typeof value !== 'object') return <span>{String(value)}</span>;
  if (depth >= MAX_DEPTH) {
    const size = Array.isArray(value) ? `${value.length} items` : `${Object.keys(value).length} fields`;
    return <ShowAll summary={`… (${size}): show`} value={value} />;
  }
  if (Array.isArray(value)) return <ArrayView items={value} name={name} depth={depth} />;
  return <ObjectView record={value as PlainObject} depth={depth} />;
}
