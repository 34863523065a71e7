import type { FieldKind, FieldValue, RecordFieldSpec, ShapedRecord } from '@/lib/upstreams/record-model';
import { DEFAULT_DISPLAY, type Display } from '@/lib/display/setting';
import { formatDate, formatDateTime, formatNumber } from '@/lib/format';

/**
 * The columns a list of service-API records can show: the record type's known columns, then one
 * per scalar field the rows actually hold beyond them. Known columns that are empty on every row
 * start hidden; extra fields start hidden and are a click away in the column chooser.
 */

export interface RecordColumn<Row extends ShapedRecord = ShapedRecord> {
  key: string;
  header: string;
  kind: FieldKind;
  digits?: number;
  /** The value sorting and the CSV use. */
  value: (row: Row) => FieldValue;
  /** The cell's text in a display setting, when it is not the formatted value (a composite such as "Location"). */
  text?: (row: Row, display: Display) => string;
  /** Shown before the user chooses, if any row has a value. */
  preferred: boolean;
  /** Comes from the data rather than the record type. */
  extra?: boolean;
}

/** Known columns from field specs, in spec order, with the spec's header and kind. */
export function specColumns<Row extends ShapedRecord>(specs: readonly RecordFieldSpec[]): RecordColumn<Row>[] {
  return specs.filter((spec) => spec.column).map((spec) => columnOf<Row>(spec, !spec.defaultHidden));
}

/** Known fields that are not list columns by default but can be picked (latitude, end date...). */
export function pickableColumns<Row extends ShapedRecord>(specs: readonly RecordFieldSpec[], except: readonly string[]): RecordColumn<Row>[] {
  const skip = new Set(except);
  return specs.filter((spec) => !spec.column && !skip.has(spec.key)).map((spec) => columnOf<Row>(spec, false));
}

function columnOf<Row extends ShapedRecord>(spec: RecordFieldSpec, preferred: boolean): RecordColumn<Row> {
  return {
    key: spec.key,
    header: spec.header ?? spec.label,
    kind: spec.kind,
    digits: spec.digits,
    value: (row: Row) => row.values[spec.key] ?? null,
    preferred,
  };
}

const MAX_EXTRA_COLUMNS = 80;

function kindOf(values: readonly FieldValue[]): FieldKind {
  const present = values.filter((value) => value !== null);
  if (present.length > 0 && present.every((value) => typeof value === 'number')) return 'number';
  if (present.length > 0 && present.every((value) => typeof value === 'boolean')) return 'boolean';
  return 'text';
}

/** The known columns, then one per extra scalar path the rows hold that none of them shows. */
export function withExtraColumns<Row extends ShapedRecord>(known: readonly RecordColumn<Row>[], rows: readonly Row[]): RecordColumn<Row>[] {
  return [...known, ...extraColumns(rows, new Set(known.map((column) => column.key)))];
}

/** One column per extra scalar path the rows hold, in first-seen order. */
export function extraColumns<Row extends ShapedRecord>(rows: readonly Row[], taken: ReadonlySet<string>): RecordColumn<Row>[] {
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const path of Object.keys(row.extras)) {
      if (seen.has(path) || taken.has(path)) continue;
      seen.add(path);
      paths.push(path);
      if (paths.length >= MAX_EXTRA_COLUMNS) break;
    }
    if (paths.length >= MAX_EXTRA_COLUMNS) break;
  }
  return paths.map((path) => ({
    key: path,
    header: path,
    kind: kindOf(rows.slice(0, 200).map((row) => row.extras[path] ?? null)),
    value: (row: Row) => row.extras[path] ?? null,
    preferred: false,
    extra: true,
  }));
}

/** True when the column has a value on at least one row. */
export function hasAnyValue<Row extends ShapedRecord>(column: RecordColumn<Row>, rows: readonly Row[]): boolean {
  return rows.some((row) => {
    // Only whether there is text matters here, and that does not depend on the locale.
    const value = column.text ? column.text(row, DEFAULT_DISPLAY) : column.value(row);
    return value !== null && value !== '';
  });
}

/**
 * The keys shown before the user chooses: preferred columns that hold a value on some row (all
 * preferred columns while there are no rows), and always the first column.
 */
export function defaultColumnKeys<Row extends ShapedRecord>(columns: readonly RecordColumn<Row>[], rows: readonly Row[]): string[] {
  return columns
    .filter((column, index) => index === 0 || (column.preferred && (rows.length === 0 || hasAnyValue(column, rows))))
    .map((column) => column.key);
}

/** A value as a cell shows it: numbers and dates in the display's setting, yes/no, a dash for nothing. */
export function formatValue(display: Display, value: FieldValue, kind: FieldKind, digits?: number): string {
  if (value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (kind === 'number' && typeof value === 'number') return formatNumber(display, value, digits ?? 2);
  if (kind === 'year') return String(value);
  if (kind === 'date' && typeof value === 'string') {
    // A date without a time is a calendar day: shown as that day (formatDate keeps it in UTC), not moved by the time zone.
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(display, value);
    return formatDateTime(display, value);
  }
  if (typeof value === 'number') return formatNumber(display, value, 6);
  return value;
}

/** A column's cell text for one row, in a display setting. */
export function cellText<Row extends ShapedRecord>(display: Display, column: RecordColumn<Row>, row: Row): string {
  if (column.text) return column.text(row, display) || '—';
  return formatValue(display, column.value(row), column.kind, column.digits);
}
