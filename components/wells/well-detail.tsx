'use client';

import Link from 'next/link';
import { RecordFields, type FieldGroup } from '@/components/data/record-fields';
import { isNotFound } from '@/components/data/remote-record';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { useGateway } from '@/hooks/use-gateway';
import { wellHeaderSchema, wellviewUserSchema } from '@/lib/upstreams/wellview/schemas';

const GROUPS: FieldGroup[] = [
  {
    title: 'Identity',
    fields: [
      { key: 'wellname', label: 'Name' },
      { key: 'wellida', label: 'UWI / API number' },
      { key: 'idwell', label: 'WellView id' },
      { key: 'operator', label: 'Operator' },
    ],
  },
  {
    title: 'Location',
    fields: [
      { key: 'fieldname', label: 'Field' },
      { key: 'county', label: 'County' },
      { key: 'stateprov', label: 'State / province' },
      { key: 'country', label: 'Country' },
      { key: 'latitude', label: 'Latitude', kind: 'number' },
      { key: 'longitude', label: 'Longitude', kind: 'number' },
    ],
  },
  {
    title: 'Status',
    fields: [
      { key: 'currentwellstatus1', label: 'Current status' },
      { key: 'welltyp1', label: 'Well type' },
      { key: 'dttmspud', label: 'Spud date', kind: 'date' },
      { key: 'totaldepth', label: 'Total depth (ft)', kind: 'number' },
      { key: 'elevation', label: 'Elevation (ft)', kind: 'number' },
    ],
  },
  {
    title: 'Record',
    fields: [
      { key: 'sysSecurityTyp', label: 'Security type' },
      { key: 'sysCreateDate', label: 'Created', kind: 'date' },
      { key: 'sysModDate', label: 'Last modified', kind: 'date' },
    ],
  },
];

export function WellDetail({ id, target }: { id: string; target: { orgUnit?: string; app?: string; version?: string } }) {
  const discover = !(target.orgUnit && target.app && target.version);
  const user = useGateway<unknown>(discover ? '/api/wellview/user' : null);
  const defaults = wellviewUserSchema.safeParse(user.data).data?.defaults;
  const orgUnit = target.orgUnit ?? defaults?.orgUnit;
  const app = target.app ?? defaults?.app;
  const version = target.version ?? defaults?.version;
  const path = orgUnit && app && version ? `/api/wellview/${orgUnit}/${app}/${version}/wellheader/data/${encodeURIComponent(id)}` : null;
  const record = useGateway<unknown>(path);
  const error = user.error ?? record.error;

  if (isNotFound(error)) {
    return (
      <EmptyState title="This well was not found">
        <p>It may not exist, or its security type hides it from the API account.</p>
        <Link href="/wells" className="mt-3 inline-block text-brand-600 underline dark:text-brand-100">
          Back to wells
        </Link>
      </EmptyState>
    );
  }
  if (error) return <ErrorState error={error} onRetry={() => void record.mutate()} />;
  if (record.data === undefined) return <Skeleton rows={4} />;
  const parsed = wellHeaderSchema.safeParse(record.data);
  const data = (record.data ?? {}) as Record<string, unknown>;
  return (
    <div>
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">{String(data.wellname ?? id)}</h1>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        <Link href="/wells" className="underline">
          Wells
        </Link>{' '}
        / {String(data.wellida ?? id)}
      </p>
      {!parsed.success && (
        <p role="status" className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          This record does not match the expected well-header format; its fields are shown as received.
        </p>
      )}
      <RecordFields record={data} groups={GROUPS} />
    </div>
  );
}
