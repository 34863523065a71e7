'use client';

import Link from 'next/link';
import { isNotFound } from '@/components/data/not-found';
import { RecordFields, type FieldGroup } from '@/components/data/record-fields';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { useDisplay } from '@/hooks/use-display';
import { useGatewayLoader } from '@/hooks/use-gateway';
import { formatValue } from '@/lib/upstreams/record-columns';
import { detailFields, type RecordFieldSpec, type ShapedRecord } from '@/lib/upstreams/record-model';

/** Prefix of the named fields' keys in the record handed to `RecordFields`. */
const NAMED = 'named§';

/** The detail page's sections: the specs' groups in first-seen order, each with its labelled fields. */
function groupsOf(specs: readonly RecordFieldSpec[]): FieldGroup[] {
  const groups = new Map<string, FieldGroup>();
  for (const spec of specs) {
    const group = groups.get(spec.group) ?? { title: spec.group, fields: [] };
    group.fields.push({ key: NAMED + spec.key, label: spec.label });
    groups.set(spec.group, group);
  }
  // The record's own bookkeeping (id, created, updated) reads best last.
  const record = groups.get(specs.find((spec) => spec.key === 'id')?.group ?? '');
  return [...[...groups.values()].filter((group) => group !== record), ...(record ? [record] : [])];
}

/**
 * One service-API record (a METI source, an event) loaded through its client and shown in labelled
 * sections, every other field it holds under "Other fields". An unknown id reads as "not found";
 * any other failure, including an answer in the wrong format, as an error with Retry.
 */
export function ShapedRecordView<Row extends ShapedRecord>({
  cacheKey,
  load,
  specs,
  fallbackTitle,
  back,
}: {
  cacheKey: readonly unknown[];
  load: () => Promise<Row>;
  specs: readonly RecordFieldSpec[];
  fallbackTitle: string;
  back: { href: string; label: string };
}) {
  const record = useGatewayLoader<Row>(cacheKey, load);
  const display = useDisplay();
  if (isNotFound(record.error)) {
    return (
      <EmptyState title="Not found">
        <p>It may have been removed, or it is not visible to your account.</p>
        <Link href={back.href} className="mt-3 inline-block text-brand-600 underline dark:text-brand-100">
          Back to {back.label}
        </Link>
      </EmptyState>
    );
  }
  if (record.error && !record.data) return <ErrorState error={record.error} onRetry={() => void record.mutate()} />;
  if (record.data === undefined) return <Skeleton rows={4} />;
  const shaped = record.data;
  const { rest } = detailFields(shaped, specs);
  // Named values are shown formatted, under keys no upstream field can take; the rest goes to
  // the value renderer as received.
  const fields: Record<string, unknown> = { ...rest };
  for (const spec of specs) fields[NAMED + spec.key] = shaped.values[spec.key] === null ? null : formatValue(display, shaped.values[spec.key] ?? null, spec.kind, spec.digits);
  const name = shaped.values.name;
  return (
    <div>
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">{typeof name === 'string' && name ? name : fallbackTitle}</h1>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        <Link href={back.href} className="underline">
          {back.label}
        </Link>
      </p>
      {shaped.malformed && (
        <p role="status" className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          This record does not match the expected format ({shaped.malformed}); its fields are shown as received.
        </p>
      )}
      <RecordFields record={fields} groups={groupsOf(specs)} />
    </div>
  );
}
