/**
 * The sandbox in its own process, as in the demo: sharing the event loop of a load generator or
 * a test would slow the upstream (and skew what it measures) and charge that to the gateway.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { waitForUrl } from '../../scripts/processes';
import { freePort } from './app';

const root = path.resolve(__dirname, '../..');

export interface Sandbox {
  url: string;
  close(): Promise<void>;
}

export async function startSandboxProcess(): Promise<Sandbox> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
    cwd: root,
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForUrl(`${url}/__sandbox/stats`, 30_000);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}


/** Resident memory of a process and its children, in MB (`next start` serves from a child). */
export function rssMb(root: number): number {
  const pids = [root, ...childPids(root)];
  let kb = 0;
  for (const pid of pids) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return kb / 1024;
}

function childPids(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children.flatMap((child) => [child, ...childPids(child)]);
  } catch {
    return [];
  }
}

