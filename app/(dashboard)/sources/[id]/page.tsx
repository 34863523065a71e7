import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ServerFirstPaint } from '@/components/data/server-first-paint';
import { SourceDetail } from '@/components/sources/source-detail';
import { Skeleton } from '@/components/ui/states';
import { sourceFirstPaint } from '@/lib/server-data/readers';
import { metiClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Emission source' };
export const dynamic = 'force-dynamic';

export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const settings = metiClientSettings();
  if (!settings) notFound();
  return (
    <ServerFirstPaint read={sourceFirstPaint(settings, id)} fallback={<Skeleton rows={4} />}>
      <SourceDetail id={id} settings={settings} />
    </ServerFirstPaint>
  );
}
