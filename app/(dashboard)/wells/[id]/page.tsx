import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FirstPaint } from '@/components/data/first-paint';
import { Skeleton } from '@/components/ui/states';
import { WellDetail } from '@/components/wells/well-detail';
import { clientSettings } from '@/lib/upstreams/client-settings';
import { wellFirstPaint, type PageQuery } from '@/lib/server-data/readers';

export const metadata: Metadata = { title: 'Well' };
export const dynamic = 'force-dynamic';

export default async function WellPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<PageQuery> }) {
  const { id } = await params;
  return (
    <Suspense fallback={<Skeleton rows={4} />}>
      <Well id={id} searchParams={searchParams} />
    </Suspense>
  );
}

async function Well({ id, searchParams }: { id: string; searchParams: Promise<PageQuery> }) {
  const settings = clientSettings();
  const data = await wellFirstPaint(settings.wellview, id, await searchParams);
  return (
    <FirstPaint data={data}>
      <WellDetail id={id} settings={settings} />
    </FirstPaint>
  );
}
