import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { FirstPaint } from '@/components/data/first-paint';
import { SourceDetail } from '@/components/sources/source-detail';
import { Skeleton } from '@/components/ui/states';
import type { MetiClientSettings } from '@/lib/upstreams/meti/client';
import { sourceFirstPaint } from '@/lib/server-data/readers';
import { metiClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Emission source' };
export const dynamic = 'force-dynamic';

export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const settings = metiClientSettings();
  if (!settings) notFound();
  return (
    <Suspense fallback={<Skeleton rows={4} />}>
      <Source id={id} settings={settings} />
    </Suspense>
  );
}

async function Source({ id, settings }: { id: string; settings: MetiClientSettings }) {
  const data = await sourceFirstPaint(settings, id);
  return (
    <FirstPaint data={data}>
      <SourceDetail id={id} settings={settings} />
    </FirstPaint>
  );
}
