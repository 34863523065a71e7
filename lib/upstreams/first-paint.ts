/**
 * What a page's server render hands to the browser so its client components start with data: SWR
 * seeds keyed exactly as the hooks fetch (`data-keys.ts`). Well and source lists travel as the
 * records received (the browser reshapes them as its own fetch would have), not as rows: a row
 * holds each record two more times (mapped values, the well's fields), which for 5,000 wells
 * would triple the page. Pure and isomorphic.
 */
import { unstable_serialize } from 'swr';
import { sourceListFromRecords, type SourceRecords } from '@/lib/upstreams/meti/client';
import type { FieldOverrides } from '@/lib/upstreams/shared/field-map';
import { wellListFromRecords, type WellRecords } from '@/lib/upstreams/wellview/client';

export type SeedEntry =
  /** Data exactly as the hook's loader returns it. */
  | { kind: 'value'; key: readonly unknown[]; value: unknown }
  /** `fetchWells`' answer, as the records it reads. */
  | { kind: 'wells'; key: readonly unknown[]; list: WellRecords; fieldMap: FieldOverrides }
  /** `loadSources`' answer, as the records it reads. */
  | { kind: 'sources'; key: readonly unknown[]; list: SourceRecords; fieldMap: FieldOverrides };

export interface FirstPaintData {
  entries: SeedEntry[];
  /**
   * The server's reads set newer session cookies than the browser sent (a refresh during the
   * render, or the idle timer moved): the browser should ask for them.
   */
  sessionStale: boolean;
}

/** The value a hook's loader would have returned for one seed. */
export function seedValue(entry: SeedEntry): unknown {
  switch (entry.kind) {
    case 'value':
      return entry.value;
    case 'wells':
      return wellListFromRecords(entry.list, entry);
    case 'sources':
      return sourceListFromRecords(entry.list, entry);
  }
}

/** SWR's `fallback`: each seed's value under its serialized key. */
export function fallbackOf(entries: readonly SeedEntry[]): Record<string, unknown> {
  return Object.fromEntries(entries.map((entry) => [unstable_serialize(entry.key), seedValue(entry)]));
}
