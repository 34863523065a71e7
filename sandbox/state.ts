import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PROVIDERS, WELLVIEW_RATE_LIMIT_PER_SECOND, type ProviderName } from './defaults';

/** Fault switches for one provider (POST /__sandbox/faults). */
export const faultSchema = z
  .object({
    provider: z.enum(PROVIDERS),
    down: z.boolean().optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    errorStatus: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    malformedBody: z.boolean().optional(),
    cutMidBody: z.boolean().optional(),
    accessTokenTtlSeconds: z.number().int().min(1).max(86_400).optional(),
    omitExpiresIn: z.boolean().optional(),
    rateLimitPerSecond: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();
export type Fault = Omit<z.infer<typeof faultSchema>, 'provider'>;

/** Counters since the last reset, served by GET /__sandbox/stats. */
export class SandboxState {
  faults = new Map<ProviderName, Fault>();
  private errorAccumulators = new Map<ProviderName, number>();
  tokenRequests: Record<string, Record<string, number>> = {};
  refreshReuseDetected = 0;
  revokedLogins = 0;
  revocations = 0;
  responses: Record<string, Record<string, number>> = {};
  maxCallsPerSecond: Record<string, number> = {};
  requestsBySubject: Record<string, Record<string, number>> = {};
  lastRequestHeaders: Record<string, Record<string, string>> = {};
  /** Arrival times per subscription key (for maxCallsPerSecond) and accepted calls (for 429s). */
  private arrivals = new Map<string, number[]>();
  private accepted = new Map<string, number[]>();

  reset(): void {
    this.faults.clear();
    this.errorAccumulators.clear();
    this.tokenRequests = {};
    this.refreshReuseDetected = 0;
    this.revokedLogins = 0;
    this.revocations = 0;
    this.responses = {};
    this.maxCallsPerSecond = {};
    this.requestsBySubject = {};
    this.lastRequestHeaders = {};
    this.arrivals.clear();
    this.accepted.clear();
  }

  setFault(provider: ProviderName, fault: Fault): void {
    this.faults.set(provider, { ...this.faults.get(provider), ...fault });
    this.errorAccumulators.delete(provider);
  }

  fault(provider: ProviderName): Fault {
    return this.faults.get(provider) ?? {};
  }

  /** Deterministic error injection: rate 0.5 fails every second call, rate 1 every call. */
  shouldFail(provider: ProviderName): boolean {
    const rate = this.fault(provider).errorRate ?? 0;
    if (rate <= 0) return false;
    const next = (this.errorAccumulators.get(provider) ?? 0) + rate;
    if (next >= 1 - 1e-9) {
      this.errorAccumulators.set(provider, next - 1);
      return true;
    }
    this.errorAccumulators.set(provider, next);
    return false;
  }

  countTokenRequest(provider: ProviderName, grant: string): void {
    const byGrant = (this.tokenRequests[provider] ??= {});
    byGrant[grant || 'unknown'] = (byGrant[grant || 'unknown'] ?? 0) + 1;
  }

  countResponse(provider: ProviderName, status: number): void {
    const byStatus = (this.responses[provider] ??= {});
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
  }

  countSubject(provider: ProviderName, sub: string): void {
    const bySub = (this.requestsBySubject[provider] ??= {});
    bySub[sub] = (bySub[sub] ?? 0) + 1;
  }

  /** Keeps the headers a provider last received, with any credential reduced to a fingerprint. */
  recordHeaders(provider: ProviderName, headers: Record<string, string | string[] | undefined>): void {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      const text = Array.isArray(value) ? value.join(', ') : value;
      out[name] = name === 'authorization' ? text.replace(/^(\w+)\s+(.+)$/, (_, scheme: string, secret: string) => `${scheme} sha256:${fingerprint(secret)}`) : text;
    }
    this.lastRequestHeaders[provider] = out;
  }

  /**
   * Records a call's arrival for a subscription key and decides whether it is within the key's
   * limit: at most N accepted calls in any rolling second. Answers the seconds to wait when not.
   */
  admitCall(key: string, now = performance.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const arrivals = this.arrivals.get(key) ?? [];
    arrivals.push(now);
    while ((arrivals[0] ?? now) <= now - 1000) arrivals.shift();
    this.arrivals.set(key, arrivals);
    this.maxCallsPerSecond[key] = Math.max(this.maxCallsPerSecond[key] ?? 0, arrivals.length);

    const limit = this.fault('wellview').rateLimitPerSecond ?? WELLVIEW_RATE_LIMIT_PER_SECOND;
    const accepted = this.accepted.get(key) ?? [];
    while ((accepted[0] ?? now) <= now - 1000) accepted.shift();
    this.accepted.set(key, accepted);
    if (accepted.length >= limit) {
      const waitMs = (accepted[0] as number) + 1000 - now;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    accepted.push(now);
    return { ok: true };
  }

  snapshot() {
    return {
      tokenRequests: this.tokenRequests,
      refreshReuseDetected: this.refreshReuseDetected,
      revokedLogins: this.revokedLogins,
      responses: this.responses,
      maxCallsPerSecond: this.maxCallsPerSecond,
      revocations: this.revocations,
      requestsBySubject: this.requestsBySubject,
      lastRequestHeaders: this.lastRequestHeaders,
      faults: Object.fromEntries(this.faults),
    };
  }
}

export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}
