import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, toAppError } from '@/lib/errors';
import { LockTimeoutError, MemoryTokenStore } from '@/lib/tokens/store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The structured log lines written while `run` ran. */
async function logLines(run: () => Promise<void>): Promise<{ event: string; [field: string]: unknown }[]> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines
    .flatMap((line) => line.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { event: string });
}

afterEach(() => vi.useRealTimers());

describe('MemoryTokenStore eviction', () => {
  it('drops expired entries before any live one, security records included', async () => {
    const store = new MemoryTokenStore(4);
    await store.set('client-token:a', 'a', 10_000);
    await store.set('spent:short', 's', 5);
    await store.set('rotation:short', 'r', 5);
    await store.set('client-token:b', 'b', 10_000);
    await sleep(20);
    await store.set('client-token:c', 'c', 10_000);
    await store.set('client-token:d', 'd', 10_000);
    expect(store.size()).toBe(4);
    for (const key of ['client-token:a', 'client-token:b', 'client-token:c', 'client-token:d']) expect(await store.get(key)).not.toBeNull();
  });

  it('evicts ordinary entries, oldest first, and never a security record', async () => {
    const store = new MemoryTokenStore(5);
    await store.set('rotation:1', 'ended:v1', 60_000);
    await store.set('client-token:old', 'x', 60_000);
    await store.set('spent:1', 's', 60_000);
    await store.set('client-token:mid', 'y', 60_000);
    await store.set('rotation:2', 'r', 60_000);
    await store.set('spent:2', 's', 60_000);
    expect(await store.get('client-token:old')).toBeNull();
    expect(await store.get('client-token:mid')).toBe('y');
    await store.set('spent:3', 's', 60_000);
    expect(await store.get('client-token:mid')).toBeNull();
    for (const key of ['rotation:1', 'rotation:2', 'spent:1', 'spent:2', 'spent:3']) expect(await store.get(key), key).not.toBeNull();
    expect(store.size()).toBe(5);
  });

  it('keeps security records beyond the cap, and says so once per interval', async () => {
    const store = new MemoryTokenStore(10);
    const lines = await logLines(async () => {
      for (let index = 0; index < 200; index += 1) {
        await store.set(index % 2 === 0 ? `rotation:${index}` : `spent:${index}`, 'v', 60_000);
      }
    });
    expect(store.size()).toBe(200);
    for (let index = 0; index < 200; index += 1) {
      expect(await store.get(index % 2 === 0 ? `rotation:${index}` : `spent:${index}`)).toBe('v');
    }
    const warnings = lines.filter((line) => line.event === 'shared_state.memory.over_capacity');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', maxEntries: 10 });
  });

  it('warns again after the interval, and sheds security records once they expire', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = new MemoryTokenStore(2);
    const first = await logLines(async () => {
      for (const key of ['spent:a', 'spent:b', 'spent:c']) await store.set(key, 'v', 30_000);
    });
    expect(first.filter((line) => line.event === 'shared_state.memory.over_capacity')).toHaveLength(1);
    vi.advanceTimersByTime(61_000);
    const later = await logLines(async () => {
      for (const key of ['rotation:x', 'rotation:y', 'rotation:z']) await store.set(key, 'v', 120_000);
    });
    // The three spent records expired and were swept; the three new ones exceed the cap of 2.
    expect(store.size()).toBe(3);
    expect(later.filter((line) => line.event === 'shared_state.memory.over_capacity')).toHaveLength(1);
  });
});

describe('lock timeouts', () => {
  it('are a 503 BUSY with Retry-After, not a 500', async () => {
    const store = new MemoryTokenStore();
    let release!: () => void;
    const held = store.withLock('lock:x', { leaseMs: 1000, waitMs: 1000 }, () => new Promise<void>((resolve) => (release = resolve)));
    const waiting = store.withLock('lock:x', { leaseMs: 1000, waitMs: 20 }, async () => 'ran');
    const error = await waiting.catch((thrown: unknown) => thrown);
    release();
    await held;
    expect(error).toBeInstanceOf(LockTimeoutError);
    const response = errorResponse(toAppError(error), 'req-1');
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BUSY');
    expect(body.error.message).not.toMatch(/lock/i);
  });
});
