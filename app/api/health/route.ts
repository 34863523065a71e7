import { apiRoute } from '@/lib/http/api-route';

export const dynamic = 'force-dynamic';

// A plain Response: NextResponse.json builds a Response and then wraps it in a second one, which
// the load balancer's frequent health checks would pay for on every call.
export const GET = apiRoute(async () =>
  Response.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) }, { headers: { 'cache-control': 'no-store' } }),
);
