import { decodeJwt } from 'jose';

/** Used when a token response gives neither `expires_in` nor a readable JWT `exp`. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 300;
/** Tolerated difference between our clock and a provider's. */
const CLOCK_SKEW_MS = 30_000;

/**
 * When an access token stops being usable, in epoch ms: from `expires_in` when given, else from
 * the JWT's `exp` (BetterPT's Auth0 example omits `expires_in`), else a conservative default.
 */
export function expiresAtFrom(accessToken: string, expiresIn: number | undefined, now = Date.now()): number {
  if (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0) {
    return now + expiresIn * 1000;
  }
  try {
    const { exp, iat } = decodeJwt(accessToken);
    // Judge the lifetime by the token's own clock (exp - iat) so skew between clocks is harmless.
    if (typeof exp === 'number' && typeof iat === 'number' && exp > iat) return now + (exp - iat) * 1000;
    // exp alone is read on the provider's clock: allow for it running up to 30 s ahead of ours.
    if (typeof exp === 'number') return exp * 1000 - Math.min(CLOCK_SKEW_MS, Math.max(0, (exp * 1000 - now) / 2));
  } catch {
    // Opaque token: fall through to the default.
  }
  return now + DEFAULT_TOKEN_LIFETIME_SECONDS * 1000;
}

/**
 * How long before expiry a token is renewed: `min(60 s, half its lifetime)`, so that short
 * lifetimes in tests behave like long ones in production.
 */
export function renewalMarginMs(issuedAt: number, expiresAt: number, maxMarginMs = 60_000): number {
  return Math.min(maxMarginMs, Math.max(0, (expiresAt - issuedAt) / 2));
}

/** True when the token should be renewed now. */
export function isDueForRenewal(issuedAt: number, expiresAt: number, now = Date.now(), maxMarginMs = 60_000): boolean {
  return now >= expiresAt - renewalMarginMs(issuedAt, expiresAt, maxMarginMs);
}
