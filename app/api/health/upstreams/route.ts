import { NextResponse } from 'next/server';
import { apiRoute } from '@/lib/http/api-route';
import { checkUpstreams } from '@/lib/observability/provider-probes';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async () => {
  const report = await checkUpstreams();
  return NextResponse.json(report, { status: report.status === 'ready' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
