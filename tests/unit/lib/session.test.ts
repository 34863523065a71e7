import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { z } from 'zod';
import {
  describeSession,
  isAdmin,
  openSeal,
  readSessionCookies,
  seal,
  sessionCookiesToSet,
  unseal,
  type SessionState,
  type SessionUser,
} from '@/lib/session';
import { isWellFormedSeal } from '@/lib/security/seal-format';
import { SEAL_MANGLES } from '../../fixtures/seal-mangles';

const baseEnv = {
  APP_URL: 'https://dash.example.com',
  PELOTON_ISSUER: 'https://auth.peloton.com/',
  PELOTON_CLIENT_ID: 'client',
  PELOTON_CLIENT_SECRET: 'secret',
  WELLVIEW_API_BASE_URL: 'https://api.peloton.com/wellview/v1',
  WELLVIEW_SUBSCRIPTION_KEY: 'key',
  WELLVIEW_REGION: 'us-east-1',
};
// Random-looking: a deployment (APP_URL not localhost) refuses guessable passwords.
const passwordA = 'RImwApz8hUW8J5gjpa_1ZDJCs2y3iq3jguCG5MhH';
const passwordB = 'b3CJgRUZqN0NTpdrO10B6vqf9fr3W4fJZ_eEpDXY';
const config = parseConfig({ ...baseEnv, SESSION_PASSWORD: passwordA });

