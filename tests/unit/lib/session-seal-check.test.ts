import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '@/lib/config';

// Counts the format checks openSeal makes, without changing what they answer.
const checks = vi.hoisted(() => ({ count: 0 }));
vi.mock('@/lib/security/seal-format', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/security/seal-format')>();
  return {
    ...actual,
    isWellFormedSeal: (value: string) => {
      checks.count += 1;
      return actual.isWellFormedSeal(value);
    },
  };
});

const { openSeal, seal } = await import('@/lib/session');

const config = parseConfig({
  APP_URL: 'https://dash.example.com',
  PELOTON_ISSUER: 'https://auth.peloton.com/',
  PELOTON_CLIENT_ID: 'client',
  PELOTON_CLIENT_SECRET: 'secret',
  WELLVIEW_API_BASE_URL: 'https://api.peloton.com/wellview/v1',
  WELLVIEW_SUBSCRIPTION_KEY: 'key',
  WELLVIEW_REGION: 'us-east-1',
  SESSION_PASSWORD: 'RImwApz8hUW8J5gjpa_1ZDJCs2y3iq3jguCG5MhH',
});
const schema = z.object({ sub: z.string() });

describe('a remembered seal', () => {
  it('is not format-checked again on every request; any other text still is, and is refused', async () => {
    const sealed = await seal({ sub: 'auth0|ada' }, 60, config);
    checks.count = 0;
    expect(await openSeal(schema, sealed, config)).toEqual({ sub: 'auth0|ada' });
    expect(checks.count).toBe(1);
    // The same cookie on the next requests: answered from memory, no second check.
    for (let request = 0; request < 3; request += 1) expect(await openSeal(schema, sealed, config)).toEqual({ sub: 'auth0|ada' });
    expect(checks.count).toBe(1);
    // One byte more is another text: checked, and refused before any opening.
    expect(await openSeal(schema, `${sealed}A`, config)).toBeNull();
    expect(checks.count).toBe(2);
  });
});
