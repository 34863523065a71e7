import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { EventDetail } from '@/components/events/event-detail';
import { getConfig } from '@/lib/config';

export const metadata: Metadata = { title: 'Event' };
export const dynamic = 'force-dynamic';

export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const events = getConfig().events;
  if (!events) notFound();
  return <EventDetail id={id} apiVersion={events.apiVersion} />;
}
