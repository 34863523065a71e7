import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PELOTON_CLIENT } from '../../../sandbox/defaults';
import { DEMO_SESSION_PASSWORD } from '../../../scripts/sandbox-env';
import { startRedis, type TestRedis } from '../../helpers/redis';
import { startStack, type Stack } from '../../helpers/stack';

interface Check {
  ok: boolean | null;
  latencyMs?: number;
  detail?: string;
}
interface Readiness {
  ready: boolean;
  checks: { config: Check; redis: Check; discovery: Check };
}

async function ready(
  app: string,
): Promise<{ status: number; body: Readiness; text: string; headers: Headers }> {
  const response = await fetch(`${app}/api/health/ready`);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Readiness, text, headers: response.headers };
}

/** Polls readiness until it has `status`, or returns the last answer after `timeoutMs`. */
async function readyBecomes(app: string, status: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await ready(app);
    if (answer.status === status || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function expectNoSecrets(text: string, ...secrets: string[]) {
  for (const secret of [PELOTON_CLIENT.clientSecret, DEMO_SESSION_PASSWORD, ...secrets])
    expect(text).not.toContain(secret);
}

describe('readiness without Redis', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());
  afterEach(async () => stack.reset());

  it('is 503 while Peloton discovery cannot be loaded, and 200 once it can', async () => {
    // Nothing has loaded discovery yet: the app started and only /api/health was asked.
    await stack.fault({ provider: 'peloton', down: true });
    const down = await ready(stack.app.url);
    expect(down.status).toBe(503);
    expect(down.body.ready).toBe(false);
    expect(down.body.checks.discovery.ok).toBe(false);
    expect(down.body.checks.discovery.detail).toMatch(/discovery/i);
    expect(down.body.checks.config.ok).toBe(true);
    expect(down.headers.get('cache-control')).toBe('no-store');
    expectNoSecrets(down.text, stack.sandboxUrl);

    // A provider that hangs does not hang the probe: it answers 503 within about 3 s.
    await stack.fault({ provider: 'peloton', down: false, latencyMs: 5_000 });
    const started = Date.now();
    const slow = await ready(stack.app.url);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(slow.status).toBe(503);
    expect(slow.body.checks.discovery.detail).toMatch(/timed out/);

    await stack.fault({ provider: 'peloton', latencyMs: 0 });
    const up = await readyBecomes(stack.app.url, 200);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({
      ready: true,
      checks: { config: { ok: true }, redis: { ok: null }, discovery: { ok: true } },
    });
    expect(up.headers.get('cache-control')).toBe('no-store');
    expect(up.headers.get('x-request-id')).toBeTruthy();
    expectNoSecrets(up.text, stack.sandboxUrl);
  });

  it('stays 200 when the upstream APIs are down, which upstream health reports instead', async () => {
    for (const provider of ['wellview', 'events', 'meti', 'events-identity', 'meti-identity'] as const) {
      await stack.fault({ provider, down: true });
    }
    const upstreams = await fetch(`${stack.app.url}/api/health/upstreams`);
    expect(upstreams.status).toBe(503);
    expect(((await upstreams.json()) as { status: string }).status).toBe('degraded');
    const answer = await ready(stack.app.url);
    expect(answer.status).toBe(200);
    expect(answer.body.ready).toBe(true);
  });

  it('stays 200 when Peloton goes away after discovery was loaded (sign-in reports that itself)', async () => {
    expect((await ready(stack.app.url)).status).toBe(200);
    await stack.fault({ provider: 'peloton', down: true });
    expect((await ready(stack.app.url)).status).toBe(200);
  });
});

describe('readiness with Redis', () => {
  let redis: TestRedis;
  let stack: Stack;
  beforeAll(async () => {
    // Redis is configured but not there when the dashboard starts.
    redis = await startRedis();
    await redis.stop();
    stack = await startStack({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  });

  it('is 503 while the configured Redis has never been reachable, and 200 once it is', async () => {
    const never = await ready(stack.app.url);
    expect(never.status).toBe(503);
    expect(never.body.checks.redis.ok).toBe(false);
    expect(never.body.checks.config.ok).toBe(true);
    expectNoSecrets(never.text, redis.url, `:${redis.port}`);
    await redis.start();
    const up = await readyBecomes(stack.app.url, 200);
    expect(up.status).toBe(200);
    expect(up.body.checks.redis.ok).toBe(true);
  });

  it('is 200 with Redis answering, 503 while it is down, and 200 again when it is back', async () => {
    const up = await readyBecomes(stack.app.url, 200);
    expect(up.status).toBe(200);
    expect(up.body.checks.redis.ok).toBe(true);
    expect(up.body.checks.redis.latencyMs).toEqual(expect.any(Number));

    await redis.stop();
    const down = await readyBecomes(stack.app.url, 503);
    expect(down.status).toBe(503);
    expect(down.body.ready).toBe(false);
    expect(down.body.checks.redis.ok).toBe(false);
    expect(down.body.checks.redis.detail).toMatch(/redis/i);
    expect(down.body.checks.discovery.ok).toBe(true);
    expectNoSecrets(down.text, redis.url, `:${redis.port}`);
    // Liveness is not readiness: the process is fine, it only cannot share state.
    expect((await fetch(`${stack.app.url}/api/health`)).status).toBe(200);

    await redis.start();
    const back = await readyBecomes(stack.app.url, 200);
    expect(back.status).toBe(200);
    expect(back.body.checks.redis.ok).toBe(true);
  });
});
