import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ServerFirstPaint } from '@/components/data/server-first-paint';
import { EventDetail } from '@/components/events/event-detail';
import { Skeleton } from '@/components/ui/states';
import { eventFirstPaint } from '@/lib/server-data/readers';
import { eventsClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Event' };
export const dynamic = 'force-dynamic';

export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const settings = eventsClientSettings();
  if (!settings) notFound();
  return (
    <ServerFirstPaint read={eventFirstPaint(settings, id)} fallback={<Skeleton rows={4} />}>
      <EventDetail id={id} settings={settings} />
    </ServerFirstPaint>
  );
}
