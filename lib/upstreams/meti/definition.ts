import 'server-only';
import type { AppConfig } from '@/lib/config';
import { SAFE_METHODS, type UpstreamDefinition } from '@/lib/upstreams/types';

/** METI: an Auth0 client token (JSON body with `audience`). */
export function metiDefinition(config: AppConfig): UpstreamDefinition | null {
  const settings = config.meti;
  if (!settings) return null;
  return {
    name: 'meti',
    label: 'METI',
    baseUrl: settings.baseUrl,
    auth: {
      kind: 'client',
      spec: {
        service: 'meti',
        tokenUrl: settings.tokenUrl,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        bodyFormat: 'json',
        audience: settings.audience,
        scope: settings.scopes,
        // The METI guide renews 30 seconds before expiry.
        renewBeforeMs: 30_000,
      },
    },
    headers: {},
    isRead: (method) => SAFE_METHODS.has(method),
    timeouts: { connectMs: 5_000, totalMs: config.gateway.upstreamTimeoutMs },
  };
}
