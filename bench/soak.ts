/**
 * The soak: mixed traffic from many sessions with short-lived access tokens and injected faults,
 * for a while. It passes when no session is lost, no refresh token is ever reused, and memory
 * stays flat (the second half's peak RSS within 15 % of the first half's; 50 % for runs under 5 minutes,
 * which are mostly warm-up). `npm run soak` runs 10 minutes; `npm test` runs the 1-minute variant.
 *
 *   tsx bench/soak.ts [--minutes 10] [--sessions 50] [--ttl 20] [--fault-rate 0.02]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_USERS } from '../sandbox/defaults';
import { buildIfNeeded } from '../scripts/processes';
import { startApp } from '../tests/helpers/app';
import { signIn, type TestBrowser } from '../tests/helpers/browser';
import { rssMb, startSandboxProcess } from '../tests/helpers/sandbox-process';

const root = path.resolve(__dirname, '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

async function main() {
  const minutes = option('minutes', 10);
  const sessionCount = option('sessions', 50);
  const ttlSeconds = option('ttl', 20);
  const faultRate = option('fault-rate', 0.02);
  console.log(`soak: ${minutes} min, ${sessionCount} sessions, ${ttlSeconds} s access tokens, ${faultRate * 100} % injected faults`);

  await buildIfNeeded(root);
  const sandbox = await startSandboxProcess();
  const post = async (route: string, body: unknown = {}) => {
    const response = await fetch(`${sandbox.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${route}: ${response.status}`);
  };
  const app = await startApp({ sandboxUrl: sandbox.url, env: { LOG_LEVEL: 'warn' } });
  const pid = app.process.pid as number;
  let failed = false;
  try {
    await post('/__sandbox/faults', { provider: 'peloton', accessTokenTtlSeconds: ttlSeconds });
    const sessions: { browser: TestBrowser; lost: boolean }[] = [];
    for (let index = 0; index < sessionCount; index += 1) {
      sessions.push({ browser: (await signIn(app.url, DEMO_USERS[index % DEMO_USERS.length] as (typeof DEMO_USERS)[number])).browser, lost: false });
    }
    // Faults from here on: every provider fails this share of its calls (HTTP 503).
    for (const provider of ['peloton', 'events-identity', 'meti-identity', 'wellview', 'events', 'meti']) {
      await post('/__sandbox/faults', { provider, errorRate: faultRate, errorStatus: 503, retryAfterSeconds: 1 });
    }
    await post('/__sandbox/faults', { provider: 'peloton', accessTokenTtlSeconds: ttlSeconds });

    const eventsBody = JSON.stringify({ PageNumber: 1, PageSize: 5, OnlyUpcoming: true });
    const calls = [
      (browser: TestBrowser) => browser.api(`${app.url}/api/wellview/user`),
      (browser: TestBrowser) => browser.api(`${app.url}/api/wellview/demo-org/wellview/v10/wellheader/data?limit=20`),
      (browser: TestBrowser) => browser.api(`${app.url}/api/events/api/1.0/event/list`, { method: 'POST', headers: { 'content-type': 'application/json', origin: app.url }, body: eventsBody }),
      (browser: TestBrowser) => browser.api(`${app.url}/api/meti/sources?limit=5`),
      (browser: TestBrowser) => browser.request(`${app.url}/api/auth/session`),
    ];
    const statuses = new Map<number, number>();
    let requests = 0;
    const memory: { atSeconds: number; rssMb: number }[] = [];
    const started = Date.now();
    const endAt = started + minutes * 60_000;
    const sampler = setInterval(() => memory.push({ atSeconds: Math.round((Date.now() - started) / 1000), rssMb: rssMb(pid) }), Math.min(30_000, (minutes * 60_000) / 6));

    await Promise.all(
      sessions.map(async (session, index) => {
        let turn = index;
        while (Date.now() < endAt && !session.lost) {
          const call = calls[turn % calls.length] as (typeof calls)[number];
          turn += 1;
          const answer = await call(session.browser);
          requests += 1;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          session.browser.jar.apply(answer.setCookies);
          if (answer.status === 401) session.lost = true;
          await sleep(150 + Math.random() * 250);
        }
      }),
    );
    clearInterval(sampler);
    memory.push({ atSeconds: Math.round((Date.now() - started) / 1000), rssMb: rssMb(pid) });

    const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as {
      tokenRequests: Record<string, Record<string, number>>;
      refreshReuseDetected: number;
      revokedLogins: number;
      responses: Record<string, Record<string, number>>;
    };
    const injected = Object.values(stats.responses).reduce((sum, byStatus) => sum + (byStatus['503'] ?? 0), 0);
    const lost = sessions.filter((session) => session.lost).length;
    // Flat: the highest sample of the second half within 15 % of the highest of the first. RSS is
    // a sawtooth (the heap grows, a full collection shrinks it), so single samples would compare
    // GC phases rather than catch a leak; the peaks only climb when something is kept.
    const peak = (samples: typeof memory) => Math.max(0, ...samples.map((sample) => sample.rssMb));
    const half = Math.ceil(memory.length / 2);
    const firstPeak = peak(memory.slice(0, half));
    const growth = firstPeak > 0 ? (peak(memory.slice(half)) - firstPeak) / firstPeak : 0;
    const result = {
      minutes,
      sessions: sessionCount,
      requests,
      statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
      refreshes: stats.tokenRequests.peloton?.refresh_token ?? 0,
      faultsInjected: injected,
      lostSessions: lost,
      reuseDetected: stats.refreshReuseDetected,
      revokedLogins: stats.revokedLogins,
      memory,
      rssGrowthPercent: Math.round(growth * 1000) / 10,
    };
    const file = minutes >= 10 ? 'bench/soak-results.json' : 'test-results/soak.json';
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify({ ...result, memory: memory.map((sample) => `${sample.atSeconds}s:${Math.round(sample.rssMb)}MB`).join(' ') }, null, 2));
    // A minute is mostly warm-up (heap growth, caches filling): short runs only catch gross leaks.
    const allowedGrowth = minutes >= 5 ? 0.15 : 0.5;
    failed = lost > 0 || stats.refreshReuseDetected > 0 || stats.revokedLogins > 0 || growth > allowedGrowth;
    console.log(
      `soak: ${requests} requests, ${injected} faults injected, ${result.refreshes} refreshes, ${lost} sessions lost, ${stats.refreshReuseDetected} reuse detections, RSS ${result.rssGrowthPercent} % → ${failed ? 'FAILED' : 'ok'}`,
    );
  } finally {
    await app.stop();
    await sandbox.close();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
