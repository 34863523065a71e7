import { describe, expect, it } from 'vitest';
import { isListed, parseUserList, type ListedUser } from '@/lib/auth/user-list';

const list = parseUserList(['ops@example.com', 'auth0|Only-This', '@corp.example', 'Mixed@Case.Org']);
const user = (overrides: Partial<ListedUser>): ListedUser => ({ sub: 'auth0|nobody', email: null, emailVerified: false, ...overrides });

describe('user lists (ADMIN_USERS, ALLOWED_USERS)', () => {
  it('matches a verified email, in any case', () => {
    expect(isListed(user({ email: 'ops@example.com', emailVerified: true }), list)).toBe(true);
    expect(isListed(user({ email: 'mixed@case.org', emailVerified: true }), list)).toBe(true);
  });

  it('never matches an unverified email or domain', () => {
    expect(isListed(user({ email: 'ops@example.com' }), list)).toBe(false);
    expect(isListed(user({ email: 'someone@corp.example' }), list)).toBe(false);
  });

  it('matches an @domain entry on a verified email of exactly that domain', () => {
    expect(isListed(user({ email: 'someone@corp.example', emailVerified: true }), list)).toBe(true);
    expect(isListed(user({ email: 'someone@CORP.example', emailVerified: true }), list)).toBe(true);
    for (const email of ['someone@evilcorp.example', 'someone@sub.corp.example', 'corp.example@evil.example', 'someone@corp.example.evil']) {
      expect(isListed(user({ email, emailVerified: true }), list), email).toBe(false);
    }
  });

  it('matches subject ids exactly', () => {
    expect(isListed(user({ sub: 'auth0|Only-This' }), list)).toBe(true);
    expect(isListed(user({ sub: 'auth0|only-this' }), list)).toBe(false);
    expect(isListed(user({ sub: 'auth0|Only-This-Too' }), list)).toBe(false);
  });

  it('does not take an email look-alike with spaces for the listed one', () => {
    expect(isListed(user({ email: ' ops@example.com', emailVerified: true }), list)).toBe(false);
    expect(isListed(user({ email: 'ops@example.com ', emailVerified: true }), list)).toBe(false);
  });
});
