import 'server-only';
import { getConfig, type AppConfig } from '@/lib/config';
import type { EventsClientSettings } from '@/lib/upstreams/events/client';
import type { MetiClientSettings } from '@/lib/upstreams/meti/client';

/**
 * What the METI and Events pages pass to their browser clients: the gateway mount, the upstream
 * base URL (to translate next-page links), the operator's field map and the gateway timeout.
 * Nothing secret; `null` when the API is not configured.
 */
export function metiClientSettings(config: AppConfig = getConfig()): MetiClientSettings | null {
  if (!config.meti) return null;
  return {
    gatewayPrefix: '/api/meti',
    upstreamBaseUrl: config.meti.baseUrl,
    fieldMap: {},
    timeoutMs: config.gateway.upstreamTimeoutMs,
  };
}

/** See {@link metiClientSettings}; Events adds its API version. */
export function eventsClientSettings(config: AppConfig = getConfig()): EventsClientSettings | null {
  if (!config.events) return null;
  return {
    gatewayPrefix: '/api/events',
    upstreamBaseUrl: config.events.baseUrl,
    apiVersion: config.events.apiVersion,
    fieldMap: {},
    timeoutMs: config.gateway.upstreamTimeoutMs,
  };
}
