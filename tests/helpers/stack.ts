/**
 * Starts the sandbox in-process and the built dashboard against it, for integration tests.
 */
import { startSandbox } from '../../sandbox/server';
import { startApp, type RunningApp } from './app';

export interface Stack {
  sandboxUrl: string;
  app: RunningApp;
  stop(): Promise<void>;
  stats(): Promise<SandboxStats>;
  reset(): Promise<void>;
  fault(fault: Record<string, unknown>): Promise<void>;
}

export interface SandboxStats {
  tokenRequests: Record<string, Record<string, number>>;
  refreshReuseDetected: number;
  revokedLogins: number;
  responses: Record<string, Record<string, number>>;
  maxCallsPerSecond: Record<string, number>;
  [extra: string]: unknown;
}

export async function startStack(options: { env?: Record<string, string | undefined>; wells?: number } = {}): Promise<Stack> {
  const sandbox = await startSandbox({ port: 0, ...(options.wells ? { wells: options.wells } : {}) });
  let app: RunningApp;
  try {
    // Tests count upstream calls, so the response cache is off unless a test turns it on
    // (tests/integration/gateway/response-cache.test.ts does).
    app = await startApp({ sandboxUrl: sandbox.url, env: { GATEWAY_CACHE_TTL_SECONDS: '0', ...options.env } });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  const post = async (path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  };
  return {
    sandboxUrl: sandbox.url,
    app,
    async stop() {
      await app.stop();
      await sandbox.close();
    },
    async stats() {
      return (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as SandboxStats;
    },
    reset: () => post('/__sandbox/reset'),
    fault: (fault) => post('/__sandbox/faults', fault),
  };
}

/** Sum of one provider's token requests for a grant type (0 when none). */
export function tokenRequests(stats: SandboxStats, provider: string, grant: string): number {
  return stats.tokenRequests[provider]?.[grant] ?? 0;
}

/** How many answers a provider gave since the last reset, whatever their status. */
export function providerCalls(stats: SandboxStats, provider: string): number {
  return Object.values(stats.responses[provider] ?? {}).reduce((sum, count) => sum + count, 0);
}
