import type { Metadata } from 'next';
import { Suspense } from 'react';
import { WellsView } from '@/components/wells/wells-view';
import { Skeleton } from '@/components/ui/states';
import { clientSettings } from '@/lib/upstreams/client-settings';

export const metadata: Metadata = { title: 'Wells' };
export const dynamic = 'force-dynamic';

export default function WellsPage() {
  return (
    <section aria-labelledby="wells-title">
      <h1 id="wells-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Wells
      </h1>
      <Suspense fallback={<Skeleton />}>
        <WellsView settings={clientSettings()} />
      </Suspense>
    </section>
  );
}