/** A realistic token: base64url text of the given length. */
function token(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

function state(now: number): SessionState {
  return {
    session: {
      v: 1,
      sid: 'sid-0123456789abcdef',
      gen: 3,
      user: {
        sub: 'auth0|0123456789abcdef01234567',
        name: 'Ada Lovelace-Byron',
        email: 'ada.lovelace@example.com',
        emailVerified: true,
      },
      refreshToken: `v1.${token(1021)}`,
      createdAt: now,
      lastSeenAt: now,
      rotations: 3,
      lastRefreshAt: now,
    },
    access: { sid: 'sid-0123456789abcdef', gen: 3, accessToken: token(1536), expiresAt: now + 900_000, issuedAt: now },
  };
}

/** The Set-Cookie header the browser would store, which is what its 4096-byte limit counts. */
function setCookieLength(cookie: { name: string; value: string }): number {
  return `${cookie.name}=${cookie.value}; Path=/; Max-Age=604800; HttpOnly; Secure; SameSite=Lax`.length;
}

function jar(cookies: { name: string; value: string }[]) {
  const map = new Map(cookies.map((cookie) => [cookie.name, cookie.value]));
  return { get: (name: string) => (map.has(name) ? { value: map.get(name) as string } : undefined) };
}

describe('session cookies', () => {
  it('fit the browser limit with a 1.5 KB access token and a 1 KB refresh token', async () => {
    const now = Date.now();
    const cookies = await sessionCookiesToSet(state(now), now, config);
    const sizes = cookies.map(setCookieLength);
    for (const size of sizes) expect(size).toBeLessThan(4096);
    // Why there are two cookies: both tokens in one seal would not fit.
    const both = cookies.map((cookie) => cookie.value.length).reduce((a, b) => a + b, 0);
    expect(both).toBeGreaterThan(4096);
    console.log(`session cookie ${sizes[0]} B, access cookie ${sizes[1]} B (limit 4096 each)`);
  });

  it('round-trips and uses __Host- names on https', async () => {
    const now = Date.now();
    const cookies = await sessionCookiesToSet(state(now), now, config);
    expect(cookies.map((cookie) => cookie.name)).toEqual(['__Host-wv_session', '__Host-wv_at']);
    const read = await readSessionCookies(jar(cookies), now, config);
    expect(read.status).toBe('ok');
    if (read.status === 'ok') {
      expect(read.state.session.user.email).toBe('ada.lovelace@example.com');
      expect(read.state.access?.expiresAt).toBe(now + 900_000);
    }
  });

  it('reads cookies sealed with a retired password after rotation, and seals with the first', async () => {
    const now = Date.now();
    const old = await sessionCookiesToSet(state(now), now, config);
    const rotated = parseConfig({ ...baseEnv, SESSION_PASSWORD: `${passwordB},${passwordA}` });
    expect((await readSessionCookies(jar(old), now, rotated)).status).toBe('ok');
    const fresh = await sessionCookiesToSet(state(now), now, rotated);
    const onlyNew = parseConfig({ ...baseEnv, SESSION_PASSWORD: passwordB });
    expect((await readSessionCookies(jar(fresh), now, onlyNew)).status).toBe('ok');
    expect((await readSessionCookies(jar(old), now, onlyNew)).status).toBe('invalid');
  });

  it.each([
    ['tampered', (value: string) => value.slice(0, 40) + (value[40] === 'A' ? 'B' : 'A') + value.slice(41)],
    ['truncated', (value: string) => value.slice(0, value.length - 20)],
    ['garbage', () => 'not-a-seal'],
    ['empty', () => ''],
  ])('reads a %s cookie as signed out', async (_label, mangle) => {
    const now = Date.now();
    const cookies = await sessionCookiesToSet(state(now), now, config);
    const mangled = cookies.map((cookie, index) => (index === 0 ? { ...cookie, value: mangle(cookie.value) } : cookie));
    expect(['invalid', 'none']).toContain((await readSessionCookies(jar(mangled), now, config)).status);
  });

  it('expires on idle and absolute timeouts kept inside the seal', async () => {
    const now = Date.now();
    const cookies = await sessionCookiesToSet(state(now), now, config);
    const idle = now + config.session.idleTimeoutSeconds * 1000 + 1;
    expect(await readSessionCookies(jar(cookies), idle, config)).toEqual({ status: 'expired', reason: 'idle' });
  });

  it('ignores an access cookie from another generation', async () => {
    const now = Date.now();
    const current = state(now);
    const stale = { ...current, access: { ...current.access!, gen: 2 } };
    const [sessionCookie] = await sessionCookiesToSet(current, now, config);
    const [, staleAccess] = await sessionCookiesToSet(stale, now, config);
    const read = await readSessionCookies(jar([sessionCookie!, staleAccess!]), now, config);
    expect(read.status === 'ok' && read.state.access).toBeNull();
  });

  it('opens a seal once: later reads give the same frozen value, checked per schema', async () => {
    const sealed = await seal({ name: 'meti', expiresAt: 5 }, 60, config);
    const schema = z.object({ name: z.string(), expiresAt: z.number() });
    const first = await openSeal(schema, sealed, config);
    expect(first).toEqual({ name: 'meti', expiresAt: 5 });
    expect(Object.isFrozen(first)).toBe(true);
    expect(await openSeal(schema, sealed, config)).toBe(first);
    // The same seal against a schema it does not match, and under a password set that cannot open it.
    expect(await openSeal(z.object({ ended: z.literal(true) }), sealed, config)).toBeNull();
    const other = parseConfig({ ...baseEnv, SESSION_PASSWORD: passwordB });
    expect(await openSeal(schema, sealed, other)).toBeNull();
  });
});

describe('seal format', () => {
  it('accepts exactly what seal() writes', async () => {
    for (let index = 0; index < 20; index += 1) {
      const sealed = await seal({ n: index, text: 'x'.repeat(index * 7) }, 60, config);
      expect(isWellFormedSeal(sealed)).toBe(true);
    }
  });

  it.each(SEAL_MANGLES)('refuses a seal with %s before opening it', async (_label, mangle) => {
    const sealed = await seal({ sub: 'auth0|ada' }, 60, config);
    expect(isWellFormedSeal(mangle(sealed))).toBe(false);
    expect(await unseal(mangle(sealed), config)).toBeNull();
  });

  it.each(SEAL_MANGLES)('reads a session cookie with %s as signed out', async (_label, mangle) => {
    const now = Date.now();
    const cookies = await sessionCookiesToSet(state(now), now, config);
    // The untouched cookie opens (and is now remembered): the mangled one must still be refused.
    expect((await readSessionCookies(jar(cookies), now, config)).status).toBe('ok');
    const mangled = cookies.map((cookie, index) => (index === 0 ? { ...cookie, value: mangle(cookie.value) } : cookie));
    expect((await readSessionCookies(jar(mangled), now, config)).status).toBe('invalid');
  });
});

describe('admin users', () => {
  const admins = parseConfig({ ...baseEnv, SESSION_PASSWORD: passwordA, ADMIN_USERS: 'Ops@Example.com, auth0|Admin-7' });
  const user = (overrides: Partial<SessionUser>): SessionUser => ({
    sub: 'auth0|someone',
    name: null,
    email: null,
    emailVerified: false,
    ...overrides,
  });

  it('grants admin on a listed email only when the provider verified it', () => {
    expect(isAdmin(user({ email: 'ops@example.com', emailVerified: true }), admins)).toBe(true);
    expect(isAdmin(user({ email: 'OPS@example.COM', emailVerified: true }), admins)).toBe(true);
    expect(isAdmin(user({ email: 'ops@example.com', emailVerified: false }), admins)).toBe(false);
  });

  it('matches subject ids exactly, case included', () => {
    expect(isAdmin(user({ sub: 'auth0|Admin-7' }), admins)).toBe(true);
    expect(isAdmin(user({ sub: 'auth0|admin-7' }), admins)).toBe(false);
    expect(isAdmin(user({ sub: 'AUTH0|ADMIN-7' }), admins)).toBe(false);
    expect(isAdmin(user({ sub: 'auth0|Admin-7 ' }), admins)).toBe(false);
  });

  it('reads a cookie sealed before email_verified was kept as unverified, so not an admin by email', async () => {
    const now = Date.now();
    const current = state(now);
    const { emailVerified: _dropped, ...oldUser } = { ...current.session.user, email: 'ops@example.com' };
    const sealed = await seal({ ...current.session, user: oldUser }, 600, admins);
    const read = await readSessionCookies(jar([{ name: '__Host-wv_session', value: sealed }]), now, admins);
    expect(read.status).toBe('ok');
    if (read.status !== 'ok') return;
    expect(read.state.session.user.emailVerified).toBe(false);
    expect(describeSession(read.state, admins)).toMatchObject({ authenticated: true, isAdmin: false });
  });
});

describe('ALLOWED_USERS on an existing session', () => {
  it('reads the session of a user the list no longer allows as signed out', async () => {
    const now = Date.now();
    const cookies = await sessionCookiesToSet(state(now), now, config);
    const allowing = parseConfig({ ...baseEnv, SESSION_PASSWORD: passwordA, ALLOWED_USERS: '@example.com' });
    expect((await readSessionCookies(jar(cookies), now, allowing)).status).toBe('ok');
    const refusing = parseConfig({ ...baseEnv, SESSION_PASSWORD: passwordA, ALLOWED_USERS: 'someone@else.org' });
    expect((await readSessionCookies(jar(cookies), now, refusing)).status).toBe('invalid');
  });
});
