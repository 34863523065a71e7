import type { Metadata } from 'next';
import { OverviewCards } from '@/components/overview/overview-cards';
import { getConfig } from '@/lib/config';
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
        wellview={{ orgUnit: config.wellview.orgUnit, app: config.wellview.app, version: config.wellview.appVersion }}
        events={eventsClientSettings(config)}
        meti={metiClientSettings(config)}
      />
    </section>
  );
}
