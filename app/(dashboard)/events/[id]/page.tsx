import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { EventDetail } from '@/components/events/event-detail';
import { eventsClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Event' };
export const dynamic = 'force-dynamic';

export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const settings = eventsClientSettings();
  if (!settings) notFound();
  return <EventDetail id={id} settings={settings} />;
}
