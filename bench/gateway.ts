/**
 * The gateway's throughput and added latency for `npm run bench` (`-- gateway`), measured side by
 * side with bench/next-floor (a minimal Next.js app: a no-op route and a forward-only route) and
 * bench/bare-proxy.ts (no Next.js at all).
 *
 * The targets compare the dashboard with the floor in absolute terms: each round runs every
 * target back to back (alternating the order, so drift favours none), a round's figure is the
 * ratio (or difference) of two runs in that round, and a target judges the median over rounds.
 * One noisy run on this shared machine then moves a figure little.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { Agent, request } from 'undici';
import { freePort, type startApp } from '../tests/helpers/app';

type RunningApp = Awaited<ReturnType<typeof startApp>>;

const root = path.resolve(__dirname, '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records one bench figure (bench/run.ts's table); `pass` is null when it is not a target. */
export type RecordFigure = (metric: string, value: number, unit: string, target?: string, pass?: boolean | null) => void;

export interface CannonResult {
  rps: number;
  total: number;
  non2xx: number;
  /** CPU time the server process (`options.pid`) spent per request, in µs; NaN without a pid. */
  cpuUs: number;
}

/**
 * autocannon against one URL: mean requests per second, the total, the failed answers and, given
 * the server's pid, the CPU time it spent per request (all its threads, GC included). On a shared
 * machine CPU per request moves much less than requests per second.
 */
export async function cannon(
  url: string,
  headers: { [name: string]: string },
  options: { connections: number; duration?: number; amount?: number; pid?: number },
): Promise<CannonResult> {
  const cpuBefore = options.pid === undefined ? Number.NaN : cpuMs(options.pid);
  const result = await autocannon({
    url,
    headers,
    connections: options.connections,
    ...(options.duration !== undefined ? { duration: options.duration } : {}),
    ...(options.amount !== undefined ? { amount: options.amount } : {}),
  });
  const cpuUs = options.pid === undefined ? Number.NaN : ((cpuMs(options.pid) - cpuBefore) * 1000) / result.requests.total;
  return { rps: result.requests.average, total: result.requests.total, non2xx: result.non2xx + result.errors, cpuUs };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** User and system CPU time of a process and its children (`next start` may serve from one), in ms. */
function cpuMs(pid: number): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // no children file: a process without children on older kernels
  }
  // Fields after the command name: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND + children.reduce((sum, child) => sum + cpuMs(child), 0);
}

/** Sequential keep-alive requests with a high-resolution clock, after 50 to warm up: each in ms. */
async function latencySamples(url: string, headers: { [name: string]: string }, count: number): Promise<number[]> {
  const agent = new Agent({ connections: 1 });
  const samples: number[] = [];
  for (let i = 0; i < count + 50; i += 1) {
    const started = process.hrtime.bigint();
    const response = await request(url, { headers, dispatcher: agent });
    await response.body.arrayBuffer();
    if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
    if (i >= 50) samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  await agent.close();
  return samples;
}

interface Percentiles {
  p50: number;
  p99: number;
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { p50: at(0.5), p99: at(0.99) };
}

/** The median, and the lowest and highest value, of per-round figures. */
function spread(values: number[]): { median: number; low: number; high: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const median = ((sorted[(sorted.length - 1) >> 1] as number) + (sorted[sorted.length >> 1] as number)) / 2;
  return { median, low: sorted[0] as number, high: sorted[sorted.length - 1] as number };
}

interface Helper {
  url: string;
  /** The process serving it. */
  pid: number;
  stop(): Promise<void>;
}

/** bench/bare-proxy.ts in its own process, as the dashboard runs in its own. */
async function startBareProxy(upstream: string): Promise<Helper> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/bare-proxy.ts'), upstream, String(port)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare proxy exited (${code})`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    stop: async () => {
      child.removeAllListeners('exit');
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const FLOOR_DIR = path.join(root, 'bench/next-floor');
/** What bench/next-floor's build depends on: its own files and the Next.js installed. */
const FLOOR_SOURCES = ['app', 'next.config.mjs', 'instrumentation.js', path.join(root, 'node_modules/next/package.json')];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(target).map((entry) => newestMtime(path.join(target, entry))));
}

/** Builds bench/next-floor unless its build is newer than everything it depends on. */
function buildFloorIfNeeded(): void {
  const buildId = path.join(FLOOR_DIR, '.next/BUILD_ID');
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (builtAt > Math.max(...FLOOR_SOURCES.map((entry) => newestMtime(path.resolve(FLOOR_DIR, entry))))) return;
  const build = spawnSync(path.join(root, 'node_modules/.bin/next'), ['build'], {
    cwd: FLOOR_DIR,
    stdio: 'ignore',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) throw new Error('building bench/next-floor failed');
}

/**
 * bench/next-floor in its own process, started as the dashboard is (`next start`): a minimal
 * Next.js app with a no-op route and a route that only forwards the call with the gateway's undici
 * settings. It shows what any Next.js route handler costs on this machine before the dashboard
 * does anything of its own.
 */
export async function startNextFloor(upstream: string): Promise<Helper> {
  buildFloorIfNeeded();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: FLOOR_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', FLOOR_UPSTREAM: upstream },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let attempt = 0; ; attempt += 1) {
    try {
      if ((await fetch(`${url}/api/noop`)).ok) return { url, pid: child.pid as number, stop };
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || attempt > 150) {
      await stop();
      throw new Error('bench/next-floor did not start');
    }
    await sleep(200);
  }
}

