/**
 * Field paths into upstream records: `location.country`, `coordinates[0]`, `geometry.coordinates.1`,
 * `["odd.key"].value`. Reading is tolerant of naming style: a segment also matches a key that
 * differs only in case, `_`, `-` or spaces (camelCase, snake_case, PascalCase, lower case).
 * Pure and isomorphic: used by the server and in the browser.
 */

/** One step of a path: an object key or an array position. */
export type PathSegment = string | number;

const parsedPaths = new Map<string, PathSegment[]>();
const MAX_PARSED_PATHS = 2000;

/** Splits a path into segments; `[n]` is an index, `["key"]` a key that may contain dots. */
export function parsePath(path: string): PathSegment[] {
  const cached = parsedPaths.get(path);
  if (cached) return cached;
  const segments: PathSegment[] = [];
  let index = 0;
  let current = '';
  const flush = () => {
    if (current !== '') segments.push(current);
    current = '';
  };
  while (index < path.length) {
    const char = path[index] as string;
    if (char === '.') {
      flush();
      index += 1;
    } else if (char === '[') {
      const close = findClose(path, index);
      if (close === -1) {
        current += char;
        index += 1;
        continue;
      }
      flush();
      const inner = path.slice(index + 1, close);
      if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else if (inner.startsWith('"')) segments.push(safeJsonString(inner));
      else segments.push(inner);
      index = close + 1;
    } else {
      current += char;
      index += 1;
    }
  }
  flush();
  if (parsedPaths.size >= MAX_PARSED_PATHS) parsedPaths.clear();
  parsedPaths.set(path, segments);
  return segments;
}

function findClose(path: string, open: number): number {
  if (path[open + 1] !== '"') return path.indexOf(']', open);
  // A quoted key: skip escaped characters until the closing quote, then expect `]`.
  for (let index = open + 2; index < path.length; index += 1) {
    if (path[index] === '\\') index += 1;
    else if (path[index] === '"') return path[index + 1] === ']' ? index + 1 : -1;
  }
  return -1;
}

function safeJsonString(text: string): string {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : text;
  } catch {
    return text;
  }
}

/** The path of `key` appended to `parent`, quoted when the key would not read back plainly. */
export function joinPath(parent: string, key: PathSegment): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const plain = /^[A-Za-z_$@][\w$@-]*$/.test(key) && !/^\d+$/.test(key);
  if (!plain) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

const normalized = new Map<string, string>();

/** `spudDate`, `spud_date`, `SpudDate`, `SPUD-DATE` all normalise to `spuddate`. */
export function normalizeKey(key: string): string {
  let out = normalized.get(key);
  if (out === undefined) {
    out = key.toLowerCase().replace(/[\s_-]+/g, '');
    // Keys repeat across thousands of records: remember them, within bounds.
    if (normalized.size >= 10_000) normalized.clear();
    if (key.length <= 200) normalized.set(key, out);
  }
  return out;
}

const keyIndexes = new WeakMap<object, Map<string, string>>();

/** The object's own key that matches `segment` ignoring naming style, if any. */
function tolerantKey(object: Record<string, unknown>, segment: string): string | undefined {
  if (Object.hasOwn(object, segment)) return segment;
  let index = keyIndexes.get(object);
  if (!index) {
    index = new Map();
    for (const key of Object.keys(object)) {
      const normal = normalizeKey(key);
      if (!index.has(normal)) index.set(normal, key);
    }
    keyIndexes.set(object, index);
  }
  return index.get(normalizeKey(segment));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function step(value: unknown, segment: PathSegment, tolerant: boolean): unknown {
  if (Array.isArray(value)) {
    const position =
      typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : Number.NaN;
    return Number.isInteger(position) && position < value.length ? value[position] : undefined;
  }
  if (!isObject(value)) return undefined;
  const key = String(segment);
  if (!tolerant) return Object.hasOwn(value, key) ? value[key] : undefined;
  const found = tolerantKey(value, key);
  return found === undefined ? undefined : value[found];
}

function walk(value: unknown, segments: readonly PathSegment[], tolerant: boolean): unknown {
  let current = value;
  for (const segment of segments) {
    current = step(current, segment, tolerant);
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * The value at `path` in `record`, or `undefined`. The exact path is tried first (so a path that
 * {@link scalarFields} reported always reads back its own value), then the naming-tolerant one,
 * then the whole path as one literal key (`@odata.nextLink`).
 */
export function readPath(record: unknown, path: string): unknown {
  if (path === '') return record;
  const segments = parsePath(path);
  const exact = walk(record, segments, false);
  if (exact !== undefined) return exact;
  const tolerant = walk(record, segments, true);
  if (tolerant !== undefined) return tolerant;
  if (isObject(record) && segments.length > 1) {
    const literal = tolerantKey(record, path);
    if (literal !== undefined) return record[literal];
  }
  return undefined;
}

/** A value a table cell can show as it is. */
export type Scalar = string | number | boolean | bigint | null;

/** True for strings, finite or infinite numbers, booleans, null (and bigints, shown as text). */
export function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}
