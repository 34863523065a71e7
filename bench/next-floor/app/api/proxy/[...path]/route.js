import { Agent } from 'undici';

export const dynamic = 'force-dynamic';

// The gateway's pool settings, and nothing else of the gateway: no session, no checks, no cache.
const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, pipelining: 1 });
// Worked out once, as the gateway does (the build loads this module without FLOOR_UPSTREAM).
const upstream = new URL(process.env.FLOOR_UPSTREAM ?? 'http://127.0.0.1:1');
const basePath = upstream.pathname.replace(/\/$/, '');

/** The least a Next.js proxy route can do: forward a GET to FLOOR_UPSTREAM and answer its body. */
export async function GET(request) {
  const url = new URL(request.url);
  const response = await agent.request({
    origin: upstream.origin,
    path: `${basePath}/${url.pathname.split('/').slice(3).join('/')}${url.search}`,
    method: 'GET',
    headers: { authorization: request.headers.get('authorization') ?? '', accept: 'application/json' },
  });
  const body = await response.body.arrayBuffer();
  return new Response(body, {
    status: response.statusCode,
    headers: { 'content-type': String(response.headers['content-type'] ?? 'application/octet-stream') },
  });
}
