import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { FirstPaint } from '@/components/data/first-paint';
import { EventDetail } from '@/components/events/event-detail';
import { Skeleton } from '@/components/ui/states';
import type { EventsClientSettings } from '@/lib/upstreams/events/client';
import { eventFirstPaint } from '@/lib/server-data/readers';
import { eventsClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Event' };
export const dynamic = 'force-dynamic';

export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const settings = eventsClientSettings();
  if (!settings) notFound();
  return (
    <Suspense fallback={<Skeleton rows={4} />}>
      <Event id={id} settings={settings} />
    </Suspense>
  );
}

async function Event({ id, settings }: { id: string; settings: EventsClientSettings }) {
  const data = await eventFirstPaint(settings, id);
  return (
    <FirstPaint data={data}>
      <EventDetail id={id} settings={settings} />
    </FirstPaint>
  );
}
