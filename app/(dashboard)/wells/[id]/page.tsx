import type { Metadata } from 'next';
import { ServerFirstPaint } from '@/components/data/server-first-paint';
import { Skeleton } from '@/components/ui/states';
import { WellDetail } from '@/components/wells/well-detail';
import { clientSettings } from '@/lib/upstreams/client-settings';
import { wellFirstPaint, type PageQuery } from '@/lib/server-data/readers';

export const metadata: Metadata = { title: 'Well' };
export const dynamic = 'force-dynamic';

export default async function WellPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<PageQuery> }) {
  const { id } = await params;
  const settings = clientSettings();
  const read = wellFirstPaint(settings.wellview, id, await searchParams);
  return (
    <ServerFirstPaint read={read} fallback={<Skeleton rows={4} />}>
      <WellDetail id={id} settings={settings} />
    </ServerFirstPaint>
  );
}
