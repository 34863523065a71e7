'use client';

import { ShapedRecordView } from '@/components/data/shaped-record-view';
import { eventSpecs, loadEvent, type EventsClientSettings } from '@/lib/upstreams/events/client';

export function EventDetail({ id, settings }: { id: string; settings: EventsClientSettings }) {
  return (
    <ShapedRecordView
      cacheKey={['event', settings.gatewayPrefix, settings.apiVersion, id]}
      load={() => loadEvent(settings, id)}
      specs={eventSpecs(settings.fieldMap)}
      fallbackTitle="Event"
      back={{ href: '/events', label: 'Events' }}
    />
  );
}
