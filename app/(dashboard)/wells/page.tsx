import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FirstPaint } from '@/components/data/first-paint';
import { WellsView } from '@/components/wells/wells-view';
import { Skeleton } from '@/components/ui/states';
import { clientSettings } from '@/lib/upstreams/client-settings';
import { wellsFirstPaint, type PageQuery } from '@/lib/server-data/readers';
import type { ClientSettings } from '@/lib/upstreams/shared/settings';

export const metadata: Metadata = { title: 'Wells' };
export const dynamic = 'force-dynamic';

export default function WellsPage({ searchParams }: { searchParams: Promise<PageQuery> }) {
  return (
    <section aria-labelledby="wells-title">
      <h1 id="wells-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Wells
      </h1>
      <Suspense fallback={<Skeleton />}>
        <Wells settings={clientSettings()} searchParams={searchParams} />
      </Suspense>
    </section>
  );
}

/** The list with the rows the server read, streamed in when they are ready. */
async function Wells({ settings, searchParams }: { settings: ClientSettings; searchParams: Promise<PageQuery> }) {
  const data = await wellsFirstPaint(settings.wellview, await searchParams);
  return (
    <FirstPaint data={data}>
      <WellsView settings={settings} />
    </FirstPaint>
  );
}
