export const dynamic = 'force-dynamic';

/** Next.js's own cost: a route handler that does nothing. */
export function GET() {
  return Response.json({ status: 'ok' });
}
