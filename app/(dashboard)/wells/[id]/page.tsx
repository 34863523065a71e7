import type { Metadata } from 'next';
import { WellDetail } from '@/components/wells/well-detail';
import { clientSettings } from '@/lib/upstreams/client-settings';

export const metadata: Metadata = { title: 'Well' };
export const dynamic = 'force-dynamic';

export default async function WellPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <WellDetail id={id} settings={clientSettings()} />;
}
