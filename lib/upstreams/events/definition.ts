import 'server-only';
import type { AppConfig } from '@/lib/config';
import { SAFE_METHODS, type UpstreamDefinition } from '@/lib/upstreams/types';

/** Event list queries are POSTs, but they only read. */
const READ_POSTS = [/^api\/[^/]+\/event\/list$/i];

/** Engagifii Events: an IdentityServer4 client token, `tenant-code` and `api-version` on every call. */
export function eventsDefinition(config: AppConfig): UpstreamDefinition | null {
  const settings = config.events;
  if (!settings) return null;
  return {
    name: 'events',
    label: 'Engagifii Events',
    baseUrl: settings.baseUrl,
    auth: {
      kind: 'client',
      spec: {
        service: 'events',
        tokenUrl: settings.tokenUrl,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        bodyFormat: 'form',
        scope: settings.scope,
        // The Events guide renews five minutes before expiry.
        renewBeforeMs: 5 * 60_000,
      },
    },
    headers: { 'tenant-code': settings.tenantCode, 'api-version': settings.apiVersion },
    isRead: (method, path) => SAFE_METHODS.has(method) || (method === 'POST' && READ_POSTS.some((rule) => rule.test(path))),
    timeouts: { connectMs: 5_000, totalMs: config.gateway.upstreamTimeoutMs },
  };
}
