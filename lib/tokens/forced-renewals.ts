import 'server-only';
import { processSingleton } from '@/lib/runtime';

/** A credential is force-renewed (after an upstream 401) at most once in this long. */
export const FORCED_RENEWAL_INTERVAL_MS = 30_000;
/** A token younger than this is never force-renewed: a new one would be refused the same way. */
export const FRESH_TOKEN_MS = 5_000;
const MAX_TRACKED = 10_000;

/**
 * The cap on forced renewals. An upstream that answers 401 to every call (revoked consent, a
 * misconfigured audience, an outage that looks like 401s) would otherwise cost one token request
 * per call, hammering the identity provider and, for user tokens, burning refresh tokens.
 * Per instance: N instances make at most N renewals per credential per interval.
 */
export class ForcedRenewals {
  /** When each credential was last force-renewed, oldest first. */
  private readonly last = new Map<string, number>();

  constructor(private readonly maxTracked = MAX_TRACKED) {}

  /**
   * True when `credential` (a login or a service) may be renewed now, and counts it; false when
   * its token is fresh or it was force-renewed within the interval.
   */
  tryTake(credential: string, issuedAt: number, now = Date.now()): boolean {
    if (now - issuedAt < FRESH_TOKEN_MS) return false;
    const previous = this.last.get(credential);
    if (previous !== undefined && now - previous < FORCED_RENEWAL_INTERVAL_MS) return false;
    this.last.delete(credential);
    this.last.set(credential, now);
    if (this.last.size > this.maxTracked) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
    return true;
  }
}

/** The process's forced-renewal cap. */
export const getForcedRenewals = () => processSingleton('forced-renewals', () => new ForcedRenewals());
