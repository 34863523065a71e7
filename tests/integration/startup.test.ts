import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/app';
import { DEMO_SESSION_PASSWORD, sandboxAppEnv } from '../../scripts/sandbox-env';

const root = path.resolve(__dirname, '../..');

/** Runs `next start` with exactly this environment and returns its exit code and output. */
async function startWith(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const child = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}

describe('start-up with a broken environment', () => {
  it('stops, naming every bad or missing variable and printing no secret', async () => {
    const secrets = ['short-session-secret', 'peloton-client-secret-value', 'subscription-key-value-123'];
    const { code, output } = await startWith({
      SESSION_PASSWORD: secrets[0] as string,
      PELOTON_CLIENT_SECRET: secrets[1] as string,
      WELLVIEW_SUBSCRIPTION_KEY: secrets[2] as string,
      WELLVIEW_RATE_LIMIT_PER_SECOND: 'lots',
      PELOTON_TOKEN_URL: 'not a url',
      EVENTS_CLIENT_ID: 'events-client',
    });
    expect(code).toBe(1);
    for (const name of [
      'APP_URL',
      'SESSION_PASSWORD',
      'PELOTON_CLIENT_ID',
      'PELOTON_TOKEN_URL',
      'PELOTON_AUTHORIZE_URL',
      'PELOTON_JWKS_URL',
      'WELLVIEW_API_BASE_URL',
      'WELLVIEW_REGION',
      'WELLVIEW_RATE_LIMIT_PER_SECOND',
      'EVENTS_IDENTITY_URL',
      'EVENTS_CLIENT_SECRET',
      'EVENTS_API_BASE_URL',
      'EVENTS_TENANT_CODE',
    ]) {
      expect(output).toContain(name);
    }
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});

describe('start-up of a deployment (APP_URL not a loopback origin)', () => {
  it('stops, listing every problem at once: published and weak passwords, ALLOW_INSECURE_HTTP, http APP_URL', async () => {
    const weak = 'password1234'.repeat(3);
    // The sandbox's environment, which runs on localhost, moved to a public http origin.
    const env = {
      ...sandboxAppEnv('http://127.0.0.1:9', 'http://dashboard.example.com'),
      SESSION_PASSWORD: `${DEMO_SESSION_PASSWORD},${weak}`,
    };
    const { code, output } = await startWith(env);
    expect(code).toBe(1);
    const problems = output.split('\n').filter((line) => line.trim().startsWith('- '));
    expect(problems.filter((line) => line.includes('SESSION_PASSWORD'))).toHaveLength(2);
    expect(problems.some((line) => line.includes('ALLOW_INSECURE_HTTP'))).toBe(true);
    expect(problems.some((line) => line.includes('APP_URL'))).toBe(true);
    expect(output).not.toContain(DEMO_SESSION_PASSWORD);
    expect(output).not.toContain(weak);
  });

  it("stops on .env.local.example's placeholder password even with everything else right", async () => {
    const { code, output } = await startWith({
      ...sandboxAppEnv('https://idp.example.com', 'https://dashboard.example.com'),
      ALLOW_INSECURE_HTTP: '0',
      SESSION_PASSWORD: 'replace-with-at-least-32-random-characters',
    });
    expect(code).toBe(1);
    expect(output).toContain('SESSION_PASSWORD');
    expect(output).not.toContain('replace-with-at-least-32-random-characters');
  });
});
