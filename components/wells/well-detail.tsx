'use client';

import Link from 'next/link';
import { RecordFields, type FieldGroup } from '@/components/data/record-fields';
import { isNotFound } from '@/components/data/not-found';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { TargetGate } from '@/components/wells/wellview-target';
import { useWell, useWellviewTarget } from '@/hooks/use-wellview';
import { resolveField } from '@/lib/upstreams/shared/field-map';
import { normalizeKey, parsePath } from '@/lib/upstreams/shared/paths';
import type { ClientSettings } from '@/lib/upstreams/shared/settings';
import type { WellviewTarget } from '@/lib/upstreams/wellview/target';
import { wellMapping, type WellRow } from '@/lib/upstreams/wellview/wells';

/** Known columns by group; keys are column keys of `WELL_COLUMNS`. */
const GROUPS: FieldGroup[] = [
  {
    title: 'Identity',
    fields: [
      { key: 'name', label: 'Name' },
      { key: 'uwi', label: 'UWI / API number' },
      { key: 'id', label: 'WellView id' },
      { key: 'operator', label: 'Operator' },
    ],
  },
  {
    title: 'Location',
    fields: [
      { key: 'field', label: 'Field' },
      { key: 'county', label: 'County' },
      { key: 'state', label: 'State / province' },
      { key: 'country', label: 'Country' },
      { key: 'latitude', label: 'Latitude', kind: 'number' },
      { key: 'longitude', label: 'Longitude', kind: 'number' },
    ],
  },
  {
    title: 'Status',
    fields: [
      { key: 'status', label: 'Current status' },
      { key: 'type', label: 'Well type' },
      { key: 'spud', label: 'Spud date', kind: 'date' },
      { key: 'depth', label: 'Total depth (ft)', kind: 'number' },
      { key: 'elevation', label: 'Elevation (ft)', kind: 'number' },
    ],
  },
  {
    title: 'Record',
    fields: [
      { key: 'created', label: 'Created', kind: 'date' },
      { key: 'modified', label: 'Last modified', kind: 'date' },
    ],
  },
];

/**
 * What the detail page shows: the known columns under their labels, then every field of the raw
 * record that no known column took (nested objects included, for "Other fields").
 */
function displayRecord(row: WellRow, settings: ClientSettings, id: string): Record<string, unknown> {
  const mapping = wellMapping(settings.wellview.fieldMap);
  const raw = row.raw && typeof row.raw === 'object' && !Array.isArray(row.raw) ? (row.raw as Record<string, unknown>) : {};
  const taken = new Set<string>();
  const known: Record<string, unknown> = {};
  for (const spec of mapping.columns) {
    const { value, path } = resolveField(raw, spec, mapping.overrides);
    known[spec.key] = value;
    const segments = path ? parsePath(path) : [];
    // A top-level field shown under its label is not repeated; nested objects stay whole below.
    if (segments.length === 1 && typeof segments[0] === 'string') {
      const own = Object.keys(raw).find((key) => normalizeKey(key) === normalizeKey(segments[0] as string));
      if (own) taken.add(own);
    }
  }
  const others = Object.fromEntries(Object.entries(raw).filter(([key]) => !taken.has(key) && !Object.hasOwn(known, key)));
  return { ...others, ...known, id: known.id ?? id };
}

export function WellDetail({ id, settings }: { id: string; settings: ClientSettings }) {
  const target = useWellviewTarget(settings);
  return (
    <TargetGate target={target} loading={<Skeleton rows={4} />}>
      {(resolved) => <WellRecord id={id} target={resolved} settings={settings} targetQuery={target.targetQuery} />}
    </TargetGate>
  );
}

function WellRecord({ id, target, settings, targetQuery }: { id: string; target: WellviewTarget; settings: ClientSettings; targetQuery: string }) {
  const record = useWell(target, id, settings);
  const back = `/wells${targetQuery}`;
  if (isNotFound(record.error)) {
    return (
      <EmptyState title="This well was not found">
        <p>It may not exist, or its security type hides it from the API account.</p>
        <Link href={back} className="mt-3 inline-block text-brand-600 underline dark:text-brand-100">
          Back to wells
        </Link>
      </EmptyState>
    );
  }
  if (record.error && !record.data) return <ErrorState error={record.error} onRetry={() => void record.mutate()} />;
  if (record.data === undefined) return <Skeleton rows={4} />;
  const row = record.data;
  return (
    <div>
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">{row.well.name ?? id}</h1>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        <Link href={back} className="underline">
          Wells
        </Link>{' '}
        / {row.well.uwi ?? id}
      </p>
      {row.malformed && (
        <p role="status" className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {row.malformed} Its fields are shown as received.
        </p>
      )}
      <RecordFields record={displayRecord(row, settings, id)} groups={GROUPS} />
    </div>
  );
}
