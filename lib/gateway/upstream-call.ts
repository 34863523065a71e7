import 'server-only';
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { AppError } from '@/lib/errors';
import { processSingleton } from '@/lib/runtime';
import { recordUpstreamCall } from '@/lib/observability/store';
import { traceUpstreamCall, tracingEnabled } from '@/lib/observability/tracing';
import type { UpstreamDefinition } from '@/lib/upstreams/types';

/** One pooled keep-alive client per process, shared by every upstream. */
function dispatcher(): Agent {
  return processSingleton(
    'http-agent',
    () =>
      new Agent({
        connections: 128,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 120_000,
        connectTimeout: 5_000,
        pipelining: 1,
      }),
  );
}

const targets = new Map<string, { origin: string; basePath: string }>();

/** A base URL's origin and path, worked out once rather than on every call. */
function targetOf(baseUrl: string): { origin: string; basePath: string } {
  let target = targets.get(baseUrl);
  if (!target) {
    const url = new URL(baseUrl);
    target = { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
    targets.set(baseUrl, target);
  }
  return target;
}

export interface UpstreamRequest {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body?: Buffer;
  accessToken: string;
  /** Cancels the call (a read whose browser has gone); it then counts for nothing. */
  signal?: AbortSignal;
  /** How many attempts of this gateway call came before this one (for its trace span). */
  retry?: number;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/**
 * Sends one call to the upstream and returns its response with the body still streaming.
 * Failures to reach it become 502 (unreachable) or 504 (too slow) errors in plain words.
 * With tracing on, the call is a span and carries its `traceparent` (lib/observability/tracing.ts).
 */
export function callUpstream(definition: UpstreamDefinition, call: UpstreamRequest): Promise<UpstreamResponse> {
  if (!tracingEnabled()) return send(definition, call);
  const target = targetOf(definition.baseUrl);
  return traceUpstreamCall(
    { upstream: definition.name, method: call.method, origin: target.origin, path: `${target.basePath}/${call.path}`, retry: call.retry },
    (traceparent) => send(definition, traceparent ? { ...call, headers: { ...call.headers, traceparent } } : call),
  );
}

async function send(definition: UpstreamDefinition, call: UpstreamRequest): Promise<UpstreamResponse> {
  const target = targetOf(definition.baseUrl);
  const started = performance.now();
  try {
    // The path was checked and normalised already (lib/gateway/path.ts): it is sent as it is.
    const response = await dispatcher().request({
      origin: target.origin,
      path: `${target.basePath}/${call.path}${call.search}`,
      method: call.method as Dispatcher.HttpMethod,
      headers: { ...call.headers, ...definition.headers, authorization: `Bearer ${call.accessToken}` },
      body: call.body,
      signal: call.signal,
      headersTimeout: definition.timeouts.totalMs,
      bodyTimeout: definition.timeouts.totalMs,
    });
    recordUpstreamCall(definition.name, response.statusCode, performance.now() - started);
    return response;
  } catch (error) {
    // The browser left: the upstream did nothing wrong, so its health is not touched.
    if (call.signal?.aborted) throw new AppError('CLIENT_CLOSED_REQUEST', { cause: error });
    recordUpstreamCall(definition.name, null, performance.now() - started);
    throw translateNetworkError(definition, error);
  }
}

function translateNetworkError(definition: UpstreamDefinition, error: unknown): AppError {
  const timedOut =
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
  if (timedOut) {
    return new AppError('UPSTREAM_TIMEOUT', {
      message: `${definition.label} took too long to answer. Please try again.`,
      cause: error,
    });
  }
  return new AppError('UPSTREAM_UNREACHABLE', {
    message: `${definition.label} could not be reached. Please try again shortly.`,
    cause: error,
  });
}

/** True for failures where the call certainly never reached the upstream, so a retry is safe. */
export function neverReachedUpstream(error: unknown): boolean {
  const cause = error instanceof AppError ? error.cause : error;
  const code = (cause as { code?: string } | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ENOTFOUND';
}
