import { NextResponse } from 'next/server';
import { apiRoute } from '@/lib/http/api-route';
import { checkReadiness } from '@/lib/health/readiness';

export const dynamic = 'force-dynamic';

/** Readiness for a load balancer (lib/health/readiness.ts); liveness is `/api/health`. */
export const GET = apiRoute(async () => {
  const report = await checkReadiness();
  return NextResponse.json(report, {
    status: report.ready ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
});
