import type { Metadata } from 'next';
import { SourceDetail } from '@/components/sources/source-detail';

export const metadata: Metadata = { title: 'Emission source' };
export const dynamic = 'force-dynamic';

export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SourceDetail id={id} />;
}
