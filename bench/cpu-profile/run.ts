/**
 * CPU profiles of the dashboard and bench/next-floor under the bench's load (10 connections, the
 * same request headers and cookies), one server per target so each profile holds one route:
 *
 *   tsx bench/cpu-profile/run.ts <out dir> [seconds]   → <out dir>/<target>/<pid>.cpuprofile
 *   tsx bench/cpu-profile/report.ts <profile> <requests> [filter]
 *
 * Targets: `health` and `meti` (the dashboard's /api/health and a proxied METI read), `floorNoop`
 * and `floorProxy`. Each server is warmed up before profiling starts; the request count for the
 * report is printed per target.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { DEMO_USERS, METI_CLIENT, METI_AUDIENCE } from '../../sandbox/defaults';
import { freePort, startApp } from '../../tests/helpers/app';
import { startSandboxProcess, type Sandbox } from '../../tests/helpers/sandbox-process';
import { signIn } from '../../tests/helpers/browser';

const root = path.resolve(__dirname, '../..');
const hook = path.join(__dirname, 'hook.mjs');
const [admin] = DEMO_USERS as [(typeof DEMO_USERS)[number]];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The process and its descendants (`next start` may serve from a child), and no other. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // gone
  }
  return [pid, ...children.flatMap(processTree)];
}

async function startDashboard(sandbox: Sandbox, out: string): Promise<Server & { cookie: string }> {
  const app = await startApp({
    sandboxUrl: sandbox.url,
    env: { WELLVIEW_RATE_LIMIT_PER_SECOND: '100000', LOG_LEVEL: 'warn', NODE_OPTIONS: `--import ${hook}`, CPU_PROFILE_DIR: out },
  });
  const cookie = (await signIn(app.url, admin)).browser.jar.header();
  return { url: app.url, pid: app.process.pid as number, stop: app.stop, cookie };
}

async function startFloor(sandbox: Sandbox, out: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: path.join(root, 'bench/next-floor'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', FLOOR_UPSTREAM: `${sandbox.url}/meti`, NODE_OPTIONS: `--import ${hook}`, CPU_PROFILE_DIR: out },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      if ((await fetch(`${url}/api/noop`)).ok) break;
    } catch {
      if (attempt > 150) throw new Error('bench/next-floor did not start (build it first: npm run bench -- gateway)');
      await sleep(200);
    }
  }
  return {
    url,
    pid: child.pid as number,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main() {
  const outRoot = path.resolve(process.argv[2] ?? 'cpu-profiles');
  const seconds = Number(process.argv[3] ?? 10);
  const sandbox = await startSandboxProcess();
  await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'wellview', rateLimitPerSecond: 100000 }),
  });
  const tokenResponse = await fetch(`${sandbox.url}/meti-identity/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: METI_CLIENT.clientId, client_secret: METI_CLIENT.clientSecret, audience: METI_AUDIENCE }),
  });
  const token = ((await tokenResponse.json()) as { access_token: string }).access_token;
  let cookie = '';
  try {
    for (const target of ['health', 'meti', 'floorNoop', 'floorProxy'] as const) {
      const out = path.join(outRoot, target);
      mkdirSync(out, { recursive: true });
      let server: Server;
      let url: string;
      if (target === 'health' || target === 'meti') {
        const dashboard = await startDashboard(sandbox, out);
        cookie = dashboard.cookie;
        server = dashboard;
        url = target === 'health' ? `${server.url}/api/health` : `${server.url}/api/meti/sources?limit=12`;
      } else {
        server = await startFloor(sandbox, out);
        url = target === 'floorNoop' ? `${server.url}/api/noop` : `${server.url}/api/proxy/sources?limit=12`;
      }
      const headers = { cookie, 'x-csrf': '1', 'cache-control': 'no-cache', ...(target === 'floorProxy' ? { authorization: `Bearer ${token}` } : {}) };
      try {
        await autocannon({ url, headers, connections: 10, duration: 3 });
        for (const pid of processTree(server.pid)) process.kill(pid, 'SIGUSR2');
        const result = await autocannon({ url, headers, connections: 10, duration: seconds });
        console.log(`${target}: ${result.requests.total} requests (${Math.round(result.requests.average)} req/s, ${result.non2xx} non-2xx) → ${out}`);
      } finally {
        await server.stop();
      }
    }
  } finally {
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
