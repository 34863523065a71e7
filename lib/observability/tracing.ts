import 'server-only';
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { processSingleton } from '@/lib/runtime';

/**
 * The app's own spans: token requests, upstream calls (Redis commands are in redis-tracing.ts;
 * routes and page renders are Next.js's built-in spans). Everything here is a plain call of the
 * wrapped function while tracing is off (`lib/observability/otel-setup.ts` never ran), so an
 * untraced deployment pays one property read per wrapped call.
 *
 * Attributes never hold a token, a secret, a cookie or a query string: names, methods, paths,
 * statuses and error codes only.
 */

export const TRACER_NAME = 'wellview-dashboard';

const state = () => processSingleton('tracing-state', () => ({ enabled: false }));

/** True once the SDK is registered (instrumentation.ts, when an exporter is configured). */
export function tracingEnabled(): boolean {
  return state().enabled;
}

/** Called by the SDK set-up only. */
export function markTracingEnabled(): void {
  state().enabled = true;
}

/** The active span's ids for a log line; empty when no span is active (or tracing is off). */
export function activeTraceIds(): { traceId?: string; spanId?: string } {
  if (!tracingEnabled()) return {};
  const span = trace.getSpanContext(context.active());
  if (!span || !trace.isSpanContextValid(span)) return {};
  return { traceId: span.traceId, spanId: span.spanId };
}

/** Notes an event on the active span (no attributes that could carry data); nothing when off. */
export function addSpanEvent(name: string): void {
  if (!tracingEnabled()) return;
  trace.getSpan(context.active())?.addEvent(name);
}

export interface SpanSettings {
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Runs `work` inside a new active span (child of the current one) and ends it when `work`
 * settles. A throw marks the span as an error with `error.type` (a code, never the message).
 */
export async function withSpan<T>(name: string, settings: SpanSettings, work: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return work(undefined);
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { kind: settings.kind ?? SpanKind.INTERNAL, attributes: settings.attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Sets error status and a short, secret-free `error.type` (plus the HTTP status when known). */
export function markFailed(span: Span, error: unknown): void {
  const { type, status } = describeFailure(error);
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute(ATTR_ERROR_TYPE, type);
  if (status !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
}

const CODE = /^[A-Za-z][\w.-]{0,63}$/;

/**
 * What failed, as a code: an OAuth `error` (`invalid_grant`), a token failure's reason, an
 * AppError's code, a network error code (`ECONNREFUSED`) or the error's class name. Read by
 * shape, so this module needs no error classes (and no import cycle).
 */
export function describeFailure(error: unknown): { type: string; status: number | null } {
  if (!error || typeof error !== 'object') return { type: 'unknown', status: null };
  const fields = error as { reason?: unknown; error?: unknown; code?: unknown; status?: unknown; providerStatus?: unknown; name?: unknown };
  const status = [fields.providerStatus, fields.status].find((value): value is number => typeof value === 'number' && value >= 100 && value <= 599) ?? null;
  for (const candidate of [fields.reason, fields.error, fields.code, fields.name]) {
    if (typeof candidate === 'string' && CODE.test(candidate)) return { type: candidate, status };
  }
  return { type: 'unknown', status };
}

/** Origin host and port of a URL for `server.address`/`server.port`; nothing else of it. */
export function serverAttributes(url: string): Attributes {
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    return { [ATTR_SERVER_ADDRESS]: parsed.hostname, [ATTR_SERVER_PORT]: port };
  } catch {
    return {};
  }
}

/** A URL (or path) without its query string's values: `?code=…&state=…` → `?code&state`. */
export function withoutQueryValues(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const hash = url.indexOf('#', at);
  const query = url.slice(at + 1, hash < 0 ? undefined : hash);
  const names = query
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=')[0]);
  return `${url.slice(0, at)}${names.length > 0 ? `?${names.join('&')}` : ''}`;
}

export interface TokenRequestTrace {
  /** Who issues the token: `peloton`, `events`, `meti`. */
  provider: string;
  grant: 'refresh_token' | 'client_credentials' | 'authorization_code';
  /** The token endpoint (only its host and port are recorded). */
  tokenUrl?: string;
  /** How many attempts came before this one. */
  retry?: number;
}

/** One HTTP request to a token endpoint, as a CLIENT span `oauth.token <grant>`. */
export function traceTokenRequest<T>(request: TokenRequestTrace, work: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return work();
  return withSpan(
    `oauth.token ${request.grant}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'oauth.provider': request.provider,
        'oauth.grant_type': request.grant,
        [ATTR_HTTP_REQUEST_METHOD]: 'POST',
        ...(request.retry ? { [ATTR_HTTP_REQUEST_RESEND_COUNT]: request.retry } : {}),
        ...(request.tokenUrl ? serverAttributes(request.tokenUrl) : {}),
      },
    },
    () => work(),
  );
}

export interface UpstreamCallTrace {
  /** `wellview`, `events` or `meti`. */
  upstream: string;
  method: string;
  /** The upstream URL's origin. */
  origin: string;
  /** The path sent, without its query string. */
  path: string;
  /** How many attempts of this gateway call came before this one (renewal, 429, reconnect). */
  retry?: number;
}

/**
 * One call to an upstream API, as a CLIENT span `<METHOD> <upstream>` that ends when the answer's
 * headers arrive. `work` gets the W3C `traceparent` to send (undefined while tracing is off), so
 * the upstream's own traces join ours; only that header is sent, never `tracestate` or baggage
 * (which a browser could have set).
 */
export function traceUpstreamCall<T extends { statusCode: number }>(call: UpstreamCallTrace, work: (traceparent: string | undefined) => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return work(undefined);
  return withSpan(
    `${call.method} ${call.upstream}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'upstream.name': call.upstream,
        [ATTR_HTTP_REQUEST_METHOD]: call.method,
        [ATTR_URL_PATH]: call.path.split('?')[0] as string,
        ...(call.retry ? { [ATTR_HTTP_REQUEST_RESEND_COUNT]: call.retry } : {}),
        ...serverAttributes(call.origin),
      },
    },
    async (span) => {
      const response = await work(span ? traceparentOf(span) : undefined);
      span?.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.statusCode);
      // A client span is an error for any 4xx or 5xx (OpenTelemetry HTTP conventions).
      if (span && response.statusCode >= 400) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute(ATTR_ERROR_TYPE, String(response.statusCode));
      }
      return response;
    },
  );
}

/** The W3C `traceparent` header naming this span as the caller. */
export function traceparentOf(span: Span): string | undefined {
  const ids = span.spanContext();
  if (!trace.isSpanContextValid(ids)) return undefined;
  return `00-${ids.traceId}-${ids.spanId}-${(ids.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}
