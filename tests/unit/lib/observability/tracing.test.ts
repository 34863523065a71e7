import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { log } from '@/lib/log';
import { ScrubbingSpanProcessor, sdkErrorLogger } from '@/lib/observability/otel-setup';
import {
  activeTraceIds,
  addSpanEvent,
  describeFailure,
  markTracingEnabled,
  traceTokenRequest,
  traceUpstreamCall,
  tracingEnabled,
  withoutQueryValues,
  withSpan,
} from '@/lib/observability/tracing';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

/** Every line `log` writes while `work` runs, parsed. */
async function captureLogs(work: () => Promise<void> | void, stream: NodeJS.WriteStream = process.stdout): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('helpers', () => {
  it('keep query names and drop their values', () => {
    expect(withoutQueryValues('/api/auth/callback?code=abc&state=xyz&iss=http%3A%2F%2Fidp')).toBe('/api/auth/callback?code&state&iss');
    expect(withoutQueryValues('https://h/p?token=s3cret#frag')).toBe('https://h/p?token');
    expect(withoutQueryValues('/plain/path')).toBe('/plain/path');
    expect(withoutQueryValues('/p?')).toBe('/p');
    expect(withoutQueryValues('fetch GET https://h/p?a=1&&b')).toBe('fetch GET https://h/p?a&b');
  });

  it('describe a failure by its code, never its message', () => {
    expect(describeFailure({ error: 'invalid_grant', status: 400, message: `refresh ${TOKEN} rejected` })).toEqual({ type: 'invalid_grant', status: 400 });
    expect(describeFailure({ reason: 'provider_unavailable', providerStatus: 503, code: 'IDP_UNAVAILABLE' })).toEqual({ type: 'provider_unavailable', status: 503 });
    expect(describeFailure(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }))).toEqual({ type: 'ECONNREFUSED', status: null });
    expect(describeFailure(new TypeError(TOKEN))).toEqual({ type: 'TypeError', status: null });
    expect(describeFailure({ error: 'has spaces and a token ' + TOKEN })).toEqual({ type: 'unknown', status: null });
    expect(describeFailure('text')).toEqual({ type: 'unknown', status: null });
  });
});

describe('with tracing off (no SDK registered)', () => {
  it('runs the work as a plain call, sends no traceparent and writes no trace id', async () => {
    expect(tracingEnabled()).toBe(false);
    expect(await withSpan('x', {}, async (span) => span)).toBeUndefined();
    let sent: string | undefined = 'unset';
    await traceUpstreamCall({ upstream: 'wellview', method: 'GET', origin: 'https://api.example.com', path: '/v1/user' }, async (traceparent) => {
      sent = traceparent;
      return { statusCode: 200 };
    });
    expect(sent).toBeUndefined();
    expect(activeTraceIds()).toEqual({});
    addSpanEvent('nothing to note it on');
    const [line] = await captureLogs(() => log.info('test.event', { n: 1 }));
    expect(line).toMatchObject({ event: 'test.event', n: 1 });
    expect(line).not.toHaveProperty('traceId');
    expect(line).not.toHaveProperty('spanId');
  });
});