export interface GatewayBenchOptions {
  app: RunningApp;
  sandboxUrl: string;
  /** A signed-in browser's cookie header. */
  cookie: string;
  /** The sandbox's own METI token, for the calls that bypass the gateway. */
  metiToken: string;
  record: RecordFigure;
}

/** A 5 KB METI read. */
const METI_PATH = '/api/meti/sources?limit=12';
const THROUGHPUT_ROUNDS = 6;
const LATENCY_ROUNDS = 4;
const LATENCY_CALLS = 500;

/** Throughput (10 connections) and added latency (1 connection) of the gateway, against the floor. */
export async function gatewaySection({ app, sandboxUrl, cookie, metiToken, record }: GatewayBenchOptions): Promise<void> {
  // Every measured call bypasses the gateway's response cache: the upstream path is what is timed.
  const apiHeaders = { cookie, 'x-csrf': '1', 'cache-control': 'no-cache' };
  const helpers: Helper[] = [];
  try {
    const [floor, bareProxy] = await Promise.all([startNextFloor(`${sandboxUrl}/meti`), startBareProxy(sandboxUrl)]);
    helpers.push(floor, bareProxy);
    const sample = await request(`${app.url}${METI_PATH}`, { headers: apiHeaders });
    record('proxied response size', (await sample.body.arrayBuffer()).byteLength / 1024, 'KB');
    const floorProxy = { url: `${floor.url}/api/proxy/sources?limit=12`, headers: { ...apiHeaders, authorization: `Bearer ${metiToken}` }, pid: floor.pid };
    await throughput({ app, floor, floorProxy, apiHeaders, cookie, record });
    await latency({ app, sandboxUrl, bareProxyUrl: bareProxy.url, floorProxy, apiHeaders, metiToken, record });
  } finally {
    await Promise.all(helpers.map((helper) => helper.stop()));
  }
}

interface Target {
  url: string;
  headers: { [name: string]: string };
  /** The server's process, for its CPU time. */
  pid?: number;
}

async function throughput(options: {
  app: RunningApp;
  floor: Helper;
  floorProxy: Target;
  apiHeaders: { [name: string]: string };
  cookie: string;
  record: RecordFigure;
}): Promise<void> {
  const { app, floor, floorProxy, apiHeaders, cookie, record } = options;
  const pid = app.process.pid as number;
  console.log(`\nGateway throughput (10 connections; ${THROUGHPUT_ROUNDS} interleaved rounds of 5 s runs)`);
  // The no-op routes get the very same request as the gateway (the browser's cookies and
  // headers). Each pair the targets compare runs back to back. Also timed, not targets: the same
  // read answered from the gateway's response cache (every check, no upstream call).
  const runs = {
    noop: { url: `${app.url}/api/health`, headers: apiHeaders, pid },
    floorNoop: { url: `${floor.url}/api/noop`, headers: apiHeaders, pid: floor.pid },
    proxied: { url: `${app.url}${METI_PATH}`, headers: apiHeaders, pid },
    floorProxy,
    cached: { url: `${app.url}${METI_PATH}`, headers: { cookie, 'x-csrf': '1' }, pid },
  } satisfies { [kind: string]: Target };
  type Kind = keyof typeof runs;
  const kinds = Object.keys(runs) as Kind[];
  const rounds: { [kind in Kind]: CannonResult }[] = [];
  for (let round = 0; round < THROUGHPUT_ROUNDS; round += 1) {
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    const result = {} as { [kind in Kind]: CannonResult };
    for (const kind of order) result[kind] = await cannon(runs[kind].url, runs[kind].headers, { connections: 10, duration: 5, pid: runs[kind].pid });
    rounds.push(result);
  }
  const bare = await cannon(`${app.url}/api/health`, {}, { connections: 10, duration: 5 });
  const rps = (kind: Kind) => spread(rounds.map((round) => round[kind].rps)).median;
  const ratio = (kind: Kind, base: Kind) => spread(rounds.map((round) => round[kind].rps / round[base].rps));
  const cpu = (kind: Kind) => spread(rounds.map((round) => round[kind].cpuUs)).median;

  /** The dashboard's route against the floor's: both absolute rates, their ratio judged, its spread, CPU per request. */
  const againstFloor = (kind: Kind, floor: Kind, names: { ours: string; floor: string; ratio: string; cpu: string }, minimum: number) => {
    const compared = ratio(kind, floor);
    record(`${names.ours} (median of rounds)`, rps(kind), 'req/s');
    record(`${names.floor} (median of rounds)`, rps(floor), 'req/s');
    record(`${names.ratio} (median of per-round ratios)`, compared.median * 100, '%', `≥ ${Math.round(minimum * 100)} %`, compared.median >= minimum);
    record('  lowest round', compared.low * 100, '%');
    record('  highest round', compared.high * 100, '%');
    record(`  server CPU per ${names.cpu} (median of rounds)`, cpu(kind), `µs / ${Math.round(cpu(floor))} µs`);
  };
  againstFloor(
    'proxied',
    'floorProxy',
    {
      ours: 'proxied METI read',
      floor: 'bench/next-floor forward-only route, same read',
      ratio: 'gateway / floor forward-only throughput',
      cpu: 'proxied read: gateway / floor forward-only',
    },
    0.9,
  );
  record('  non-2xx answers while proxying', rounds.reduce((sum, round) => sum + round.proxied.non2xx, 0), '');
  againstFloor(
    'noop',
    'floorNoop',
    {
      ours: 'dashboard no-op route (/api/health), same request',
      floor: 'bench/next-floor no-op route, same request',
      ratio: 'dashboard no-op / floor no-op throughput',
      cpu: 'request: dashboard no-op / floor no-op',
    },
    0.95,
  );

  // Each app against its own no-op: what the proxying itself costs, in either app.
  const ownProxied = ratio('proxied', 'noop');
  const ownFloor = ratio('floorProxy', 'floorNoop');
  record('proxied / dashboard no-op (median)', ownProxied.median * 100, '%', '≥ 85 %', ownProxied.median >= 0.85);
  record('  floor forward-only / floor no-op (median)', ownFloor.median * 100, '%');
  record('dashboard no-op route, no cookies or headers', bare.rps, 'req/s');
  record('same read from the gateway cache, no upstream call (median of rounds)', rps('cached'), 'req/s');
  record("  cached / dashboard no-op (median): the gateway's own checks, no upstream call", ratio('cached', 'noop').median * 100, '%');
}

