import type { Metadata } from 'next';
import { Suspense } from 'react';
import { EventsView } from '@/components/events/events-view';
import { EmptyState, Skeleton } from '@/components/ui/states';
import { eventsClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Events' };
export const dynamic = 'force-dynamic';

export default function EventsPage() {
  const settings = eventsClientSettings();
  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Events
      </h1>
      {settings ? (
        <Suspense fallback={<Skeleton />}>
          <EventsView settings={settings} />
        </Suspense>
      ) : (
        <EmptyState title="Events are not configured">
          <p>An operator can connect Engagifii Events by setting the EVENTS_ variables.</p>
        </EmptyState>
      )}
    </section>
  );
}
