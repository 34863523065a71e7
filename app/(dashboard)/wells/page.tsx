import type { Metadata } from 'next';
import { ServerFirstPaint } from '@/components/data/server-first-paint';
import { WellsView } from '@/components/wells/wells-view';
import { Skeleton } from '@/components/ui/states';
import { clientSettings } from '@/lib/upstreams/client-settings';
import { wellsFirstPaint, type PageQuery } from '@/lib/server-data/readers';

export const metadata: Metadata = { title: 'Wells' };
export const dynamic = 'force-dynamic';

export default async function WellsPage({ searchParams }: { searchParams: Promise<PageQuery> }) {
  const settings = clientSettings();
  const read = wellsFirstPaint(settings.wellview, await searchParams);
  return (
    <section aria-labelledby="wells-title">
      <h1 id="wells-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Wells
      </h1>
      <ServerFirstPaint read={read} fallback={<Skeleton />}>
        <WellsView settings={settings} />
      </ServerFirstPaint>
    </section>
  );
}
