import { describe, expect, it } from 'vitest';
import { safeReturnTo } from '@/lib/auth/return-to';

const origin = 'https://dash.example.com';

describe('safeReturnTo', () => {
  it.each([
    ['/wells', '/wells'],
    ['/wells?search=permian&page=2', '/wells?search=permian&page=2'],
    ['/events/abc#details', '/events/abc#details'],
  ])('keeps the same-origin path %s', (input, expected) => {
    expect(safeReturnTo(input, origin)).toBe(expected);
  });

  it.each([
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    '%2F%2Fevil.example',
    '/%2F%2Fevil.example',
    '/%5Cevil.example',
    '%252F%252Fevil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'http:/evil.example',
    // Dot segments that fold into `//host` once resolved.
    '/.//evil.example',
    '/..//evil.example',
    '/a/../..//evil.example',
    '/%2e//evil.example',
    '',
    'wells',
    '/api/auth/login',
    `/${'a'.repeat(3000)}`,
  ])('sends %j to /', (input) => {
    expect(safeReturnTo(input, origin)).toBe('/');
  });

  it('handles null and undefined', () => {
    expect(safeReturnTo(null, origin)).toBe('/');
    expect(safeReturnTo(undefined, origin)).toBe('/');
  });
});
