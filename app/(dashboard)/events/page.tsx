import type { Metadata } from 'next';
import { ServerFirstPaint } from '@/components/data/server-first-paint';
import { EventsView } from '@/components/events/events-view';
import { EmptyState, Skeleton } from '@/components/ui/states';
import { eventsFirstPaint, type PageQuery } from '@/lib/server-data/readers';
import { eventsClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Events' };
export const dynamic = 'force-dynamic';

/** The page of the view in the URL, read on the server (see ServerFirstPaint). */
export default async function EventsPage({ searchParams }: { searchParams: Promise<PageQuery> }) {
  const settings = eventsClientSettings();
  const read = settings ? eventsFirstPaint(settings, await searchParams) : null;
  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Events
      </h1>
      {settings && read ? (
        <ServerFirstPaint read={read} fallback={<Skeleton />}>
          <EventsView settings={settings} />
        </ServerFirstPaint>
      ) : (
        <EmptyState title="Events are not configured">
          <p>An operator can connect Engagifii Events by setting the EVENTS_ variables.</p>
        </EmptyState>
      )}
    </section>
  );
}
