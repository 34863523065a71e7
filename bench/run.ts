/**
 * `npm run bench`: measures the token engine and the gateway side by side in one run, against
 * the sandbox with latency faults off. Prints a table and writes bench/results.json.
 *
 * Ratios, not absolute numbers, are what the targets judge: this machine is shared and noisy. The
 * gateway is judged against a minimal Next.js app run side by side with it (bench/gateway.ts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { DEMO_USERS, METI_CLIENT, METI_AUDIENCE } from '../sandbox/defaults';
import { freePort, startApp, type RunningApp } from '../tests/helpers/app';
import { measureFirstPaint } from './first-paint';
import { cannon, gatewaySection } from './gateway';
import { measurePages } from './pages';
import { measureMapKeystrokes, measureMapRender } from './wells-map';
import { rssMb, startSandboxProcess, type Sandbox } from '../tests/helpers/sandbox-process';
import { signIn, TestBrowser } from '../tests/helpers/browser';
import { startRedis } from '../tests/helpers/redis';
import { buildIfNeeded } from '../scripts/processes';

const root = path.resolve(__dirname, '..');
const [admin] = DEMO_USERS as [(typeof DEMO_USERS)[number]];
/** The dashboard for the gateway figures: WellView's limit lifted, so only the gateway is timed. */
const GATEWAY_APP_ENV = { WELLVIEW_RATE_LIMIT_PER_SECOND: '100000', LOG_LEVEL: 'warn' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Row {
  metric: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean | null;
}
const rows: Row[] = [];
function record(metric: string, value: number, unit: string, target = '', pass: boolean | null = null) {
  rows.push({ metric, value: Math.round(value * 100) / 100, unit, target, pass });
  console.log(
    `  ${metric}: ${Math.round(value * 100) / 100} ${unit}${target ? `  (target ${target}: ${pass ? 'pass' : 'FAIL'})` : ''}`,
  );
}

async function sandboxPost(sandbox: Sandbox, route: string, body: unknown = {}) {
  const response = await fetch(`${sandbox.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${route}: ${response.status}`);
}

async function sandboxStats(sandbox: Sandbox) {
  return (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as {
    tokenRequests: Record<string, Record<string, number>>;
    refreshReuseDetected: number;
    revokedLogins: number;
    maxCallsPerSecond: Record<string, number>;
    responses: Record<string, Record<string, number>>;
  };
}

async function main() {
  /**
   * `npm run bench -- pages` measures the pages only (first data on screen, page weight, server
   * time); `-- map` the wells map only (typing with 5,000 wells); `-- gateway` skips the pages and
   * the rate limits; `-- rate` measures only the WellView budget (one instance, then two sharing Redis).
   */
  const only = process.argv[2];
  await buildIfNeeded(root);
  const sandbox = await startSandboxProcess();
  const results: Record<string, unknown> = { startedAt: new Date().toISOString() };
  const apps: RunningApp[] = [];
  try {
    // One instance with the WellView limit lifted (token and gateway overhead), one with the default.
    await sandboxPost(sandbox, '/__sandbox/faults', { provider: 'wellview', rateLimitPerSecond: 100000 });
    const app = await startApp({
      sandboxUrl: sandbox.url,
      env: GATEWAY_APP_ENV,
    });
    apps.push(app);

    if (only === 'rate') {
      await app.stop();
      apps.pop();
      await rateBudgetSection(sandbox, apps);
    }
    if (only !== 'gateway' && only !== 'map' && only !== 'rate') await firstPaintSection(app, sandbox);
    if (only !== 'gateway' && only !== 'map' && only !== 'rate') await pagesSection(app, sandbox);
    if (only !== 'gateway' && only !== 'pages' && only !== 'rate') await mapSection(app, sandbox);
    if (only !== 'pages' && only !== 'map' && only !== 'rate') {
      console.log('\nToken engine');
      await measureRefreshStorm(sandbox, [app.url], '');

      const fresh = await signIn(app.url, admin);
      await sandboxPost(sandbox, '/__sandbox/reset');
      await sandboxPost(sandbox, '/__sandbox/faults', { provider: 'wellview', rateLimitPerSecond: 100000 });
      const cookie = fresh.browser.jar.header();
      // Every measured call bypasses the gateway's response cache: the upstream path is what is timed.
      const apiHeaders = { cookie, 'x-csrf': '1', 'cache-control': 'no-cache' };
      const eventsBody = JSON.stringify({ PageNumber: 1, PageSize: 5, OnlyUpcoming: true });
      await Promise.all([
        autocannon({
          url: `${app.url}/api/meti/sources?limit=2`,
          headers: apiHeaders,
          connections: 10,
          amount: 1000,
        }),
        autocannon({
          url: `${app.url}/api/events/api/1.0/event/list`,
          method: 'POST',
          headers: { ...apiHeaders, 'content-type': 'application/json' },
          body: eventsBody,
          connections: 10,
          amount: 1000,
        }),
      ]);
      const stats = await sandboxStats(sandbox);
      const clientTokens =
        (stats.tokenRequests['events-identity']?.client_credentials ?? 0) +
        (stats.tokenRequests['meti-identity']?.client_credentials ?? 0);
      record(
        'token requests per 1,000 proxied calls (Events + METI, cold cache)',
        (clientTokens / 2000) * 1000,
        'requests',
        '≤ 1 per service',
        clientTokens <= 2,
      );

      // The sandbox's own METI token, for the direct calls and the references that bypass the gateway.
      const tokenResponse = await fetch(`${sandbox.url}/meti-identity/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: METI_CLIENT.clientId,
          client_secret: METI_CLIENT.clientSecret,
          audience: METI_AUDIENCE,
        }),
      });
      const metiToken = ((await tokenResponse.json()) as { access_token: string }).access_token;

      await gatewaySection({ app, sandboxUrl: sandbox.url, cookie, metiToken, record });

      await app.stop();
      apps.pop();

      // A fresh instance, so the figure is the gateway's own and not what the pages and the
      // bursts above left in the heap.
      console.log('\nMemory (100,000 proxied calls, fresh instance)');
      const memoryApp = await startApp({
        sandboxUrl: sandbox.url,
        env: GATEWAY_APP_ENV,
      });
      apps.push(memoryApp);
      const memoryHeaders = { ...apiHeaders, cookie: (await signIn(memoryApp.url, admin)).browser.jar.header() };
      const pid = memoryApp.process.pid as number;
      record('RSS after start-up and sign-in', rssMb(pid), 'MB');
      const metiPath = '/api/meti/sources?limit=12';
      await cannon(`${memoryApp.url}${metiPath}`, memoryHeaders, { connections: 10, amount: 50_000 });
      const rss50 = rssMb(pid);
      await cannon(`${memoryApp.url}${metiPath}`, memoryHeaders, { connections: 10, amount: 50_000 });
      const rss100 = rssMb(pid);
      record('RSS after 50,000 calls', rss50, 'MB');
      record('RSS after 100,000 calls', rss100, 'MB', '≤ 300 MB', rss100 <= 300);
      record(
        'RSS growth 50k → 100k',
        ((rss100 - rss50) / rss50) * 100,
        '%',
        '≤ 10 %',
        Math.abs(rss100 - rss50) / rss50 <= 0.1,
      );
      await memoryApp.stop();
      apps.pop();
    }
    if (!only) {
      await rateBudgetSection(sandbox, apps);
      await twoInstances(sandbox, apps);
    }
  } finally {
    await Promise.all(apps.map((running) => running.stop()));
    await sandbox.close();
  }
  results.rows = rows;
  results.finishedAt = new Date().toISOString();
  if (!only) writeFileSync(path.join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\n| metric | value | unit | target | result |\n| --- | --- | --- | --- | --- |');
  for (const row of rows) {
    console.log(
      `| ${row.metric} | ${row.value} | ${row.unit} | ${row.target} | ${row.pass === null ? '' : row.pass ? 'pass' : 'FAIL'} |`,
    );
  }
  if (!only) console.log('\nWrote bench/results.json');
}

/**
 * First data on screen, per page (Chromium, signed in, warm server, a new tab each run), whether
 * the first HTML held it, and the WellView calls a page view costs with the response cache cold
 * and warm.
 */
async function firstPaintSection(app: RunningApp, sandbox: Sandbox) {
  console.log('\nFirst data on screen (Chromium, 5 runs per page)');
  /**
   * BENCH_BASELINE=<a built checkout of another commit>: that build is timed too, right after this
   * one against the same sandbox, so the two are compared under the same machine load.
   */
  const baselineRoot = process.env.BENCH_BASELINE;
  if (baselineRoot) {
    const baseline = await startApp({ sandboxUrl: sandbox.url, env: GATEWAY_APP_ENV, root: baselineRoot });
    try {
      const before = await measureFirstPaint(baseline.url, { resetStats: async () => {}, wellviewCalls: async () => 0 }, 0, { pagesOnly: true });
      for (const page of before.pages) {
        console.log(`  baseline ${page.label} (${page.path}) runs: ${page.runs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
        record(`baseline: ${page.label}: navigation start to first data row (median of 5)`, page.medianMs, 'ms');
        record(`baseline: ${page.label}:   first HTML held rows (1 = yes)`, page.htmlHeldRows ? 1 : 0, '');
      }
    } finally {
      await baseline.stop();
    }
  }
  // WellView calls are counted on an instance of its own whose response cache lives 15 s: long
  // enough that a full page load on a busy machine stays within it for the warm figure.
  const cacheTtlSeconds = 15;
  const counting = await startApp({ sandboxUrl: sandbox.url, env: { ...GATEWAY_APP_ENV, GATEWAY_CACHE_TTL_SECONDS: String(cacheTtlSeconds) } });
  const figures = await measureFirstPaint(
    app.url,
    {
      resetStats: async () => {
        await sandboxPost(sandbox, '/__sandbox/reset');
        await sandboxPost(sandbox, '/__sandbox/faults', { provider: 'wellview', rateLimitPerSecond: 100000 });
      },
      wellviewCalls: async () => {
        const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as { responses: Record<string, Record<string, number>> };
        return Object.values(stats.responses.wellview ?? {}).reduce((sum, count) => sum + count, 0);
      },
    },
    cacheTtlSeconds * 1000,
    { countingUrl: counting.url },
  ).finally(() => counting.stop());
  const lists = new Set(['/', '/wells', '/events', '/sources']);
  for (const page of figures.pages) {
    const isList = lists.has(page.path);
    console.log(`  ${page.label} (${page.path}) runs: ${page.runs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    record(`${page.label}: navigation start to first data row (median of 5)`, page.medianMs, 'ms', isList ? '≤ 300 ms' : '', isList ? page.medianMs <= 300 : null);
    record(`${page.label}:   min / max`, page.minMs, `ms / ${Math.round(page.maxMs)} ms`);
    record(`${page.label}:   first HTML held rows (1 = yes)`, page.htmlHeldRows ? 1 : 0, '', '= 1', page.htmlHeldRows);
    record(`${page.label}:   first HTML size`, page.htmlKb, 'KB');
  }
  for (const view of figures.wellview) {
    const both = view.label === 'overview, then wells';
    record(`WellView calls per view of ${view.label}, response cache cold`, view.cold, 'calls', both ? '≤ 2 (/user + well headers, once)' : '', both ? view.cold <= 2 : null);
    record(`WellView calls per view of ${view.label}, response cache warm`, view.warm, 'calls', '= 0', view.warm === 0);
  }
}

/** Page weight, server time and typing speed (Chromium). */
async function pagesSection(app: RunningApp, sandbox: Sandbox) {
  console.log('\nPages (Chromium)');
  const pages = await measurePages(app.url, (count) =>
    sandboxPost(sandbox, '/__sandbox/seed', { wells: count }),
  );
  record(
    'JavaScript for the first load of /wells (gzip)',
    pages.wellsJsKbGzip,
    'KB',
    '≤ 250 KB',
    pages.wellsJsKbGzip <= 250,
  );
  record(
    'server response time of / (p50)',
    pages.overviewP50Ms,
    'ms',
    '≤ 150 ms',
    pages.overviewP50Ms <= 150,
  );
  record('server response time of /wells (p50)', pages.wellsP50Ms, 'ms', '≤ 150 ms', pages.wellsP50Ms <= 150);
  record(`keystroke to painted filter, 5,000 wells (p50 of ${pages.keystrokes})`, pages.keystrokeP50Ms, 'ms');
  record(
    'keystroke to painted filter, 5,000 wells (max)',
    pages.keystrokeMaxMs,
    'ms',
    '≤ 50 ms',
    pages.keystrokeMaxMs <= 50,
  );
}

/** The wells map with 5,000 wells: keystroke to painted map in Chromium, and its own cost in Node. */
async function mapSection(app: RunningApp, sandbox: Sandbox) {
  console.log('\nWells map, 5,000 wells');
  const node = await measureMapRender();
  record('map layout: place, fit and cluster 5,000 wells (Node, median)', node.layoutMs, 'ms');
  record(`map markup for 5,000 wells, ${node.marks} marks (Node, median)`, node.renderMs, 'ms');
  record('map outlines for a new extent (Node, median)', node.outlinesMs, 'ms');
  const seed = (count: number) => sandboxPost(sandbox, '/__sandbox/seed', { wells: count });
  /**
   * BENCH_BASELINE=<a built checkout of another commit> times that build too, in the same run,
   * against the same sandbox, alternating with this one (two rounds each), so the two are compared
   * under the same load. MAP_TRACE=<file> writes a Chromium trace of this build's first round.
   */
  const baselineRoot = process.env.BENCH_BASELINE;
  const baseline = baselineRoot ? await startApp({ sandboxUrl: sandbox.url, env: GATEWAY_APP_ENV, root: baselineRoot }) : null;
  try {
    const runs: { label: string; url: string; keys: Awaited<ReturnType<typeof measureMapKeystrokes>> }[] = [];
    for (let round = 0; round < (baseline ? 2 : 1); round += 1) {
      if (baseline) runs.push({ label: 'baseline', url: baseline.url, keys: await measureMapKeystrokes(baseline.url, seed) });
      const tracePath = round === 0 ? process.env.MAP_TRACE : undefined;
      runs.push({ label: 'this build', url: app.url, keys: await measureMapKeystrokes(app.url, seed, { tracePath }) });
    }
    for (const { label, keys } of runs) {
      const prefix = baseline ? `${label}: ` : '';
      console.log(`  ${prefix}per keystroke (ms): ${keys.keystrokes.map((entry) => `"${entry.text}" ${entry.ms.toFixed(1)}`).join(', ')}; ${keys.requests} requests while typing`);
      record(`${prefix}keystroke to painted result, table and map, 5,000 wells (p50 of ${keys.samples} of ${keys.typed} keys)`, keys.p50Ms, 'ms');
      record(`${prefix}keystroke to painted result, table and map, 5,000 wells (max)`, keys.maxMs, 'ms', '≤ 50 ms', keys.maxMs <= 50);
      record(`${prefix}  search box's own answer (Event Timing, slowest; 16 = under 16; ${keys.slowInputs} keys ≥ 16 ms)`, keys.inputMaxMs, 'ms');
    }
  } finally {
    await baseline?.stop();
  }
}

/**
 * Signs in, waits until the access token is due, then sends 200 concurrent requests of that
 * session (round-robin over `urls`): there must be exactly one refresh and no reuse. Answers the
 * signed-in browser.
 */
async function measureRefreshStorm(sandbox: Sandbox, urls: string[], label: string): Promise<TestBrowser> {
  const ttl = 6;
  await sandboxPost(sandbox, '/__sandbox/faults', { provider: 'peloton', accessTokenTtlSeconds: ttl });
  const issuedAt = Date.now();
  const { browser } = await signIn(urls[0] as string, admin);
  await sleep(issuedAt + (ttl * 1000) / 2 + 300 - Date.now());
  await sandboxPost(sandbox, '/__sandbox/reset');
  await sandboxPost(sandbox, '/__sandbox/faults', { provider: 'wellview', rateLimitPerSecond: 100000 });
  const storm = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      new TestBrowser(browser.jar.clone()).api(`${urls[i % urls.length]}/api/wellview/user`),
    ),
  );
  const stats = await sandboxStats(sandbox);
  const refreshes = stats.tokenRequests.peloton?.refresh_token ?? 0;
  record(
    `${label}refreshes for 200 concurrent requests at expiry`,
    refreshes,
    'refreshes',
    '= 1',
    refreshes === 1,
  );
  const succeeded = storm.filter((answer) => answer.status === 200).length;
  record(`${label}  of which succeeded`, succeeded, 'requests', '= 200', succeeded === 200);
  record(
    `${label}  reuse detections`,
    stats.refreshReuseDetected,
    '',
    '= 0',
    stats.refreshReuseDetected === 0,
  );
  return browser;
}

/** WELLVIEW_RATE_LIMIT_PER_SECOND for the rate figures (the default), and the longest queue wait. */
const RATE_LIMIT = 18;
const MAX_QUEUE_WAIT_MS = 10_000;
/** A 503 answered within this counts as "at once". */
const FAST_REFUSAL_MS = 1_000;

interface DemandFigures {
  demandRate: number;
  /** 200s per second, from the first call to the last 200. */
  deliveredRate: number;
  /** 200s answered within the demand's 10 s, per second. */
  deliveredInWindowRate: number;
  maxPerSecond: number;
  upstream429: number;
  refused: number;
  refusedFast: number;
  slowestRefusalMs: number;
  longestWaitMs: number;
  other: number;
}

/**
 * Calls `/api/wellview/user` at `perSecond` for `seconds` (round-robin over `urls`), and reads
 * what the sandbox saw: the most calls in any rolling second, and what the dashboard delivered.
 */
async function measureDemand(sandbox: Sandbox, urls: string[], browser: TestBrowser, perSecond = 100, seconds = 10): Promise<DemandFigures> {
  await sandboxPost(sandbox, '/__sandbox/reset');
  const count = perSecond * seconds;
  const started = performance.now();
  const calls: Promise<{ status: number; ms: number; endedAt: number }>[] = [];
  for (let i = 0; i < count; i += 1) {
    await sleep(Math.max(0, started + (i * 1000) / perSecond - performance.now()));
    const url = urls[i % urls.length] as string;
    const sentAt = performance.now();
    calls.push(
      browser.api(`${url}/api/wellview/user`, { headers: { 'cache-control': 'no-cache' } }).then((answer) => {
        const endedAt = performance.now();
        return { status: answer.status, ms: endedAt - sentAt, endedAt: endedAt - started };
      }),
    );
  }
  const demandEnded = performance.now();
  const answers = await Promise.all(calls);
  const stats = await sandboxStats(sandbox);
  const delivered = answers.filter((answer) => answer.status === 200);
  const refused = answers.filter((answer) => answer.status === 503);
  const lastDelivered = Math.max(1, ...delivered.map((answer) => answer.endedAt));
  return {
    demandRate: count / ((demandEnded - started) / 1000),
    deliveredRate: delivered.length / (lastDelivered / 1000),
    deliveredInWindowRate: delivered.filter((answer) => answer.endedAt <= seconds * 1000).length / seconds,
    maxPerSecond: Math.max(0, ...Object.values(stats.maxCallsPerSecond)),
    upstream429: stats.responses.wellview?.['429'] ?? 0,
    refused: refused.length,
    refusedFast: refused.filter((answer) => answer.ms <= FAST_REFUSAL_MS).length,
    slowestRefusalMs: Math.max(0, ...refused.map((answer) => answer.ms)),
    longestWaitMs: Math.max(0, ...answers.map((answer) => answer.ms)),
    other: answers.length - delivered.length - refused.length,
  };
}

function recordDemand(label: string, figures: DemandFigures) {
  const share = (figures.deliveredRate / RATE_LIMIT) * 100;
  record(`${label}demand`, figures.demandRate, 'calls/s');
  record(`${label}delivered (first call to last 200)`, figures.deliveredRate, 'calls/s', `≥ ${(RATE_LIMIT * 0.95).toFixed(1)}`, share >= 95);
  record(`${label}  of WELLVIEW_RATE_LIMIT_PER_SECOND`, share, '%', '≥ 95 %', share >= 95);
  record(`${label}  delivered within the 10 s of demand`, figures.deliveredInWindowRate, 'calls/s');
  record(`${label}sandbox max calls in any rolling second`, figures.maxPerSecond, 'calls', `≤ ${RATE_LIMIT}`, figures.maxPerSecond <= RATE_LIMIT);
  record(`${label}  WellView 429s`, figures.upstream429, '', '= 0', figures.upstream429 === 0);
  record(`${label}503 (could not leave within the bound)`, figures.refused, 'calls');
  record(`${label}  of which answered within ${FAST_REFUSAL_MS} ms`, figures.refusedFast, 'calls', `= ${figures.refused}`, figures.refusedFast === figures.refused);
  record(`${label}  slowest 503`, figures.slowestRefusalMs, 'ms');
  record(`${label}longest wait of any call`, figures.longestWaitMs, 'ms', `≤ ${MAX_QUEUE_WAIT_MS} ms + 1 s`, figures.longestWaitMs <= MAX_QUEUE_WAIT_MS + 1000);
  record(`${label}other answers (neither 200 nor 503)`, figures.other, 'calls', '= 0', figures.other === 0);
}

/**
 * The WellView budget under 100 calls/s of demand for 10 s, WELLVIEW_RATE_LIMIT_PER_SECOND=18:
 * one instance, then two sharing Redis (round-robin). `npm run bench -- rate`.
 */
async function rateBudgetSection(sandbox: Sandbox, apps: RunningApp[]) {
  const env = {
    LOG_LEVEL: 'warn',
    GATEWAY_CACHE_TTL_SECONDS: '0',
    WELLVIEW_RATE_LIMIT_PER_SECOND: String(RATE_LIMIT),
    WELLVIEW_MAX_QUEUE_WAIT_MS: String(MAX_QUEUE_WAIT_MS),
  };
  console.log(`\nWellView budget, one instance (demand 100 calls/s for 10 s on one key, limit ${RATE_LIMIT}/s)`);
  await sandboxPost(sandbox, '/__sandbox/reset');
  const single = await startApp({ sandboxUrl: sandbox.url, env });
  apps.push(single);
  const singleBrowser = (await signIn(single.url, admin)).browser;
  recordDemand('', await measureDemand(sandbox, [single.url], singleBrowser));
  await single.stop();
  apps.splice(apps.indexOf(single), 1);

  console.log(`\nWellView budget, two instances sharing Redis (round-robin, limit ${RATE_LIMIT}/s across both)`);
  const redis = await startRedis();
  try {
    const ports = [await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${ports[0]}`;
    const pair = await Promise.all(ports.map((port) => startApp({ sandboxUrl: sandbox.url, port, env: { ...env, APP_URL: publicUrl, REDIS_URL: redis.url } })));
    apps.push(...pair);
    await sandboxPost(sandbox, '/__sandbox/reset');
    const browser = (await signIn(pair[0]?.url as string, admin)).browser;
    recordDemand('2 instances: ', await measureDemand(sandbox, pair.map((app) => app.url), browser));
    await Promise.all(pair.map((app) => app.stop()));
    for (const app of pair) apps.splice(apps.indexOf(app), 1);
  } finally {
    await redis.stop();
  }
}

/** The same guarantees with two instances sharing one Redis (issue: beyond one server). */
async function twoInstances(sandbox: Sandbox, apps: RunningApp[]) {
  console.log('\nTwo instances sharing Redis (round-robin)');
  const redis = await startRedis();
  try {
    const ports = [await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${ports[0]}`;
    const pair = await Promise.all(
      ports.map((port) =>
        startApp({
          sandboxUrl: sandbox.url,
          port,
          env: {
            APP_URL: publicUrl,
            REDIS_URL: redis.url,
            LOG_LEVEL: 'warn',
            GATEWAY_CACHE_TTL_SECONDS: '0',
          },
        }),
      ),
    );
    apps.push(...pair);
    const urls = pair.map((app) => app.url);

    await sandboxPost(sandbox, '/__sandbox/reset');
    const browser = await measureRefreshStorm(sandbox, urls, '2 instances: ');

    await sandboxPost(sandbox, '/__sandbox/reset');
    const body = JSON.stringify({ PageNumber: 1, PageSize: 5, OnlyUpcoming: true });
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        browser.api(`${urls[i % 2]}/api/events/api/1.0/event/list`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: publicUrl },
          body,
        }),
      ),
    );
    const stats = await sandboxStats(sandbox);
    const eventsTokens = stats.tokenRequests['events-identity']?.client_credentials ?? 0;
    record(
      '2 instances: token requests for 1,000 Events calls (cold cache)',
      eventsTokens,
      'requests',
      '= 1',
      eventsTokens === 1,
    );

  } finally {
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