describe('with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new ScrubbingSpanProcessor(), new SimpleSpanProcessor(exporter)] });
  beforeAll(() => {
    provider.register();
    markTracingEnabled();
  });
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('nests spans, and log lines inside one carry its trace and span ids', async () => {
    let inner: { traceId?: string; spanId?: string } = {};
    const lines = await captureLogs(() =>
      withSpan('outer', {}, () =>
        withSpan('inner', {}, async () => {
          inner = activeTraceIds();
          log.info('inside', {});
        }),
      ),
    );
    const [innerSpan, outerSpan] = exporter.getFinishedSpans();
    expect(innerSpan?.name).toBe('inner');
    expect(innerSpan?.parentSpanContext?.spanId).toBe(outerSpan?.spanContext().spanId);
    expect(inner).toEqual({ traceId: innerSpan?.spanContext().traceId, spanId: innerSpan?.spanContext().spanId });
    expect(lines[0]).toMatchObject({ event: 'inside', traceId: inner.traceId, spanId: inner.spanId });
    // Outside any span: no ids.
    expect(activeTraceIds()).toEqual({});
  });

  it('notes events (a shared-state fallback) on the active span only', async () => {
    addSpanEvent('outside any span');
    await withSpan('call', {}, async () => addSpanEvent('shared_state.fallback'));
    const [span] = exporter.getFinishedSpans();
    expect(span?.events.map((event) => [event.name, event.attributes ?? {}])).toEqual([['shared_state.fallback', {}]]);
  });

  it('an upstream call: a CLIENT span with the upstream, method, path, status and resend count, and its traceparent', async () => {
    let sent: string | undefined;
    await traceUpstreamCall({ upstream: 'meti', method: 'GET', origin: 'https://meti.example.com:8443', path: '/v2/sources?cursor=abc', retry: 2 }, async (traceparent) => {
      sent = traceparent;
      return { statusCode: 503 };
    });
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET meti');
    expect(span?.attributes).toEqual({
      'upstream.name': 'meti',
      'http.request.method': 'GET',
      'url.path': '/v2/sources',
      'http.request.resend_count': 2,
      'server.address': 'meti.example.com',
      'server.port': 8443,
      'http.response.status_code': 503,
      'error.type': '503',
    });
    expect(span?.status.code).toBe(2);
    expect(sent).toBe(`00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`);
  });

  it('a failed token request: error status and the OAuth error code, not the message', async () => {
    const failure = Object.assign(new Error(`the provider said no to ${TOKEN}`), { error: 'invalid_grant', status: 400 });
    await expect(traceTokenRequest({ provider: 'peloton', grant: 'refresh_token', tokenUrl: 'https://idp.example.com/oauth/token' }, () => Promise.reject(failure))).rejects.toBe(failure);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('oauth.token refresh_token');
    expect(span?.status.code).toBe(2);
    expect(span?.attributes).toMatchObject({ 'error.type': 'invalid_grant', 'http.response.status_code': 400, 'server.address': 'idp.example.com', 'server.port': 443 });
    expect(JSON.stringify(span?.attributes)).not.toContain('eyJ');
    expect(span?.events).toEqual([]);
  });

  it('scrubs query values and token-shaped strings from any span before it is exported', () => {
    const tracer = trace.getTracer('next.js');
    const span = tracer.startSpan('GET /api/auth/callback?code=abc123', { attributes: { 'http.target': '/api/auth/callback?code=abc123&state=s1' } });
    span.setAttribute('http.url', 'https://idp.example.com/authorize?client_id=c&code_challenge=zz');
    span.setAttribute('note', `Bearer ${TOKEN}`);
    span.setAttribute('kept', '/wells?view=map');
    span.end();
    const [done] = exporter.getFinishedSpans();
    expect(done?.name).toBe('GET /api/auth/callback?code');
    expect(done?.attributes).toEqual({
      'http.target': '/api/auth/callback?code&state',
      'http.url': 'https://idp.example.com/authorize?client_id&code_challenge',
      note: 'Bearer [redacted-jwt]',
      // Only URL attributes lose their query values; other text keeps them (nothing secret in it).
      kept: '/wells?view=map',
    });
  });
});

describe("the SDK's own errors", () => {
  it('are logged at most once a minute, counting the others, without query strings or tokens', async () => {
    let now = 1_000_000;
    const logger = sdkErrorLogger(() => now);
    const lines = await captureLogs(() => {
      logger.error('{"message":"Bad Request","url":"https://otel.example.com/v1/traces?api-key=k3y"}', `Bearer ${TOKEN}`);
      logger.error('again');
      now += 30_000;
      logger.error('and again');
      now += 31_000;
      logger.error('Export failed');
    }, process.stderr);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'error', event: 'tracing.sdk_error', suppressedSinceLast: 0 });
    expect(lines[0]?.detail).toContain('https://otel.example.com/v1/traces?…');
    expect(JSON.stringify(lines)).not.toContain('k3y');
    expect(JSON.stringify(lines)).not.toContain('eyJ');
    expect(lines[1]).toMatchObject({ detail: 'Export failed', suppressedSinceLast: 2 });
  });
});
