import 'server-only';
import { diag, DiagLogLevel, type Context, type DiagLogger } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes, serviceInstanceIdDetector } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { log, redactText } from '@/lib/log';
import type { TracingSettings } from '@/lib/observability/otel-config';
import { traceRedisCommands } from '@/lib/observability/redis-tracing';
import { markTracingEnabled, withoutQueryValues } from '@/lib/observability/tracing';

/**
 * Starts the OpenTelemetry trace SDK (instrumentation.ts calls this only when tracing is on):
 * a NodeTracerProvider registered as the global one, which is what makes Next.js emit its own
 * spans for every request, route handler and page render, with ours (tokens, upstreams, Redis)
 * as their children. The OTLP exporter reads its endpoint, headers, timeout and compression
 * from the standard `OTEL_EXPORTER_OTLP_*` variables; the sampler (`OTEL_TRACES_SAMPLER`) and
 * the batch processor (`OTEL_BSP_*`) read theirs.
 */

/** Attributes that may hold a URL with a query string (Next.js sets the first two). */
const URL_ATTRIBUTES = ['http.target', 'http.url', 'url.full', 'url.query'];

/**
 * Strips query values from URL attributes and span names, and masks anything token-shaped, just
 * before each span ends (while it can still change). Next.js records `http.target` with the
 * query, which on `/api/auth/callback` is the authorization code and state.
 */
export class ScrubbingSpanProcessor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    if (span.name.includes('?')) span.updateName(withoutQueryValues(span.name));
    for (const [key, value] of Object.entries(span.attributes)) {
      if (typeof value !== 'string') continue;
      let clean = URL_ATTRIBUTES.includes(key) ? withoutQueryValues(value) : value;
      clean = redactText(clean);
      if (clean !== value) span.setAttribute(key, clean);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}

/** While the SDK keeps failing (a collector down), its errors are logged at most this often. */
const DIAG_EVERY_MS = 60_000;

/**
 * The SDK's own errors (an export the collector refused or never answered) as our log lines, at
 * most one a minute with a count of the others, so a wrong endpoint is visible but never floods.
 * The text is cut short, with query strings and token-shaped strings removed.
 */
export function sdkErrorLogger(now: () => number = Date.now): DiagLogger {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  const error = (message: string, ...args: unknown[]) => {
    if (now() - lastAt < DIAG_EVERY_MS) {
      suppressed += 1;
      return;
    }
    lastAt = now();
    const detail = redactText([message, ...args.map((arg) => (typeof arg === 'string' ? arg : ''))].join(' '))
      .replace(/\?[^\s"']*/g, '?…')
      .slice(0, 300);
    log.error('tracing.sdk_error', { note: 'OpenTelemetry could not export or record spans', detail, suppressedSinceLast: suppressed });
    suppressed = 0;
  };
  const ignore = () => undefined;
  return { error, warn: ignore, info: ignore, debug: ignore, verbose: ignore };
}

/** Registers the global tracer provider and starts exporting; safe to call once per process. */
export function startTracing(settings: TracingSettings): NodeTracerProvider {
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }))
    // OTEL_RESOURCE_ATTRIBUTES (and OTEL_SERVICE_NAME again), and an id per instance.
    .merge(detectResources({ detectors: [envDetector, serviceInstanceIdDetector] }));
  const spanProcessors: SpanProcessor[] = [new ScrubbingSpanProcessor()];
  if (settings.exporters.includes('otlp')) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  if (settings.exporters.includes('console')) spanProcessors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  diag.setLogger(sdkErrorLogger(), { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true });
  const provider = new NodeTracerProvider({ resource, spanProcessors });
  // The AsyncLocalStorage context manager and the W3C trace-context and baggage propagators.
  provider.register();
  traceRedisCommands();
  markTracingEnabled();
  // Spans still in the batch go out when an orchestrator stops the process (best effort: Next's
  // own handler exits once its server has closed). Without another handler, this one exits.
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    process.on(signal, () => {
      const othersExit = process.listenerCount(signal) > 1;
      void provider
        .shutdown()
        .catch(() => undefined)
        .finally(() => {
          if (!othersExit) process.exit(code);
        });
    });
  }
  return provider;
}
