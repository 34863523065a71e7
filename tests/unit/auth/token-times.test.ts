import { describe, expect, it } from 'vitest';
import { expiresAtFrom, isDueForRenewal, renewalMarginMs, DEFAULT_TOKEN_LIFETIME_SECONDS } from '@/lib/auth/token-times';

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`;
}

describe('token times', () => {
  const now = 1_700_000_000_000;

  it('prefers expires_in', () => {
    expect(expiresAtFrom('opaque', 900, now)).toBe(now + 900_000);
  });

  it('falls back to the JWT lifetime (exp - iat), immune to clock skew', () => {
    // The provider's clock is 10 minutes ahead of ours; the lifetime is still one hour.
    const iat = now / 1000 + 600;
    expect(expiresAtFrom(jwt({ iat, exp: iat + 3600 }), undefined, now)).toBe(now + 3_600_000);
  });

  it('uses exp alone when there is no iat, allowing for the provider clock running ahead', () => {
    expect(expiresAtFrom(jwt({ exp: now / 1000 + 120 }), undefined, now)).toBe(now + 90_000);
    expect(expiresAtFrom(jwt({ exp: now / 1000 + 10 }), undefined, now)).toBe(now + 5_000);
  });

  it('uses a conservative default for an opaque token without expires_in', () => {
    expect(expiresAtFrom('opaque', undefined, now)).toBe(now + DEFAULT_TOKEN_LIFETIME_SECONDS * 1000);
  });

  it('renews min(60 s, half the lifetime) early', () => {
    expect(renewalMarginMs(now, now + 900_000)).toBe(60_000);
    expect(renewalMarginMs(now, now + 10_000)).toBe(5_000);
    expect(isDueForRenewal(now, now + 900_000, now + 839_000)).toBe(false);
    expect(isDueForRenewal(now, now + 900_000, now + 840_000)).toBe(true);
    expect(isDueForRenewal(now, now + 10_000, now + 4_999)).toBe(false);
    expect(isDueForRenewal(now, now + 10_000, now + 5_000)).toBe(true);
  });
});
