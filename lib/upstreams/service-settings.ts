import 'server-only';
import { getConfig, type AppConfig } from '@/lib/config';
import { clientSettings } from '@/lib/upstreams/client-settings';
import type { EventsClientSettings } from '@/lib/upstreams/events/client';
import type { MetiClientSettings } from '@/lib/upstreams/meti/client';

/**
 * What the METI and Events pages pass to their browser clients: {@link clientSettings} (gateway
 * mount, base URL for next links, the operator's field map) plus the gateway timeout and, for
 * Events, the API version. Nothing secret; `null` when the API is not configured.
 */
export function metiClientSettings(config: AppConfig = getConfig()): MetiClientSettings | null {
  const settings = clientSettings(config);
  return settings.meti ? { ...settings.meti, timeoutMs: settings.upstreamTimeoutMs } : null;
}

/** See {@link metiClientSettings}; Events adds its API version. */
export function eventsClientSettings(config: AppConfig = getConfig()): EventsClientSettings | null {
  const settings = clientSettings(config);
  if (!settings.events || !config.events) return null;
  return { ...settings.events, apiVersion: config.events.apiVersion, timeoutMs: settings.upstreamTimeoutMs };
}
