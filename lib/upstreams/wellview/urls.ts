/**
 * The dashboard URLs of WellView calls: the only place that knows WellView's paths. Components
 * call the client (`client.ts`), never these strings directly. Pure and isomorphic.
 */
import type { WellviewTarget } from '@/lib/upstreams/wellview/target';

/** Where the gateway mounts WellView. */
export const WELLVIEW_GATEWAY_PREFIX = '/api/wellview';

/** WellView answers at most this many well headers per call; a longer list comes in pages. */
export const WELLVIEW_PAGE_LIMIT = 5000;

/** The signed-in user's WellView profile (org units, apps, versions). */
export function wellviewUserUrl(): string {
  return `${WELLVIEW_GATEWAY_PREFIX}/user`;
}

/** The server's target discovery; `chosen` is the user's pick, checked against the candidates. */
export function targetDiscoveryUrl(chosen?: string | null): string {
  return chosen ? `/api/targets/wellview?target=${encodeURIComponent(chosen)}` : '/api/targets/wellview';
}

/** One page of well headers. */
export function wellListUrl(
  target: Pick<WellviewTarget, 'path'>,
  page: { limit?: number; offset?: number } = {},
): string {
  const limit = page.limit ?? WELLVIEW_PAGE_LIMIT;
  return `${WELLVIEW_GATEWAY_PREFIX}/${target.path}/wellheader/data?limit=${limit}&offset=${page.offset ?? 0}`;
}

/** One well header by its WellView id. */
export function wellUrl(target: Pick<WellviewTarget, 'path'>, id: string): string {
  return `${WELLVIEW_GATEWAY_PREFIX}/${target.path}/wellheader/data/${encodeURIComponent(id)}`;
}
