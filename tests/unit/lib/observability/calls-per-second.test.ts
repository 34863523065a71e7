import { describe, expect, it } from 'vitest';
import { CallsPerSecond } from '@/lib/observability/activity';

describe('calls in the last minute', () => {
  it('counts every call of the last 60 seconds, however many', () => {
    const calls = new CallsPerSecond();
    const start = 1_700_000_000_000;
    // 500 calls a second for 70 seconds: the first 10 seconds fall out of the window.
    for (let second = 0; second < 70; second += 1) {
      for (let call = 0; call < 500; call += 1) calls.add(start + second * 1000 + call);
    }
    const now = start + 69 * 1000 + 999;
    expect(calls.lastMinute(now)).toBe(60 * 500);
    expect(calls.lastMinute(now + 30_000)).toBe(30 * 500);
    expect(calls.lastMinute(now + 61_000)).toBe(0);
  });
});
