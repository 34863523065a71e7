import type { Metadata } from 'next';
import { ServerFirstPaint } from '@/components/data/server-first-paint';
import { CardPlaceholder, EventsCard, SourcesCard, WellsCard } from '@/components/overview/overview-cards';
import { getConfig } from '@/lib/config';
import { clientSettings } from '@/lib/upstreams/client-settings';
import { eventsCardFirstPaint, sourcesCardFirstPaint, wellsCardFirstPaint, type PageQuery } from '@/lib/server-data/readers';
import { eventsClientSettings, metiClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Overview' };
export const dynamic = 'force-dynamic';

/**
 * Three cards, each read on the server at once and handed to the browser as a summary (a count
 * and a few bars, lib/upstreams/overview.ts): in the first HTML when read quickly, else
 * streamed in on its own, so one slow or failing provider never holds back or blanks the others
 * (a card the server could not read loads in the browser). See ServerFirstPaint.
 */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<PageQuery> }) {
  const config = getConfig();
  const settings = clientSettings(config);
  const events = eventsClientSettings(config);
  const meti = metiClientSettings(config);
  const query = await searchParams;
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title" className="text-2xl font-semibold tracking-tight">
        Overview
      </h1>
      <ul className="mt-6 grid gap-4 md:grid-cols-3">
        <ServerFirstPaint read={wellsCardFirstPaint(settings.wellview, query)} fallback={<CardPlaceholder title="Wells" href="/wells" countLabel="well headers" />}>
          <WellsCard settings={settings} />
        </ServerFirstPaint>
        {events ? (
          <ServerFirstPaint read={eventsCardFirstPaint(events)} fallback={<CardPlaceholder title="Events" href="/events" countLabel="upcoming events" />}>
            <EventsCard settings={events} />
          </ServerFirstPaint>
        ) : (
          <EventsCard settings={null} />
        )}
        {meti ? (
          <ServerFirstPaint read={sourcesCardFirstPaint(meti)} fallback={<CardPlaceholder title="Emission sources" href="/sources" countLabel="METI sources" />}>
            <SourcesCard settings={meti} />
          </ServerFirstPaint>
        ) : (
          <SourcesCard settings={null} />
        )}
      </ul>
    </section>
  );
}
