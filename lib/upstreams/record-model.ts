import { isScalar, joinPath, normalizeKey, parsePath, readPath } from '@/lib/upstreams/shared/paths';
import type { FieldOverrides } from '@/lib/upstreams/shared/field-map';
import { toDate, toNumber, toText } from '@/lib/upstreams/shared/values';
import { dictionary, setOwn } from '@/lib/upstreams/shared/dictionary';

/**
 * Records of the service APIs (METI sources, Engagifii events) as pages show them: a list of
 * field specs with aliases turns any plausible upstream record into the same named values, and
 * every scalar the record holds beyond them stays reachable as an "extra" (columns, CSV,
 * detail pages). Pure and isomorphic: the browser runs it on gateway answers.
 */

export type FieldKind = 'text' | 'number' | 'date' | 'year' | 'boolean' | 'list';

/** One field a page shows, and the names it arrives under. */
export interface RecordFieldSpec {
  /** Our name for it: the column key, the CSV and detail label's anchor. */
  key: string;
  /** The label on detail pages. */
  label: string;
  /** The column header, when it differs from the label. */
  header?: string;
  /** The detail page's section. */
  group: string;
  kind: FieldKind;
  /** Paths tried in order (see `lib/upstreams/shared/paths.ts` for the syntax). */
  aliases: readonly string[];
  /** Offered as a list column. */
  column?: boolean;
  /** A column, but not shown until the user picks it. */
  defaultHidden?: boolean;
  /** Fraction digits when shown. */
  digits?: number;
}

/** A value a table cell, a sort and a CSV cell can use as it is. */
export type FieldValue = string | number | boolean | null;

export type { FieldOverrides };

export interface ShapedRecord {
  /** The record's id as text; `row-<n>` when it has none (then `malformed` says so). */
  id: string;
  /** Our fields, by spec key; `null` when the record holds no usable value. */
  values: Record<string, FieldValue>;
  /** The path each value was read from (as written in the alias or override). */
  paths: Record<string, string>;
  /** Every leaf path the named values show (a list field shows each of its items). */
  consumed: string[];
  /** Every other scalar in the record, by its path (`site.operatorCode`, `tags[0]`). */
  extras: Record<string, FieldValue>;
  /** Why the record is odd (not an object, no id), or null. */
  malformed: string | null;
  /** The record as received. */
  raw: unknown;
}

const MAX_DEPTH = 6;
const MAX_EXTRAS = 200;
const MAX_TEXT = 10_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where a wrapped value sits when a path names an object (`{ value, unit }`, `{ dateTime, timeZone }`, `{ name }`). */
const WRAPPED_KEYS: Record<FieldKind, readonly string[]> = {
  number: ['value', 'amount', 'quantity', 'total', 'tonnes'],
  date: ['dateTime', 'date', 'value', 'utc', 'iso'],
  year: ['year', 'value', 'start', 'from'],
  text: ['name', 'displayName', 'label', 'title', 'value', 'code'],
  boolean: ['value', 'enabled'],
  list: [],
};

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'online', 'virtual']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'in-person', 'inperson', 'offline']);

/** `value` as the spec's kind, or null when it is not one (so the next alias is tried). */
export function coerce(value: unknown, kind: FieldKind): FieldValue {
  if (value === undefined || value === null) return null;
  switch (kind) {
    case 'number':
      return toNumber(value);
    case 'date': {
      const date = toDate(value);
      if (date !== null || typeof value !== 'string' || value.trim() === '' || value.length > 60) return date;
      // Forms the strict reader leaves out ("Dec 3, 2026 2:00 PM") still read when the engine can.
      const parsed = Date.parse(value);
      return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
    }
    case 'year': {
      const inner = value;
      const number = toNumber(inner);
      if (number !== null) return Number.isInteger(number) && number >= 1000 && number <= 9999 ? number : null;
      if (typeof inner !== 'string') return null;
      const match = /(?:^|\D)(\d{4})(?:\D|$)/.exec(inner);
      return match ? Number(match[1]) : null;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const text = toText(value)?.trim().toLowerCase();
      if (text === undefined) return null;
      if (TRUE_WORDS.has(text)) return true;
      if (FALSE_WORDS.has(text)) return false;
      return null;
    }
    case 'list': {
      if (Array.isArray(value)) {
        const items = value
          .map((item) => toText(isObject(item) ? WRAPPED_KEYS.text.map((key) => readPath(item, key)).find(isScalar) : item))
          .filter((item): item is string => Boolean(item));
        return items.length > 0 ? clip(items.join(', ')) : null;
      }
      const text = toText(value);
      return text && text.trim() ? clip(text) : null;
    }
    case 'text': {
      const text = toText(value);
      return text !== null && text.trim() !== '' ? clip(text) : null;
    }
  }
}

