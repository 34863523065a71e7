'use client';

import { flattenOnce, RemoteRecord } from '@/components/data/remote-record';
import type { FieldGroup } from '@/components/data/record-fields';
import { eventSchema } from '@/lib/upstreams/events/schemas';

const GROUPS: FieldGroup[] = [
  {
    title: 'Event',
    fields: [
      { key: 'name', label: 'Name' },
      { key: 'description', label: 'Description' },
      { key: 'category', label: 'Category' },
      { key: 'status', label: 'Status' },
      { key: 'organizer', label: 'Organizer' },
      { key: 'tags', label: 'Tags' },
    ],
  },
  {
    title: 'When and where',
    fields: [
      { key: 'startDate', label: 'Starts', kind: 'date' },
      { key: 'endDate', label: 'Ends', kind: 'date' },
      { key: 'timeZone', label: 'Time zone' },
      { key: 'isVirtual', label: 'Online' },
      { key: 'venue.name', label: 'Venue' },
      { key: 'venue.address', label: 'Address' },
      { key: 'venue.city', label: 'City' },
      { key: 'venue.state', label: 'State' },
      { key: 'venue.country', label: 'Country' },
    ],
  },
  {
    title: 'Registrations',
    fields: [
      { key: 'registrations', label: 'Registered', kind: 'number' },
      { key: 'capacity', label: 'Capacity', kind: 'number' },
    ],
  },
];

export function EventDetail({ id, apiVersion }: { id: string; apiVersion: string }) {
  return (
    <RemoteRecord
      url={`/api/events/api/${encodeURIComponent(apiVersion)}/event/${encodeURIComponent(id)}`}
      schema={eventSchema}
      groups={GROUPS}
      title={(record) => String(record.name ?? 'Event')}
      back={{ href: '/events', label: 'Events' }}
      flatten={flattenOnce}
    />
  );
}
