import 'server-only';
import { getConfig, type AppConfig } from '@/lib/config';
import type { ClientSettings } from '@/lib/upstreams/shared/settings';

/**
 * The non-secret part of the upstream configuration that client components need: gateway mounts,
 * base URLs (to translate next-page links) and the operators' field maps. Pages pass it as props.
 */
export function clientSettings(config: AppConfig = getConfig()): ClientSettings {
  return {
    wellview: {
      gatewayPrefix: '/api/wellview',
      upstreamBaseUrl: config.wellview.baseUrl,
      fieldMap: config.fieldMaps.wellview,
    },
    events: config.events
      ? {
          gatewayPrefix: '/api/events',
          upstreamBaseUrl: config.events.baseUrl,
          fieldMap: config.fieldMaps.events,
        }
      : null,
    meti: config.meti
      ? { gatewayPrefix: '/api/meti', upstreamBaseUrl: config.meti.baseUrl, fieldMap: config.fieldMaps.meti }
      : null,
    upstreamTimeoutMs: config.gateway.upstreamTimeoutMs,
  };
}