/** A path in a form where two spellings of one key compare equal (`Location.Country` ≡ `location.country`). */
export function pathIdentity(path: string): string {
  return parsePath(path)
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : normalizeKey(segment)))
    .join('.');
}

/** Every scalar leaf of `value` with its path, depth- and count-limited (arrays of scalars included). */
export function scalarLeaves(value: unknown, limit = MAX_EXTRAS): [string, FieldValue][] {
  const out: [string, FieldValue][] = [];
  const visit = (node: unknown, path: string, depth: number) => {
    if (out.length >= limit) return;
    if (isScalar(node)) {
      if (path !== '') out.push([path, typeof node === 'bigint' ? String(node) : typeof node === 'string' ? clip(node) : node]);
      return;
    }
    if (depth >= MAX_DEPTH || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      node.slice(0, 20).forEach((item, index) => visit(item, joinPath(path, index), depth + 1));
      return;
    }
    for (const [key, inner] of Object.entries(node)) visit(inner, joinPath(path, key), depth + 1);
  };
  visit(value, '', 0);
  return out;
}

export interface ReshapeOptions {
  overrides?: FieldOverrides;
  /** The record's position, for a stable stand-in id. */
  index?: number;
  /** Extra resolution after the aliases fail (e.g. METI's list of gases). */
  fallback?: (raw: Record<string, unknown>, spec: RecordFieldSpec) => { value: FieldValue; path: string } | null;
}

/** A field's value, the path it came from, and every leaf path it shows (a list shows several). */
export interface ResolvedValue {
  value: FieldValue;
  path: string;
  consumed: string[];
}

/** The leaves a list value was built from: scalar items, or the name-like key of object items. */
function listLeaves(items: readonly unknown[], path: string): string[] {
  return items.flatMap((item, index) => {
    const at = joinPath(path, index);
    if (!isObject(item)) return isScalar(item) ? [at] : [];
    const key = WRAPPED_KEYS.text.find((candidate) => isScalar(readPath(item, candidate)));
    return key ? [joinPath(at, key)] : [];
  });
}

/**
 * The value of one field: the operator's path when there is one (it alone is read, so it wins
 * even where an alias would match), otherwise each alias in turn.
 */
export function resolveField(
  raw: Record<string, unknown>,
  spec: RecordFieldSpec,
  options: ReshapeOptions = {},
): ResolvedValue | null {
  const override = options.overrides?.[spec.key];
  const paths = override ? [override] : spec.aliases;
  for (const path of paths) {
    const found = readPath(raw, path);
    if (isObject(found)) {
      // An object where a value was expected: the value it wraps, read from its own path.
      for (const key of WRAPPED_KEYS[spec.kind]) {
        const value = coerce(readPath(found, key), spec.kind);
        if (value !== null) return { value, path: joinPath(path, key), consumed: [joinPath(path, key)] };
      }
      continue;
    }
    const value = coerce(found, spec.kind);
    if (value !== null) return { value, path, consumed: Array.isArray(found) ? listLeaves(found, path) : [path] };
  }
  const fallback = override ? null : (options.fallback?.(raw, spec) ?? null);
  return fallback && { ...fallback, consumed: [fallback.path] };
}

/**
 * The specs plus one text field per operator override that names a field the specs lack, so an
 * operator can bring any field forward (`basin=site.basin`).
 */
