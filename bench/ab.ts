/**
 * Builds compared side by side, for a change to the request path: each built checkout's
 * `/api/health` and proxied METI read, and bench/next-floor's no-op and forward-only routes, in
 * interleaved rounds (alternating order) at 10 connections against one sandbox. Prints the
 * medians of req/s and of the servers' CPU per request (all threads, and the main thread alone),
 * and the medians of per-round ratios.
 *
 *   tsx bench/ab.ts <rounds> <seconds per run> <built checkout> [<built checkout>...]
 *
 * A built copy of the code before a change (its `.next`, `package.json`, `next.config.mjs` and
 * `public/`, with `node_modules` linked) makes the first checkout; this one the second.
 */
import { readFileSync } from 'node:fs';
import { DEMO_USERS, METI_CLIENT, METI_AUDIENCE } from '../sandbox/defaults';
import { startApp, type RunningApp } from '../tests/helpers/app';
import { startSandboxProcess } from '../tests/helpers/sandbox-process';
import { signIn } from '../tests/helpers/browser';
import { cannon, startNextFloor } from './gateway';

const [admin] = DEMO_USERS as [(typeof DEMO_USERS)[number]];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return ((sorted[(sorted.length - 1) >> 1] as number) + (sorted[sorted.length >> 1] as number)) / 2;
}

/** CPU time of a process's main thread alone, in ms (GC and libuv threads left out). */
function mainThreadMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Target {
  name: string;
  url: string;
  headers: { [name: string]: string };
  pid: number;
}

async function main() {
  const [roundsArg, secondsArg, ...roots] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  const seconds = Number(secondsArg);
  if (!(rounds > 0) || !(seconds > 0) || roots.length === 0) throw new Error('usage: bench/ab.ts <rounds> <seconds> <built checkout>...');
  const sandbox = await startSandboxProcess();
  await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'wellview', rateLimitPerSecond: 100000 }),
  });
  const apps: RunningApp[] = [];
  const floor = await startNextFloor(`${sandbox.url}/meti`);
  try {
    const targets: Target[] = [];
    let cookie = '';
    for (const [index, root] of roots.entries()) {
      const app = await startApp({ sandboxUrl: sandbox.url, root, env: { WELLVIEW_RATE_LIMIT_PER_SECOND: '100000', LOG_LEVEL: 'warn' } });
      apps.push(app);
      cookie = (await signIn(app.url, admin)).browser.jar.header();
      const headers = { cookie, 'x-csrf': '1', 'cache-control': 'no-cache' };
      const pid = app.process.pid as number;
      targets.push({ name: `noop${index}`, url: `${app.url}/api/health`, headers, pid });
      targets.push({ name: `meti${index}`, url: `${app.url}/api/meti/sources?limit=12`, headers, pid });
    }
    const tokenResponse = await fetch(`${sandbox.url}/meti-identity/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: METI_CLIENT.clientId, client_secret: METI_CLIENT.clientSecret, audience: METI_AUDIENCE }),
    });
    const token = ((await tokenResponse.json()) as { access_token: string }).access_token;
    // The floor gets the same request headers and cookies as the dashboard.
    const headers = { cookie, 'x-csrf': '1', 'cache-control': 'no-cache' };
    targets.push({ name: 'floorNoop', url: `${floor.url}/api/noop`, headers, pid: floor.pid });
    targets.push({ name: 'floorProxy', url: `${floor.url}/api/proxy/sources?limit=12`, headers: { ...headers, authorization: `Bearer ${token}` }, pid: floor.pid });
    for (const target of targets) await cannon(target.url, target.headers, { connections: 10, duration: 2 });

    const rps: { [name: string]: number[] } = {};
    const cpu: { [name: string]: number[] } = {};
    const mainCpu: { [name: string]: number[] } = {};
    for (let round = 0; round < rounds; round += 1) {
      for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
        const mainBefore = mainThreadMs(target.pid);
        const result = await cannon(target.url, target.headers, { connections: 10, duration: seconds, pid: target.pid });
        if (result.non2xx) throw new Error(`${target.name}: ${result.non2xx} failed answers`);
        (rps[target.name] ??= []).push(result.rps);
        (cpu[target.name] ??= []).push(result.cpuUs);
        (mainCpu[target.name] ??= []).push(((mainThreadMs(target.pid) - mainBefore) * 1000) / result.total);
      }
    }
    const show = (label: string, figures: { [name: string]: number[] }, unit: string) => {
      console.log(`\n${label}`);
      for (const [name, values] of Object.entries(figures)) {
        console.log(`  ${name.padEnd(11)} ${median(values).toFixed(0).padStart(6)} ${unit}  [${values.map((value) => value.toFixed(0)).join(' ')}]`);
      }
    };
    show('req/s (median, then each round)', rps, 'req/s');
    show('server CPU per request, all threads', cpu, 'µs');
    show('server CPU per request, main thread', mainCpu, 'µs');
    const ratio = (a: string, b: string, figures = rps) => median((figures[a] as number[]).map((value, round) => value / (figures[b] as number[])[round]!));
    console.log('\nMedians of per-round ratios');
    for (const index of roots.keys()) {
      console.log(`  ${roots[index]}: req/s no-op / floor no-op ${ratio(`noop${index}`, 'floorNoop').toFixed(3)}, proxied / floor forward-only ${ratio(`meti${index}`, 'floorProxy').toFixed(3)}`);
      console.log(`    CPU per request: no-op / floor ${ratio(`noop${index}`, 'floorNoop', cpu).toFixed(3)}, proxied / floor ${ratio(`meti${index}`, 'floorProxy', cpu).toFixed(3)}`);
      if (index > 0) {
        console.log(`    against ${roots[0]}: req/s no-op ${ratio(`noop${index}`, 'noop0').toFixed(3)}, proxied ${ratio(`meti${index}`, 'meti0').toFixed(3)}`);
        console.log(`      CPU per request: no-op ${ratio(`noop${index}`, 'noop0', cpu).toFixed(3)}, proxied ${ratio(`meti${index}`, 'meti0', cpu).toFixed(3)}`);
      }
    }
  } finally {
    await Promise.all([...apps.map((app) => app.stop()), floor.stop()]);
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
