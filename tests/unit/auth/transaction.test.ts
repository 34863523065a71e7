import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { findTransaction, startTransaction, type LoginTransaction } from '@/lib/auth/transaction';
import { SEAL_MANGLES } from '../../fixtures/seal-mangles';

const config = parseConfig({
  APP_URL: 'http://127.0.0.1:3000',
  SESSION_PASSWORD: 'xNERs5wrPl_oYnllzNrKPrYpvTDoK1u2KiQ-yHzC',
  PELOTON_ISSUER: 'http://127.0.0.1:4000/peloton/',
  PELOTON_CLIENT_ID: 'client',
  PELOTON_CLIENT_SECRET: 'secret',
  WELLVIEW_API_BASE_URL: 'http://127.0.0.1:4000/wellview',
  WELLVIEW_SUBSCRIPTION_KEY: 'key',
  WELLVIEW_REGION: 'us-east-1',
  ALLOW_INSECURE_HTTP: '1',
});

function jar(cookies: { name: string; value: string }[]) {
  const map = new Map(cookies.map((cookie) => [cookie.name, cookie.value]));
  return {
    getAll: () => [...map].map(([name, value]) => ({ name, value })),
    get: (name: string) => (map.has(name) ? { value: map.get(name) as string } : undefined),
  };
}

const transaction = (now: number): LoginTransaction => ({
  state: 'state-0123456789abcdef',
  nonce: 'nonce-0123456789abcdef',
  codeVerifier: 'verifier-0123456789abcdef0123456789abcdef0123',
  returnTo: '/wells',
  createdAt: now,
});

describe('sign-in transaction cookies', () => {
  it('finds the transaction its state names', async () => {
    const now = Date.now();
    const cookies = await startTransaction(jar([]), transaction(now), now, config);
    expect(await findTransaction(jar(cookies), 'state-0123456789abcdef', now, config)).toMatchObject({ returnTo: '/wells' });
  });

  it.each(SEAL_MANGLES)('refuses a transaction cookie with %s', async (_label, mangle) => {
    const now = Date.now();
    const cookies = await startTransaction(jar([]), transaction(now), now, config);
    const mangled = cookies.map((cookie) => ({ ...cookie, value: mangle(cookie.value) }));
    expect(await findTransaction(jar(mangled), 'state-0123456789abcdef', now, config)).toBeNull();
  });
});
