import { describe, expect, it } from 'vitest';
import { FORCED_RENEWAL_INTERVAL_MS, FRESH_TOKEN_MS, ForcedRenewals } from '@/lib/tokens/forced-renewals';

describe('forced renewals', () => {
  const now = 1_000_000;
  const old = now - 60_000;

  it('allow one per credential per interval', () => {
    const cap = new ForcedRenewals();
    expect(cap.tryTake('login:a', old, now)).toBe(true);
    expect(cap.tryTake('login:a', old, now + 1)).toBe(false);
    expect(cap.tryTake('login:a', old, now + FORCED_RENEWAL_INTERVAL_MS - 1)).toBe(false);
    // Another credential has its own budget.
    expect(cap.tryTake('service:events', old, now + 1)).toBe(true);
    expect(cap.tryTake('login:a', old, now + FORCED_RENEWAL_INTERVAL_MS)).toBe(true);
  });

  it('never renew a token issued in the last few seconds, and do not spend the budget on it', () => {
    const cap = new ForcedRenewals();
    expect(cap.tryTake('login:a', now - FRESH_TOKEN_MS + 1, now)).toBe(false);
    expect(cap.tryTake('login:a', now - FRESH_TOKEN_MS, now)).toBe(true);
  });

  it('stay bounded', () => {
    const cap = new ForcedRenewals(3);
    for (const id of ['a', 'b', 'c', 'd']) expect(cap.tryTake(id, old, now)).toBe(true);
    // `a` was forgotten to stay within 3 entries; the others are still capped.
    expect(cap.tryTake('a', old, now + 1)).toBe(true);
    expect(cap.tryTake('d', old, now + 1)).toBe(false);
  });
});