export function withOverrideSpecs(specs: readonly RecordFieldSpec[], overrides?: FieldOverrides): readonly RecordFieldSpec[] {
  const known = new Set(specs.map((spec) => spec.key));
  const extra = Object.entries(overrides ?? {})
    .filter(([key]) => !known.has(key))
    .map(([key, path]): RecordFieldSpec => ({ key, label: key, group: 'Mapped fields', kind: 'text', aliases: [path], column: true }));
  return extra.length > 0 ? [...specs, ...extra] : specs;
}

/**
 * One upstream record in the page's terms. Never throws: a record that is not an object, has
 * no id, or holds values of the wrong type still gives a row (with a note), and every scalar it
 * holds is either a named value or an extra.
 */
export function reshapeRecord(raw: unknown, specs: readonly RecordFieldSpec[], options: ReshapeOptions = {}): ShapedRecord {
  const index = options.index ?? 0;
  const values = dictionary<FieldValue>();
  const paths = dictionary<string>();
  if (!isObject(raw)) {
    for (const spec of specs) values[spec.key] = null;
    const text = dictionary<FieldValue>();
    if (isScalar(raw) && raw !== null) text.value = clip(String(raw));
    else for (const [path, value] of scalarLeaves(raw)) text[path] = value;
    return { id: `row-${index + 1}`, values, paths, consumed: [], extras: text, malformed: 'not a record', raw };
  }
  const used = new Set<string>();
  const consumed: string[] = [];
  for (const spec of specs) {
    const found = resolveField(raw, spec, options);
    values[spec.key] = found?.value ?? null;
    if (found) {
      paths[spec.key] = found.path;
      for (const path of found.consumed) {
        consumed.push(path);
        used.add(pathIdentity(path));
      }
    }
  }
  const extras = dictionary<FieldValue>();
  for (const [path, value] of scalarLeaves(raw)) {
    if (!used.has(pathIdentity(path))) extras[path] = value;
  }
  const id = values.id;
  const hasId = id !== null && id !== undefined && String(id) !== '';
  return {
    id: hasId ? String(id) : `row-${index + 1}`,
    values,
    paths,
    consumed,
    extras,
    malformed: hasId ? null : 'no id',
    raw,
  };
}

/**
 * The record for a detail page: `named` holds our fields by spec key; `rest` everything else the
 * record holds as received (nested objects and arrays intact, for the value renderer), minus
 * the leaves already shown under a label. Kept apart so a raw key that happens to share a
 * spec's name (`id: [..]` that was not usable as an id) is never hidden by it.
 */
export function detailFields(shaped: ShapedRecord, specs: readonly RecordFieldSpec[]): { named: Record<string, FieldValue>; rest: Record<string, unknown> } {
  const named = dictionary<FieldValue>();
  for (const spec of specs) named[spec.key] = shaped.values[spec.key] ?? null;
  if (!isObject(shaped.raw)) return { named, rest: { ...shaped.extras } };
  const used = new Set(shaped.consumed.map(pathIdentity));
  const rest = withoutPaths(shaped.raw, '', used, 0);
  return { named, rest: isObject(rest) ? rest : {} };
}

function withoutPaths(value: unknown, path: string, used: Set<string>, depth: number): unknown {
  if (path !== '' && used.has(pathIdentity(path))) return undefined;
  if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    // Arrays keep their shape (a series stays a series) unless every item was shown elsewhere.
    const kept = value.map((item, index) => withoutPaths(item, joinPath(path, index), used, depth + 1));
    return kept.every((item) => item === undefined) && value.length > 0 ? undefined : value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const kept = withoutPaths(inner, joinPath(path, key), used, depth + 1);
    if (kept !== undefined) setOwn(out, key, kept);
  }
  return Object.keys(out).length === 0 && Object.keys(value).length > 0 ? undefined : out;
}

/** The text a search box matches: the named text values, lower-cased. */
export function haystackOf(shaped: ShapedRecord, keys: readonly string[]): string {
  return keys
    .map((key) => shaped.values[key])
    .filter((value): value is string => typeof value === 'string')
    .join(' ')
    .toLowerCase();
}
