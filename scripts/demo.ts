/**
 * `npm run demo`: builds the dashboard if needed, starts the sandbox and the dashboard in
 * production mode, and prints the URL and the demo logins. With a `.env.local` it uses that
 * configuration instead of the sandbox's (and starts no sandbox unless DEMO_SANDBOX=1).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseProfile, profileUsers } from '../sandbox/profiles';
import { sandboxAppEnv } from './sandbox-env';
import { buildIfNeeded, spawnLogged, stopAll, waitForUrl } from './processes';

const root = path.resolve(__dirname, '..');
const appPort = Number(process.env.PORT ?? 3000);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4000);
const host = '127.0.0.1';

function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (match?.[1]) env[match[1]] = (match[2] ?? '').replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

async function main(): Promise<void> {
  const envFile = path.join(root, '.env.local');
  const profile = parseProfile(process.env.SANDBOX_PROFILE);
  const useSandbox = !existsSync(envFile) || process.env.DEMO_SANDBOX === '1';
  const appUrl = `http://localhost:${appPort}`;
  const sandboxUrl = `http://${host}:${sandboxPort}`;

  await buildIfNeeded(root);

  if (useSandbox) {
    spawnLogged('sandbox', 'npx', ['tsx', 'sandbox/main.ts'], {
      cwd: root,
      env: { ...process.env, SANDBOX_PORT: String(sandboxPort), SANDBOX_HOST: host },
    });
    await waitForUrl(`${sandboxUrl}/__sandbox/stats`, 30_000);
  }
  const appEnv = useSandbox ? sandboxAppEnv(sandboxUrl, appUrl) : readEnvFile(envFile);
  // `npm start`'s server (the standalone build, as the container runs it), without telemetry.
  spawnLogged('dashboard', process.execPath, ['scripts/start.mjs', '-p', String(appPort), '-H', host], {
    cwd: root,
    env: { ...process.env, ...appEnv, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  await waitForUrl(`http://${host}:${appPort}/api/health`, 60_000);

  const lines = [
    '',
    '  WellView Dashboard is running.',
    '',
    `    Dashboard:  ${appEnv.APP_URL ?? appUrl}`,
  ];
  if (useSandbox) {
    lines.push(`    Sandbox:    ${sandboxUrl}  (fake Peloton, Events and METI; ${profile} response shapes)`, '', '  Demo logins:');
    for (const user of profileUsers(profile)) {
      const notes = [user.admin ? 'admin' : '', user.emailVerified ? '' : 'email not verified'].filter(Boolean).join(', ');
      lines.push(`    ${user.email.padEnd(20)} password: ${user.password.padEnd(10)} ${notes ? `(${notes})` : ''}`);
    }
  }
  lines.push('', '  Press Ctrl+C to stop.', '');
  console.log(lines.join('\n'));
}

process.on('SIGINT', () => void stopAll().then(() => process.exit(0)));
process.on('SIGTERM', () => void stopAll().then(() => process.exit(0)));

main().catch(async (error: unknown) => {
  console.error(`\nThe demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exit(1);
});
