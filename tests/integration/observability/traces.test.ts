import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, EVENTS_CLIENT, METI_CLIENT, PELOTON_CLIENT, WELLVIEW_SUBSCRIPTION_KEYS } from '../../../sandbox/defaults';
import { startSandbox } from '../../../sandbox/server';
import { DEMO_SESSION_PASSWORD } from '../../../scripts/sandbox-env';
import { freePort, startApp, type RunningApp } from '../../helpers/app';
import { authorizeAtProvider, TestBrowser } from '../../helpers/browser';
import { startOtlpCollector, type OtlpCollector, type ReceivedSpan } from '../../helpers/otlp-collector';
import { startRecordingProxy, type RecordingProxy } from '../../helpers/recording-proxy';
import { startRedis, type TestRedis } from '../../helpers/redis';
import type { SandboxStats } from '../../helpers/stack';

/**
 * Traces over real HTTP: the built dashboard exports to a tiny OTLP/HTTP collector, with Redis
 * as its shared store and a recording proxy in front of every provider (so every real token is
 * known and can be looked for in what was exported).
 */
const [ada] = DEMO_USERS as [(typeof DEMO_USERS)[number]];
const SERVER = 2;
const CLIENT = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TracedStack {
  app: RunningApp;
  url: string;
  proxy: RecordingProxy;
  sandboxUrl: string;
  stats(): Promise<SandboxStats>;
  fault(fault: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

async function startTracedStack(redis: TestRedis, env: Record<string, string | undefined>): Promise<TracedStack> {
  const sandbox = await startSandbox({ port: 0 });
  const proxy = await startRecordingProxy(sandbox.url);
  const via = (path: string) => `${proxy.url}${path}`;
  let app: RunningApp;
  try {
    app = await startApp({
      sandboxUrl: sandbox.url,
      env: {
        GATEWAY_CACHE_TTL_SECONDS: '0',
        REDIS_URL: redis.url,
        LOG_LEVEL: 'debug',
        PELOTON_TOKEN_URL: via('/peloton/oauth/token'),
        WELLVIEW_API_BASE_URL: via('/wellview'),
        EVENTS_IDENTITY_URL: via('/events-identity'),
        EVENTS_API_BASE_URL: via('/events'),
        METI_TOKEN_URL: via('/meti-identity/oauth/token'),
        METI_API_BASE_URL: via('/meti'),
        ...env,
      },
    });
  } catch (error) {
    await proxy.close();
    await sandbox.close();
    throw error;
  }
  return {
    app,
    url: app.url,
    proxy,
    sandboxUrl: sandbox.url,
    stats: async () => (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as SandboxStats,
    async fault(fault) {
      const response = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
      if (!response.ok) throw new Error(`fault answered ${response.status}`);
    },
    async stop() {
      await app.stop();
      await proxy.close();
      await sandbox.close();
    },
  };
}

/** Signs in, keeping the authorization code (it must not reach a span either). */
async function signInKeepingCode(app: string): Promise<{ browser: TestBrowser; code: string }> {
  const browser = new TestBrowser();
  const login = await browser.request(`${app}/api/auth/login`);
  const callbackUrl = await authorizeAtProvider(browser, login.headers.get('location') as string, ada);
  const code = new URL(callbackUrl).searchParams.get('code') as string;
  expect((await browser.request(callbackUrl)).status).toBe(302);
  return { browser, code };
}

function logLines(app: RunningApp): Record<string, unknown>[] {
  return app
    .logs()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The chain of parents of a span within what was received, nearest first. */
function ancestors(spans: ReceivedSpan[], span: ReceivedSpan): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  let current: ReceivedSpan | undefined = span;
  while (current?.parentSpanId) {
    const parentId: string = current.parentSpanId;
    current = spans.find((candidate) => candidate.spanId === parentId && candidate.traceId === span.traceId);
    if (current) out.push(current);
  }
  return out;
}

let redis: TestRedis;
let collector: OtlpCollector;

beforeAll(async () => {
  redis = await startRedis();
  collector = await startOtlpCollector();
});
afterAll(async () => {
  await collector?.close();
  await redis?.stop();
});

describe('with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  let stack: TracedStack;
  beforeAll(async () => {
    stack = await startTracedStack(redis, {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      // Export within a tenth of a second rather than the default five.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
  });
  afterAll(async () => stack?.stop());

  it('exports the route, refresh, client-credentials, upstream and Redis spans of a gateway call, parented, with no token, and the log lines carry the trace id', async () => {
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: 4 });
    const { browser, code } = await signInKeepingCode(stack.url);
    await sleep(2300); // past half the token's life: the next call refreshes first
    const refreshed = await browser.api(`${stack.url}/api/wellview/user`);
    expect(refreshed.status).toBe(200);
    // What WellView received for that call (the page render below reads WellView too).
    const afterGatewayCall = await stack.stats();
    // One 429 from METI, retried by the gateway (Retry-After: 0), and its client-credentials token.
    await stack.fault({ provider: 'meti', errorRate: 0.5, errorStatus: 429, retryAfterSeconds: 0 });
    for (let call = 0; call < 2; call += 1) expect((await browser.api(`${stack.url}/api/meti/sources?limit=1&secret=do-not-export`)).status).toBe(200);
    // A page render.
    expect((await browser.request(`${stack.url}/wells`)).status).toBe(200);

    await collector.waitFor(
      (spans) =>
        ['token.refresh', 'oauth.token refresh_token', 'GET wellview', 'token.client_credentials', 'oauth.token client_credentials'].every((name) =>
          spans.some((span) => span.name === name),
        ) &&
        spans.filter((span) => span.name === 'GET meti').length >= 3 &&
        spans.some((span) => span.kind === SERVER && span.attributes['http.route'] === '/wells'),
    );
    const spans = collector.spans;
    expect(collector.requests.every((request) => request.path === '/v1/traces' && request.contentType.includes('json'))).toBe(true);
    expect(spans[0]?.resource['service.name']).toBe('wellview-dashboard');

    // The refreshing gateway call: Next's server span, then ours under it.
    const refresh = spans.find((span) => span.name === 'token.refresh') as ReceivedSpan;
    const route = ancestors(spans, refresh).find((span) => span.kind === SERVER);
    expect(route?.name).toBe('GET /api/wellview/[...path]');
    expect(route?.attributes['http.status_code']).toBe(200);
    expect(refresh.attributes).toMatchObject({ 'oauth.provider': 'peloton', 'oauth.grant_type': 'refresh_token' });
    const tokenRequest = spans.find((span) => span.name === 'oauth.token refresh_token') as ReceivedSpan;
    expect(tokenRequest.kind).toBe(CLIENT);
    expect(tokenRequest.parentSpanId).toBe(refresh.spanId);
    expect(tokenRequest.statusCode).not.toBe(2);
    expect(tokenRequest.attributes).toMatchObject({ 'oauth.provider': 'peloton', 'http.request.method': 'POST', 'server.address': '127.0.0.1' });
    // The refresh holds the login's lock in Redis: SET NX, then the compare-and-delete script.
    const refreshRedis = spans.filter((span) => span.traceId === refresh.traceId && span.attributes['db.system.name'] === 'redis');
    expect(refreshRedis.map((span) => span.name)).toEqual(expect.arrayContaining(['SET', 'GET', 'EVAL']));
    for (const command of refreshRedis) {
      expect(command.kind).toBe(CLIENT);
      expect(ancestors(spans, command)).toContain(route);
    }
    expect(refreshRedis.some((span) => span.parentSpanId === refresh.spanId)).toBe(true);

    const upstream = spans.find((span) => span.name === 'GET wellview' && span.traceId === refresh.traceId) as ReceivedSpan;
    expect(upstream.kind).toBe(CLIENT);
    expect(ancestors(spans, upstream)).toContain(route);
    expect(upstream.attributes).toMatchObject({
      'upstream.name': 'wellview',
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'url.path': '/wellview/user',
      'server.address': '127.0.0.1',
    });
    expect(upstream.attributes['http.request.resend_count']).toBeUndefined();
    // WellView received the W3C trace context naming that span as its caller.
    expect(afterGatewayCall.lastRequestHeaders).toBeDefined();
    const wellviewHeaders = (afterGatewayCall.lastRequestHeaders as Record<string, Record<string, string>>).wellview ?? {};
    expect(wellviewHeaders.traceparent).toBe(`00-${upstream.traceId}-${upstream.spanId}-01`);
    expect(wellviewHeaders.tracestate).toBeUndefined();
    expect(wellviewHeaders.baggage).toBeUndefined();
    // Identity providers get none.
    const allHeaders = (await stack.stats()).lastRequestHeaders as Record<string, Record<string, string>>;
    expect(allHeaders.peloton).toBeDefined();
    for (const provider of ['peloton', 'meti-identity']) expect(allHeaders[provider]?.traceparent).toBeUndefined();

    // METI: the client-credentials token once, and a 429 retried within one gateway call.
    const clientToken = spans.find((span) => span.name === 'oauth.token client_credentials' && span.attributes['oauth.provider'] === 'meti') as ReceivedSpan;
    const clientTokenParent = spans.find((span) => span.spanId === clientToken.parentSpanId);
    expect(clientTokenParent?.name).toBe('token.client_credentials');
    expect(ancestors(spans, clientToken).some((span) => span.kind === SERVER && span.name === 'GET /api/meti/[...path]')).toBe(true);
    const meti = spans.filter((span) => span.name === 'GET meti');
    const rateLimited = meti.find((span) => span.attributes['http.response.status_code'] === 429) as ReceivedSpan;
    expect(rateLimited.statusCode).toBe(2);
    expect(rateLimited.attributes['error.type']).toBe('429');
    const retried = meti.find((span) => span.traceId === rateLimited.traceId && span.attributes['http.request.resend_count'] === 1);
    expect(retried?.attributes['http.response.status_code']).toBe(200);
    expect(retried?.parentSpanId).toBe(rateLimited.parentSpanId);
    for (const span of meti) expect(span.attributes['url.path']).toBe('/meti/sources');

    // The page render: Next's server span for the route, with its render spans under it.
    const page = spans.find((span) => span.kind === SERVER && span.attributes['http.route'] === '/wells') as ReceivedSpan;
    expect(page.name).toBe('GET /wells');
    expect(spans.some((span) => span.traceId === page.traceId && span.parentSpanId !== null)).toBe(true);

    // Nothing secret in anything exported: tokens, secrets, the code, query values.
    const exported = collector.bodies.join('\n');
    const tokens = stack.proxy.tokens.map((token) => token.value);
    expect(tokens.length).toBeGreaterThan(4);
    const secrets = [
      ...tokens,
      PELOTON_CLIENT.clientSecret,
      EVENTS_CLIENT.clientSecret,
      METI_CLIENT.clientSecret,
      DEMO_SESSION_PASSWORD,
      ...WELLVIEW_SUBSCRIPTION_KEYS,
      code,
      'do-not-export',
      ...[...browser.jar.cookies.values()].map((cookie) => cookie.value.slice(0, 40)),
    ];
    for (const secret of secrets) expect(exported.includes(secret), `a secret (${secret.slice(0, 6)}…) was exported`).toBe(false);
    expect(exported).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
    expect(exported).not.toMatch(/Fe26\.2\*/);
    const callback = spans.find((span) => span.kind === SERVER && String(span.attributes['http.target']).startsWith('/api/auth/callback'));
    // Next.js records the request target: the query keeps its names, never its values.
    expect(callback?.attributes['http.target']).toMatch(/^\/api\/auth\/callback\?code&state/);
    expect(String(callback?.attributes['http.target'])).not.toContain('=');

    // The log lines written inside those spans carry the same trace id.
    const lines = logLines(stack.app);
    const refreshedLine = lines.find((line) => line.event === 'auth.refreshed');
    expect(refreshedLine?.traceId).toBe(refresh.traceId);
    expect(refreshedLine?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(spans.some((span) => span.spanId === refreshedLine?.spanId)).toBe(true);
    const requestLine = lines.find((line) => line.event === 'request' && line.traceId === refresh.traceId);
    expect(requestLine?.path).toBe('/api/wellview/user');
  });

  it('continues a trace the caller started (traceparent on the request)', async () => {
    const traceId = 'feedc0de'.repeat(4);
    const response = await fetch(`${stack.url}/api/health`, { headers: { traceparent: `00-${traceId}-0123456789abcdef-01` } });
    expect(response.status).toBe(200);
    await collector.waitFor((spans) => spans.some((span) => span.traceId === traceId && span.kind === SERVER));
    const route = collector.spans.find((span) => span.traceId === traceId && span.kind === SERVER) as ReceivedSpan;
    expect(route.parentSpanId).toBe('0123456789abcdef');
    expect(route.name).toBe('GET /api/health');
  });
});

describe('with no OTEL_* variable set', () => {
  let stack: TracedStack;
  beforeAll(async () => {
    stack = await startTracedStack(redis, {});
  });
  afterAll(async () => stack?.stop());

  it('exports nothing, and no log line has a trace id', async () => {
    const before = collector.requests.length;
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: 4 });
    const { browser } = await signInKeepingCode(stack.url);
    await sleep(2300);
    expect((await browser.api(`${stack.url}/api/wellview/user`)).status).toBe(200);
    expect((await browser.api(`${stack.url}/api/meti/sources?limit=1`)).status).toBe(200);
    await sleep(1000);

    expect(collector.requests.length).toBe(before);
    const lines = logLines(stack.app);
    expect(lines.some((line) => line.event === 'auth.refreshed')).toBe(true);
    expect(lines.filter((line) => line.event === 'request').length).toBeGreaterThan(3);
    for (const line of lines) {
      expect(line.traceId).toBeUndefined();
      expect(line.spanId).toBeUndefined();
    }
    expect(lines.some((line) => line.event === 'tracing.started')).toBe(false);
    // Nor does any upstream get a traceparent.
    const headers = (await stack.stats()).lastRequestHeaders as Record<string, Record<string, string>>;
    expect(headers.wellview?.traceparent).toBeUndefined();
    expect(headers.meti?.traceparent).toBeUndefined();
  });
});

describe('with unusable OTEL_* settings', () => {
  it('stops start-up naming the variables, never their values', async () => {
    const sandbox = await startSandbox({ port: 0 });
    try {
      const app = await startApp({
        sandboxUrl: sandbox.url,
        waitForHealth: false,
        env: { OTEL_TRACES_EXPORTER: 'otlp,zipkin', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318/?api-key=k3y-do-not-print' },
      });
      const code = await new Promise<number | null>((resolve) => {
        if (app.process.exitCode !== null) resolve(app.process.exitCode);
        else app.process.once('exit', (exitCode) => resolve(exitCode));
      });
      expect(code).toBe(1);
      const output = app.logs();
      expect(output).toContain('OTEL_TRACES_EXPORTER');
      expect(output).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
      expect(output).not.toContain('k3y-do-not-print');
      expect(output).not.toContain('zipkin');
    } finally {
      await sandbox.close();
    }
  });
});

describe('with the collector down', () => {
  it('answers as usual and logs the failed export once, not once per batch', async () => {
    const sandbox = await startSandbox({ port: 0 });
    const closedPort = await freePort();
    let app: RunningApp | undefined;
    try {
      app = await startApp({
        sandboxUrl: sandbox.url,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closedPort}`, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_EXPORTER_OTLP_TIMEOUT: '1000' },
      });
      for (let round = 0; round < 6; round += 1) {
        expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
        expect((await fetch(`${app.url}/api/auth/login`, { redirect: 'manual' })).status).toBe(302);
        await sleep(500);
      }
      const deadline = Date.now() + 15_000;
      while (!logLines(app).some((line) => line.event === 'tracing.sdk_error') && Date.now() < deadline) await sleep(200);
      await sleep(1500);
      const errors = logLines(app).filter((line) => line.event === 'tracing.sdk_error');
      expect(errors).toHaveLength(1);
      expect(logLines(app).some((line) => line.event === 'tracing.started')).toBe(true);
    } finally {
      await app?.stop();
      await sandbox.close();
    }
  });
});
