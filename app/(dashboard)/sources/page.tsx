import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FirstPaint } from '@/components/data/first-paint';
import { SourcesView } from '@/components/sources/sources-view';
import { EmptyState, Skeleton } from '@/components/ui/states';
import type { MetiClientSettings } from '@/lib/upstreams/meti/client';
import { sourcesFirstPaint, type PageQuery } from '@/lib/server-data/readers';
import { metiClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Emission sources' };
export const dynamic = 'force-dynamic';

export default function SourcesPage({ searchParams }: { searchParams: Promise<PageQuery> }) {
  const settings = metiClientSettings();
  return (
    <section aria-labelledby="sources-title">
      <h1 id="sources-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Emission sources
      </h1>
      {settings ? (
        <Suspense fallback={<Skeleton />}>
          <Sources settings={settings} searchParams={searchParams} />
        </Suspense>
      ) : (
        <EmptyState title="METI is not configured">
          <p>An operator can connect METI by setting the METI_ variables.</p>
        </EmptyState>
      )}
    </section>
  );
}

/** Every source (and the methodology's, when the URL filters), read on the server and streamed in. */
async function Sources({ settings, searchParams }: { settings: MetiClientSettings; searchParams: Promise<PageQuery> }) {
  const data = await sourcesFirstPaint(settings, await searchParams);
  return (
    <FirstPaint data={data}>
      <SourcesView settings={settings} />
    </FirstPaint>
  );
}
