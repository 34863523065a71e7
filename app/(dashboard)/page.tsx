import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FirstPaint } from '@/components/data/first-paint';
import { CardPlaceholder, EventsCard, SourcesCard, WellsCard } from '@/components/overview/overview-cards';
import { getConfig } from '@/lib/config';
import { clientSettings } from '@/lib/upstreams/client-settings';
import type { EventsClientSettings } from '@/lib/upstreams/events/client';
import type { MetiClientSettings } from '@/lib/upstreams/meti/client';
import { eventsCardFirstPaint, sourcesFirstPaint, wellsFirstPaint, type PageQuery } from '@/lib/server-data/readers';
import { eventsClientSettings, metiClientSettings } from '@/lib/upstreams/service-settings';
import type { ClientSettings } from '@/lib/upstreams/shared/settings';

export const metadata: Metadata = { title: 'Overview' };
export const dynamic = 'force-dynamic';

/**
 * Three cards, each read on the server and streamed in on its own: one slow or failing provider
 * never holds back or blanks the others (a card the server could not read loads in the browser).
 */
export default function OverviewPage({ searchParams }: { searchParams: Promise<PageQuery> }) {
  const config = getConfig();
  const settings = clientSettings(config);
  const events = eventsClientSettings(config);
  const meti = metiClientSettings(config);
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title" className="text-2xl font-semibold tracking-tight">
        Overview
      </h1>
      <ul className="mt-6 grid gap-4 md:grid-cols-3">
        <Suspense fallback={<CardPlaceholder title="Wells" href="/wells" countLabel="well headers" />}>
          <Wells settings={settings} searchParams={searchParams} />
        </Suspense>
        {events ? (
          <Suspense fallback={<CardPlaceholder title="Events" href="/events" countLabel="upcoming events" />}>
            <Events settings={events} />
          </Suspense>
        ) : (
          <EventsCard settings={null} />
        )}
        {meti ? (
          <Suspense fallback={<CardPlaceholder title="Emission sources" href="/sources" countLabel="METI sources" />}>
            <Sources settings={meti} />
          </Suspense>
        ) : (
          <SourcesCard settings={null} />
        )}
      </ul>
    </section>
  );
}

async function Wells({ settings, searchParams }: { settings: ClientSettings; searchParams: Promise<PageQuery> }) {
  const data = await wellsFirstPaint(settings.wellview, await searchParams);
  return (
    <FirstPaint data={data}>
      <WellsCard settings={settings} />
    </FirstPaint>
  );
}

async function Events({ settings }: { settings: EventsClientSettings }) {
  const data = await eventsCardFirstPaint(settings);
  return (
    <FirstPaint data={data}>
      <EventsCard settings={settings} />
    </FirstPaint>
  );
}

async function Sources({ settings }: { settings: MetiClientSettings }) {
  const data = await sourcesFirstPaint(settings);
  return (
    <FirstPaint data={data}>
      <SourcesCard settings={settings} />
    </FirstPaint>
  );
}
