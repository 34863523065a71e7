import type { Metadata } from 'next';
import { OverviewCards } from '@/components/overview/overview-cards';
import { getConfig } from '@/lib/config';
import { clientSettings } from '@/lib/upstreams/client-settings';
import { eventsClientSettings, metiClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Overview' };
export const dynamic = 'force-dynamic';

export default function OverviewPage() {
  const config = getConfig();
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title" className="text-2xl font-semibold tracking-tight">
        Overview
      </h1>
      <OverviewCards
        settings={clientSettings(config)}
        events={eventsClientSettings(config)}
        meti={metiClientSettings(config)}
      />
    </section>
  );
}
