import 'server-only';
import type { NextRequest } from 'next/server';
import { AppError, errorResponse, toAppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { requestIdFrom, REQUEST_ID_HEADER } from '@/lib/http/request-id';
import { getConfig } from '@/lib/config';
import { recordApiRequest } from '@/lib/observability/store';
import { API_CSP, applySecurityHeaders } from '@/lib/security/headers';

export interface ApiContext {
  requestId: string;
}

type Handler<P> = (request: NextRequest, context: ApiContext & P) => Promise<Response>;

/**
 * Wraps a route handler: gives it a request id, turns thrown errors into the shared JSON error
 * shape, adds the security headers and `no-store`, and writes one log line per request.
 * (proxy.ts does not run for /api: its per-page work would only slow every gateway call.)
 */
export function apiRoute<P = object>(handler: Handler<P>) {
  return async (request: NextRequest, extra: P): Promise<Response> => {
    const started = performance.now();
    const requestId = requestIdFrom(request.headers);
    let response: Response;
    try {
      response = await handler(request, { ...extra, requestId });
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.status >= 500) {
        log.error('request.failed', { requestId, errorCode: error.code, cause: error.cause ?? thrown });
      }
      response = errorResponse(error, requestId);
    }
    response = withApiHeaders(response, requestId);
    // NextRequest parsed the URL already: no second parse for the metric and the log line.
    const path = request.nextUrl.pathname;
    recordApiRequest(path, request.method, response.status, (performance.now() - started) / 1000);
    if (log.enabled('info')) {
      log.info('request', {
        requestId,
        method: request.method,
        path,
        status: response.status,
        ms: Math.round(performance.now() - started),
      });
    }
    return response;
  };
}

/** Adds the headers every API answer carries; copies answers whose headers are immutable. */
function withApiHeaders(response: Response, requestId: string): Response {
  let target = response;
  try {
    target.headers.set(REQUEST_ID_HEADER, target.headers.get(REQUEST_ID_HEADER) ?? requestId);
  } catch {
    // Response.redirect() and fetch() answers have immutable headers: answer with a copy.
    target = new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
    target.headers.set(REQUEST_ID_HEADER, requestId);
  }
  const headers = target.headers;
  applySecurityHeaders(headers, API_CSP, getConfig().secureCookies);
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  return target;
}

/** Parses a JSON body no larger than `maxBytes`; a bad one is a 400, a huge one a 413. */
export async function readJsonBody(request: Request, maxBytes = 64 * 1024): Promise<unknown> {
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE');
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('BAD_REQUEST', { message: 'The request body is not valid JSON.' });
  }
}
