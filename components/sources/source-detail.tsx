'use client';

import { flattenOnce, RemoteRecord } from '@/components/data/remote-record';
import type { FieldGroup } from '@/components/data/record-fields';
import { sourceSchema } from '@/lib/upstreams/meti/schemas';

const GROUPS: FieldGroup[] = [
  {
    title: 'Source',
    fields: [
      { key: 'name', label: 'Name' },
      { key: 'methodology', label: 'Methodology' },
      { key: 'operator', label: 'Operator' },
      { key: 'status', label: 'Status' },
      { key: 'reportingYear', label: 'Reporting year' },
    ],
  },
  {
    title: 'Location',
    fields: [
      { key: 'location.region', label: 'Region' },
      { key: 'location.country', label: 'Country' },
      { key: 'location.latitude', label: 'Latitude', kind: 'number' },
      { key: 'location.longitude', label: 'Longitude', kind: 'number' },
    ],
  },
  {
    title: 'Emissions (tonnes per year)',
    fields: [
      { key: 'emissions.co2eTonnesPerYear', label: 'CO₂ equivalent', kind: 'number' },
      { key: 'emissions.ch4TonnesPerYear', label: 'Methane (CH₄)', kind: 'number' },
      { key: 'emissions.n2oTonnesPerYear', label: 'Nitrous oxide (N₂O)', kind: 'number' },
    ],
  },
  {
    title: 'Record',
    fields: [
      { key: 'id', label: 'METI id' },
      { key: 'createdAt', label: 'Created', kind: 'date' },
      { key: 'updatedAt', label: 'Updated', kind: 'date' },
    ],
  },
];

export function SourceDetail({ id }: { id: string }) {
  return (
    <RemoteRecord
      url={`/api/meti/sources/${encodeURIComponent(id)}`}
      schema={sourceSchema}
      groups={GROUPS}
      title={(record) => String(record.name ?? 'Emission source')}
      back={{ href: '/sources', label: 'Sources' }}
      flatten={flattenOnce}
    />
  );
}
