import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/app';

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
