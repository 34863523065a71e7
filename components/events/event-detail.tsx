'use client';

import { ShapedRecordView } from '@/components/data/shaped-record-view';
import { eventKey } from '@/lib/upstreams/data-keys';
import { eventSpecs, loadEvent, type EventsClientSettings } from '@/lib/upstreams/events/client';

export function EventDetail({ id, settings }: { id: string; settings: EventsClientSettings }) {
  return (
    <ShapedRecordView
      cacheKey={eventKey(settings, id)}
      load={() => loadEvent(settings, id)}
      specs={eventSpecs(settings.fieldMap)}
      fallbackTitle="Event"
      back={{ href: '/events', label: 'Events' }}
    />
  );
}
