import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FirstPaint } from '@/components/data/first-paint';
import { EventsView } from '@/components/events/events-view';
import { EmptyState, Skeleton } from '@/components/ui/states';
import type { EventsClientSettings } from '@/lib/upstreams/events/client';
import { eventsFirstPaint, type PageQuery } from '@/lib/server-data/readers';
import { eventsClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Events' };
export const dynamic = 'force-dynamic';

export default function EventsPage({ searchParams }: { searchParams: Promise<PageQuery> }) {
  const settings = eventsClientSettings();
  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Events
      </h1>
      {settings ? (
        <Suspense fallback={<Skeleton />}>
          <Events settings={settings} searchParams={searchParams} />
        </Suspense>
      ) : (
        <EmptyState title="Events are not configured">
          <p>An operator can connect Engagifii Events by setting the EVENTS_ variables.</p>
        </EmptyState>
      )}
    </section>
  );
}

/** The page of the view in the URL, read on the server and streamed in when ready. */
async function Events({ settings, searchParams }: { settings: EventsClientSettings; searchParams: Promise<PageQuery> }) {
  const data = await eventsFirstPaint(settings, await searchParams);
  return (
    <FirstPaint data={data}>
      <EventsView settings={settings} />
    </FirstPaint>
  );
}
