import type { Metadata } from 'next';
import { ServerFirstPaint } from '@/components/data/server-first-paint';
import { SourcesView } from '@/components/sources/sources-view';
import { EmptyState, Skeleton } from '@/components/ui/states';
import { sourcesFirstPaint, type PageQuery } from '@/lib/server-data/readers';
import { metiClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Emission sources' };
export const dynamic = 'force-dynamic';

/** Every source (and the methodology's, when the URL filters), read on the server (see ServerFirstPaint). */
export default async function SourcesPage({ searchParams }: { searchParams: Promise<PageQuery> }) {
  const settings = metiClientSettings();
  const read = settings ? sourcesFirstPaint(settings, await searchParams) : null;
  return (
    <section aria-labelledby="sources-title">
      <h1 id="sources-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Emission sources
      </h1>
      {settings && read ? (
        <ServerFirstPaint read={read} fallback={<Skeleton />}>
          <SourcesView settings={settings} />
        </ServerFirstPaint>
      ) : (
        <EmptyState title="METI is not configured">
          <p>An operator can connect METI by setting the METI_ variables.</p>
        </EmptyState>
      )}
    </section>
  );
}
