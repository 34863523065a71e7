import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { z } from 'zod';
import { openSeal, readSessionCookies, seal, sessionCookiesToSet, type SessionState } from '@/lib/session';

const baseEnv = {
  APP_URL: 'https://dash.example.com',
  PELOTON_ISSUER: 'https://auth.peloton.com/',
  PELOTON_CLIENT_ID: 'client',
  PELOTON_CLIENT_SECRET: 'secret',
  WELLVIEW_API_BASE_URL: 'https://api.peloton.com/wellview/v1',
  WELLVIEW_SUBSCRIPTION_KEY: 'key',
  WELLVIEW_REGION: 'us-east-1',
};
const passwordA = 'A'.repeat(32);
const passwordB = 'B'.repeat(40);
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
      user: { sub: 'auth0|0123456789abcdef01234567', name: 'Ada Lovelace-Byron', email: 'ada.lovelace@example.com' },
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
