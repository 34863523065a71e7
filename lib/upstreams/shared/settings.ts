/**
 * What the browser needs to know about each upstream to read it through the gateway: where the
 * gateway mounts it, its base URL (to translate next-page links) and the operator's field map.
 * None of it is secret; the server builds it from the configuration and pages pass it as props.
 */
import type { FieldOverrides } from '@/lib/upstreams/shared/field-map';
import type { GatewayMount } from '@/lib/upstreams/shared/paging';

export interface UpstreamClientSettings extends GatewayMount {
  fieldMap: FieldOverrides;
}

/** Per API; `null` when that API is not configured on this dashboard. */
export interface ClientSettings {
  wellview: UpstreamClientSettings;
  events: UpstreamClientSettings | null;
  meti: UpstreamClientSettings | null;
  /** The gateway's own upstream timeout; the browser gives up a little after it. */
  upstreamTimeoutMs: number;
}
