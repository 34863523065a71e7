import { GAS_LISTS, SOURCE_FIELDS } from '@/lib/upstreams/meti/fields';
import { asGatewayError, fetchAnswer } from '@/lib/upstreams/gateway-answer';
import {
  haystackOf,
  reshapeRecord,
  withOverrideSpecs,
  type FieldValue,
  type RecordFieldSpec,
  type ShapedRecord,
} from '@/lib/upstreams/record-model';
import { unwrapRecord } from '@/lib/upstreams/shared/envelope';
import type { FieldOverrides } from '@/lib/upstreams/shared/field-map';
import { fetchAllGatewayPages } from '@/lib/upstreams/shared/paging';
import { normalizeKey, readPath } from '@/lib/upstreams/shared/paths';
import type { UpstreamClientSettings } from '@/lib/upstreams/shared/settings';
import { toNumber } from '@/lib/upstreams/shared/values';

/**
 * The METI client every page, card, detail view and export uses: gateway URLs, envelope and
 * paging handling, and the reshape of a source into named values. Isomorphic (no `server-only`):
 * it runs in the browser on what the gateway returns.
 */

export const METI_SOURCE_NAME = 'METI';
const HINT = 'If this persists, check METI_API_BASE_URL (an administrator sets it), or try again later.';

/** What the browser needs to read METI: where the gateway mounts it, and the operator's field map. */
export interface MetiClientSettings extends UpstreamClientSettings {
  /** The gateway's upstream timeout (ms); the browser gives up a little after it. */
  timeoutMs?: number;
}

/** A source as the pages use it. */
export interface SourceRow extends ShapedRecord {
  /** Lower-cased text the search box matches: name, operator, methodology, region, country. */
  haystack: string;
}

const SEARCHED = ['name', 'operator', 'methodology', 'region', 'country'];

function prefix(settings: Pick<MetiClientSettings, 'gatewayPrefix'>): string {
  return settings.gatewayPrefix.replace(/\/+$/, '');
}

/** The gateway URL of the source list, with METI's own `methodology` filter. */
export function sourcesUrl(settings: Pick<MetiClientSettings, 'gatewayPrefix'>, filter: { methodology?: string } = {}): string {
  const query = filter.methodology ? `?methodology=${encodeURIComponent(filter.methodology)}` : '';
  return `${prefix(settings)}/sources${query}`;
}

/** The gateway URL of one source. */
export function sourceUrl(settings: Pick<MetiClientSettings, 'gatewayPrefix'>, id: string): string {
  return `${prefix(settings)}/sources/${encodeURIComponent(id)}`;
}

/** The specs in force: METI's fields plus any field the operator mapped by a new name. */
export function sourceSpecs(overrides?: FieldOverrides): readonly RecordFieldSpec[] {
  return withOverrideSpecs(SOURCE_FIELDS, overrides);
}

const GAS_NAMES: Record<string, readonly string[]> = GAS_LISTS.names;

/**
 * Emissions as a list of gases (`emissions: [{ gas: "CH4", tonnes: 12.5 }]`): the amount for
 * `co2e`, `ch4` or `n2o`, read from the entry that names that gas.
 */
function gasFromList(raw: Record<string, unknown>, spec: RecordFieldSpec): { value: FieldValue; path: string } | null {
  const names = GAS_NAMES[spec.key];
  if (!names) return null;
  for (const list of GAS_LISTS.lists) {
    const items = readPath(raw, list);
    if (!Array.isArray(items)) continue;
    for (const [index, item] of items.entries()) {
      if (!item || typeof item !== 'object') continue;
      const label = GAS_LISTS.nameKeys.map((key) => readPath(item, key)).find((value) => typeof value === 'string');
      if (typeof label !== 'string' || !names.includes(normalizeKey(label).replace(/[^a-z0-9]/g, ''))) continue;
      for (const key of GAS_LISTS.valueKeys) {
        const value = toNumber(readPath(item, key));
        if (value !== null) return { value, path: `${list}[${index}].${key}` };
      }
    }
  }
  return null;
}

/** One METI source in the page's terms; never throws, whatever `raw` is. */
export function reshapeSource(raw: unknown, options: { overrides?: FieldOverrides; index?: number } = {}): SourceRow {
  const shaped = reshapeRecord(raw, sourceSpecs(options.overrides), { ...options, fallback: gasFromList });
  return { ...shaped, haystack: haystackOf(shaped, SEARCHED) };
}

/** Every record of a list page as a source row. */
export function toSourceRows(records: readonly unknown[], overrides?: FieldOverrides): SourceRow[] {
  return records.map((raw, index) => reshapeSource(raw, { overrides, index }));
}

export interface SourceList {
  rows: SourceRow[];
  /** Why not every page could be read, in words; null when the list is complete. */
  incomplete: string | null;
}

/** Every source record as received, and why not every page was read (when not). */
export interface SourceRecords {
  records: unknown[];
  incomplete: string | null;
}

/** The list the pages use, made from the records as received (the server hands these to the browser). */
export function sourceListFromRecords(list: SourceRecords, settings: Pick<MetiClientSettings, 'fieldMap'>): SourceList {
  return { rows: toSourceRows(list.records, settings.fieldMap), incomplete: list.incomplete };
}

/**
 * Every source record matching the filter, as received, through every page METI's answer points
 * to (a bare array, `{ items, total }`, `{ value, "@odata.nextLink" }`, cursors, page numbers...).
 */
export async function loadSourceRecords(settings: MetiClientSettings, filter: { methodology?: string } = {}): Promise<SourceRecords> {
  try {
    const all = await fetchAllGatewayPages(
      sourcesUrl(settings, filter),
      (url) => fetchAnswer({ url, source: METI_SOURCE_NAME, timeoutMs: settings.timeoutMs, hint: HINT }),
      settings,
      { source: METI_SOURCE_NAME, maxPages: 500 },
    );
    return { records: all.records, incomplete: all.incomplete };
  } catch (error) {
    throw asGatewayError(error, HINT);
  }
}

/**
 * Every source matching the filter (every page). The pages search, sort and export in the
 * browser, so they need the whole list.
 */
export async function loadSources(settings: MetiClientSettings, filter: { methodology?: string } = {}): Promise<SourceList> {
  return sourceListFromRecords(await loadSourceRecords(settings, filter), settings);
}

/** One source by id (the record itself, or inside `{ data }`-style envelopes). */
export async function loadSource(settings: MetiClientSettings, id: string): Promise<SourceRow> {
  const body = await fetchAnswer({ url: sourceUrl(settings, id), source: METI_SOURCE_NAME, timeoutMs: settings.timeoutMs, hint: HINT });
  try {
    return reshapeSource(unwrapRecord(body, METI_SOURCE_NAME), { overrides: settings.fieldMap });
  } catch (error) {
    throw asGatewayError(error, HINT);
  }
}