async function latency(options: {
  app: RunningApp;
  sandboxUrl: string;
  bareProxyUrl: string;
  floorProxy: Target;
  apiHeaders: { [name: string]: string };
  metiToken: string;
  record: RecordFigure;
}): Promise<void> {
  const { app, sandboxUrl, bareProxyUrl, floorProxy, apiHeaders, metiToken, record } = options;
  console.log(`\nAdded latency (1 connection; ${LATENCY_ROUNDS} interleaved rounds of ${LATENCY_CALLS} sequential calls each)`);
  // Not targets: the no-op route (Next.js's own share), a bare Node proxy (bench/bare-proxy.ts:
  // the extra hop alone) and bench/next-floor's forward-only route.
  const targets = {
    direct: { url: `${sandboxUrl}/meti/sources?limit=12`, headers: { authorization: `Bearer ${metiToken}` } },
    proxied: { url: `${app.url}${METI_PATH}`, headers: apiHeaders },
    floorProxy,
    noop: { url: `${app.url}/api/health`, headers: apiHeaders },
    bareProxy: { url: `${bareProxyUrl}/meti/sources?limit=12`, headers: { authorization: `Bearer ${metiToken}` } },
  } satisfies { [kind: string]: Target };
  type Kind = keyof typeof targets;
  const kinds = Object.keys(targets) as Kind[];
  const rounds: { [kind in Kind]: number[] }[] = [];
  for (let round = 0; round < LATENCY_ROUNDS; round += 1) {
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    const samples = {} as { [kind in Kind]: number[] };
    for (const kind of order) samples[kind] = await latencySamples(targets[kind].url, targets[kind].headers, LATENCY_CALLS);
    rounds.push(samples);
  }
  const pooled = (kind: Kind) => percentiles(rounds.flatMap((round) => round[kind]));
  const [direct, viaGateway, viaFloor, noop, viaBareProxy] = (['direct', 'proxied', 'floorProxy', 'noop', 'bareProxy'] as const).map(pooled) as [
    Percentiles,
    Percentiles,
    Percentiles,
    Percentiles,
    Percentiles,
  ];
  record('direct p50 (pooled)', direct.p50, 'ms');
  record('dashboard no-op route p50, same request', noop.p50, 'ms');
  record('  dashboard no-op p50 minus direct p50', noop.p50 - direct.p50, 'ms');
  record('  bare Node proxy (no Next.js) added p50', viaBareProxy.p50 - direct.p50, 'ms');
  record('  bench/next-floor forward-only route: added p50', viaFloor.p50 - direct.p50, 'ms');
  record('proxied p50', viaGateway.p50, 'ms');
  record('added p50', viaGateway.p50 - direct.p50, 'ms', '≤ 1.5 ms', viaGateway.p50 - direct.p50 <= 1.5);
  record('added p99', viaGateway.p99 - direct.p99, 'ms', '≤ 5 ms', viaGateway.p99 - direct.p99 <= 5);
  const overFloor = spread(rounds.map((round) => percentiles(round.proxied).p50 - percentiles(round.floorProxy).p50));
  record('gateway p50 − floor forward-only p50 (median of per-round differences)', overFloor.median, 'ms', '≤ +0.5 ms', overFloor.median <= 0.5);
  record('  lowest round', overFloor.low, 'ms');
  record('  highest round', overFloor.high, 'ms');
}
