'use client';

import Link from 'next/link';
import type { z } from 'zod';
import { RecordFields, type FieldGroup } from '@/components/data/record-fields';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { useGateway } from '@/hooks/use-gateway';
import type { GatewayError } from '@/lib/client/gateway-client';

/**
 * The record does not exist for this account. An id the gateway refuses as a path (one holding
 * `/`, `..` or `%`) cannot name a record either, so it reads as not found, not as a failure.
 */
export function isNotFound(error: GatewayError | undefined): boolean {
  return error?.status === 404 || error?.code === 'NOT_FOUND' || error?.code === 'INVALID_PATH';
}

/**
 * One record fetched through the gateway and shown grouped; a record that does not match its
 * schema is still shown, with a note; an unknown id reads as "not found".
 */
export function RemoteRecord({
  url,
  schema,
  groups,
  title,
  back,
  flatten = (record) => record,
}: {
  url: string;
  schema: z.ZodType;
  groups: FieldGroup[];
  title: (record: Record<string, unknown>) => string;
  back: { href: string; label: string };
  flatten?: (record: Record<string, unknown>) => Record<string, unknown>;
}) {
  const record = useGateway<unknown>(url);
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
  if (record.error) return <ErrorState error={record.error} onRetry={() => void record.mutate()} />;
  if (record.data === undefined) return <Skeleton rows={4} />;
  const raw = (record.data && typeof record.data === 'object' ? record.data : {}) as Record<string, unknown>;
  const valid = schema.safeParse(record.data).success;
  return (
    <div>
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">{title(raw)}</h1>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        <Link href={back.href} className="underline">
          {back.label}
        </Link>
      </p>
      {!valid && (
        <p role="status" className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          This record does not match the expected format; its fields are shown as received.
        </p>
      )}
      <RecordFields record={flatten(raw)} groups={groups} />
    </div>
  );
}

/** Lifts nested objects' fields to `parent.child` keys so every value has a row. */
export function flattenOnce(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [child, inner] of Object.entries(value)) out[`${key}.${child}`] = inner;
    } else {
      // Arrays stay whole: RecordFields renders them as lists, tables or charts (joining printed [object Object]).
      out[key] = value;
    }
  }
  return out;
}
