import type { CallLimiter } from '@/lib/gateway/rate-limiter';
import type { ClientCredentialsSpec } from '@/lib/tokens/client-credentials';

export type UpstreamName = 'wellview' | 'events' | 'meti';

/** Everything the generic gateway needs to know about one upstream API. */
export interface UpstreamDefinition {
  name: UpstreamName;
  /** Shown to users in error messages. */
  label: string;
  baseUrl: string;
  /** Whose token: the signed-in user's (WellView), or the service's client token. */
  auth: { kind: 'user' } | { kind: 'client'; spec: ClientCredentialsSpec };
  /** Headers every call carries (subscription key, region, tenant, api-version...). */
  headers: Record<string, string>;
  /** Reads are open to every signed-in user; other calls through a service token need an admin. */
  isRead(method: string, path: string): boolean;
  /** Calls leaving for this upstream wait for a slot (WellView's per-key limit). */
  limiter?: CallLimiter;
  timeouts: { connectMs: number; totalMs: number };
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
