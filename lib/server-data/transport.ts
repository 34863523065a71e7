import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { errorResponse, toAppError } from '@/lib/errors';
import { handleGateway } from '@/lib/gateway/gateway';
import { REQUEST_ID_HEADER, requestIdFrom } from '@/lib/http/request-id';
import { setGatewayTransportSource, type GatewayTransport } from '@/lib/client/gateway-client';
import { handleWellviewTarget } from '@/lib/upstreams/wellview/target-route';
import type { UpstreamName } from '@/lib/upstreams/types';

/**
 * The server's way to the dashboard's own API while a page renders. The upstream clients are
 * isomorphic and call `/api/...` URLs; here those calls go in-process to the very route handlers
 * the browser's calls reach (the gateway, the WellView target lookup), with the page request's
 * cookies. So a server read gets every check the browser's would (CSRF header, session, login not
 * ended, path rules, the user's token with its refresh lock, the rate limit, the response cache),
 * and tokens never leave the server.
 *
 * A server component cannot set cookies: cookies an answer sets (a refresh performed or adopted,
 * the idle timer moved) are kept for the rest of this render, and the page tells the browser to
 * bring its cookie up to date (`sessionStale`, see `components/data/first-paint.tsx`). The token
 * engine has already recorded the newest state in the shared store, where the next API answer
 * finds it.
 */

const GATEWAY_ROUTE = /^\/api\/(wellview|events|meti)(?:\/|$)/;
const TARGET_ROUTE = '/api/targets/wellview';

/** The cookies of this page request, as the in-process calls have updated them. */
interface RenderCookies {
  values: Map<string, string>;
  /** An answer set a cookie: the browser's copy is now older than the server's. */
  changed: boolean;
}

/** One per page request (React's request cache): every reader of a page shares what changed. */
const renderCookies = cache(async (): Promise<RenderCookies> => {
  const values = new Map<string, string>();
  for (const cookie of (await cookies()).getAll()) values.set(cookie.name, cookie.value);
  return { values, changed: false };
});

const renderRequestId = cache(async (): Promise<string> => requestIdFrom(await headers()));

function cookieHeader(jar: RenderCookies): string {
  return [...jar.values].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** Applies an answer's Set-Cookie headers to the render's jar, as a browser would. */
function keepCookies(jar: RenderCookies, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    const removed = /;\s*max-age=0\s*(;|$)/i.test(line) || /;\s*expires=thu, 01 jan 1970/i.test(line);
    if (removed) jar.values.delete(name);
    else jar.values.set(name, pair.slice(at + 1).trim());
    jar.changed = true;
  }
}

interface ReadScope {
  transport: GatewayTransport;
  /** Ends every call of the read when its time budget is spent. */
  signal: AbortSignal;
}

const scopes = new AsyncLocalStorage<ReadScope>();
setGatewayTransportSource(() => scopes.getStore()?.transport);

async function route(request: NextRequest, requestId: string): Promise<Response> {
  const path = request.nextUrl.pathname;
  try {
    if (path === TARGET_ROUTE) return await handleWellviewTarget(request, requestId);
    const gateway = GATEWAY_ROUTE.exec(path);
    if (gateway) return await handleGateway(request, gateway[1] as UpstreamName, requestId);
  } catch (error) {
    // What apiRoute() does for these routes over HTTP.
    return errorResponse(toAppError(error), requestId);
  }
  throw new Error(`No in-process route for ${path}`);
}

function inProcessTransport(jar: RenderCookies, requestId: string, budget: AbortSignal): GatewayTransport {
  const { appUrl } = getConfig();
  return async (url, init) => {
    const target = new URL(url, appUrl);
    const requestHeaders = new Headers(init.headers);
    requestHeaders.set('cookie', cookieHeader(jar));
    // The page's own origin: what the browser's same-origin call would carry.
    requestHeaders.set('origin', appUrl.origin);
    requestHeaders.set('sec-fetch-site', 'same-origin');
    requestHeaders.set(REQUEST_ID_HEADER, requestId);
    const signal = init.signal ? AbortSignal.any([init.signal, budget]) : budget;
    const request = new NextRequest(target, {
      method: init.method ?? 'GET',
      headers: requestHeaders,
      body: init.body ?? undefined,
      signal,
    });
    const response = await route(request, requestId);
    keepCookies(jar, response);
    return response;
  };
}

/** What a server read of a page produced, and whether the browser's cookie is now behind. */
export interface ServerRead<T> {
  value: T;
  sessionStale: boolean;
}

/**
 * Runs `read` (the isomorphic clients' calls) with its `/api` calls answered in-process for this
 * page request, within `budgetMs`: past it, the calls still waiting are cancelled (a read gives
 * up its place in the WellView queue) and `read` fails, so the page falls back to the browser's
 * own fetch and its usual "busy, retrying" and error states instead of holding the rows back.
 */
export async function readThroughApi<T>(read: () => Promise<T>, budgetMs: number): Promise<ServerRead<T>> {
  const jar = await renderCookies();
  const requestId = await renderRequestId();
  const budget = AbortSignal.timeout(budgetMs);
  const transport = inProcessTransport(jar, requestId, budget);
  const value = await scopes.run({ transport, signal: budget }, read);
  return { value, sessionStale: jar.changed };
}

/** The request id of this page request, for log lines. */
export const pageRequestId = renderRequestId;
