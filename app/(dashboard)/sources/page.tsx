import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SourcesView } from '@/components/sources/sources-view';
import { EmptyState, Skeleton } from '@/components/ui/states';
import { metiClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Emission sources' };
export const dynamic = 'force-dynamic';

export default function SourcesPage() {
  const settings = metiClientSettings();
  return (
    <section aria-labelledby="sources-title">
      <h1 id="sources-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Emission sources
      </h1>
      {settings ? (
        <Suspense fallback={<Skeleton />}>
          <SourcesView settings={settings} />
        </Suspense>
      ) : (
        <EmptyState title="METI is not configured">
          <p>An operator can connect METI by setting the METI_ variables.</p>
        </EmptyState>
      )}
    </section>
  );
}
