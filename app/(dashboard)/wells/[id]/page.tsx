import type { Metadata } from 'next';
import { WellDetail } from '@/components/wells/well-detail';
import { getConfig } from '@/lib/config';

export const metadata: Metadata = { title: 'Well' };
export const dynamic = 'force-dynamic';

export default async function WellPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { orgUnit, app, appVersion } = getConfig().wellview;
  return <WellDetail id={id} target={{ orgUnit, app, version: appVersion }} />;
}
