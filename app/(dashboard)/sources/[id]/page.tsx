import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { SourceDetail } from '@/components/sources/source-detail';
import { metiClientSettings } from '@/lib/upstreams/service-settings';

export const metadata: Metadata = { title: 'Emission source' };
export const dynamic = 'force-dynamic';

export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const settings = metiClientSettings();
  if (!settings) notFound();
  return <SourceDetail id={id} settings={settings} />;
}
