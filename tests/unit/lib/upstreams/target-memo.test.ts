import { describe, expect, it } from 'vitest';
import { TargetMemo } from '@/lib/upstreams/wellview/target-memo';

describe('TargetMemo', () => {
  it('answers a login its own /user answer until it expires', () => {
    const memo = new TargetMemo(1000);
    memo.set('login-a', { apps: ['a'] }, 20, 0);
    expect(memo.get('login-a', 999)).toEqual({ apps: ['a'] });
    expect(memo.get('login-b', 999)).toBeUndefined();
    expect(memo.get('login-a', 1000)).toBeUndefined();
  });

  it('keeps nothing when turned off, nothing oversized, and forgets on request', () => {
    const off = new TargetMemo(0);
    off.set('login-a', {}, 2, 0);
    expect(off.get('login-a', 0)).toBeUndefined();
    const memo = new TargetMemo(1000);
    memo.set('big', {}, 64 * 1024 + 1, 0);
    expect(memo.get('big', 0)).toBeUndefined();
    memo.set('login-a', {}, 2, 0);
    memo.forget('login-a');
    expect(memo.get('login-a', 0)).toBeUndefined();
  });

  it('holds a bounded number of logins, dropping the oldest first', () => {
    const memo = new TargetMemo(60_000);
    for (let index = 0; index <= 5000; index += 1) memo.set(`login-${index}`, index, 2, 0);
    expect(memo.get('login-0', 1)).toBeUndefined();
    expect(memo.get('login-1', 1)).toBe(1);
    expect(memo.get('login-5000', 1)).toBe(5000);
  });
});
