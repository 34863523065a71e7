/**
 * Starts the built dashboard (`next start`, or the standalone `server.js` the container runs) as a
 * child process for integration tests, with the sandbox's environment plus any overrides, and
 * captures its logs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { sandboxAppEnv } from '../../scripts/sandbox-env';
import { prepareStandalone } from '../../scripts/standalone.mjs';

const root = path.resolve(__dirname, '../..');

export interface RunningApp {
  url: string;
  port: number;
  /** Everything the server printed so far (stdout and stderr). */
  logs(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface StartAppOptions {
  sandboxUrl: string;
  env?: Record<string, string | undefined>;
  port?: number;
  /** Wait for `/api/health`; false when the test expects start-up to fail. */
  waitForHealth?: boolean;
  /** A built checkout to start instead of this one (the bench compares builds). */
  root?: string;
  /** Run `.next/standalone/server.js` with the assets copied in, as the Dockerfile does. */
  standalone?: boolean;
}

export async function startApp(options: StartAppOptions): Promise<RunningApp & { process: ChildProcess }> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    ...sandboxAppEnv(options.sandboxUrl, url),
    ...options.env,
  };
  const appRoot = options.root ?? root;
  const [command, args] = options.standalone
    ? [process.execPath, [prepareStandalone(appRoot)]]
    : [path.join(appRoot, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1']];
  if (options.standalone) Object.assign(env, { PORT: String(port), HOSTNAME: '127.0.0.1' });
  const child = spawn(command, args, {
    cwd: appRoot,
    env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  if (options.waitForHealth !== false) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the dashboard exited early:\n${output}`);
      try {
        const response = await fetch(`${url}/api/health`);
        if (response.ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the dashboard did not become healthy:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return { url, port, process: child, logs: () => output, stop };
}
