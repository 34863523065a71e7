import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SourcesView } from '@/components/sources/sources-view';
import { EmptyState, Skeleton } from '@/components/ui/states';
import { getConfig } from '@/lib/config';

export const metadata: Metadata = { title: 'Emission sources' };
export const dynamic = 'force-dynamic';

export default function SourcesPage() {
  return (
    <section aria-labelledby="sources-title">
      <h1 id="sources-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Emission sources
      </h1>
      {getConfig().meti ? (
        <Suspense fallback={<Skeleton />}>
          <SourcesView />
        </Suspense>
      ) : (
        <EmptyState title="METI is not configured">
          <p>An operator can connect METI by setting the METI_ variables.</p>
        </EmptyState>
      )}
    </section>
  );
}
