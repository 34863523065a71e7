import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { upstreamPathFrom } from '@/lib/gateway/path';

const PREFIX = '/api/wellview';
const check = (suffix: string) => upstreamPathFrom(`http://127.0.0.1:3000${PREFIX}/${suffix}`, PREFIX);

function refused(suffix: string): string | null {
  try {
    check(suffix);
    return null;
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
}

describe('gateway path rules', () => {
  it('keep ordinary paths, their `;` parameters and the query as sent', () => {
    expect(check('wells/abc-123/headers?limit=5')).toEqual({ path: 'wells/abc-123/headers', search: '?limit=5' });
    expect(check('user')).toEqual({ path: 'user', search: '' });
    expect(check('wells;v=1/x')).toEqual({ path: 'wells;v=1/x', search: '' });
    expect(check('a.b/..c/c..;d/...')).toEqual({ path: 'a.b/..c/c..;d/...', search: '' });
    expect(check('caf%C3%A9')).toEqual({ path: 'caf%C3%A9', search: '' });
  });

  it.each([
    '..;/meti/sources',
    '..;/..;/x',
    'a/..;/..;/x',
    '.;foo',
    '.;foo/user',
    '..;jsessionid=1/user',
    'user/..;',
    '..;a=b;c=d/x',
    '%2e%2e;x/user',
    '.%2e;/x',
    '%2E;x/user',
    '%252e%252e;/x',
  ])('refuse dot segments hidden behind `;` parameters or encodings: %s', (suffix) => {
    expect(refused(suffix)).toBe('INVALID_PATH');
  });

  it.each(['%3b', '%3B', '%3f', '%3F', '%23', '%5c', '%5C', '%253b', '%253F', '%25253b', '%2523', '%255c'])(
    'refuse an encoded `;`, `?`, `#` or `\\` (%s) in any case and after repeated decoding',
    (encoded) => {
      expect(refused(`user${encoded}x`)).toBe('INVALID_PATH');
      expect(refused(`..${encoded}/meti/sources`)).toBe('INVALID_PATH');
      expect(refused(`wells/${encoded}`)).toBe('INVALID_PATH');
    },
  );

  it.each(['..', '.', 'a/../b', 'a//b', '%zz', 'user%00', 'http:%2f%2fevil', '%c0%ae%c0%ae/x', '\uff0e\uff0e/x'])(
    'still refuse the classes refused before: %s',
    (suffix) => {
      expect(refused(suffix)).toBe('INVALID_PATH');
    },
  );
});
