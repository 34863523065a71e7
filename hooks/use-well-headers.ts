'use client';

import { useGatewayLoader } from '@/hooks/use-gateway';
import { gatewayFetch } from '@/lib/client/gateway-client';

/** WellView answers at most this many well headers per call; a longer list comes in pages. */
export const WELLVIEW_PAGE_LIMIT = 5000;

/** The first call for a list of well headers (the gateway caches answers by their URL). */
export function wellHeadersPageUrl(listUrl: string, offset = 0): string {
  return `${listUrl}?limit=${WELLVIEW_PAGE_LIMIT}&offset=${offset}`;
}

/**
 * Every well header at `listUrl`, read page by page with `limit` and `offset` until a short page,
 * so an account with more than one page of wells sees (and exports) all of them. A first answer
 * that is not a list is returned as is, for the page to show as malformed.
 */
export async function loadWellHeaders(listUrl: string): Promise<unknown> {
  const all: unknown[] = [];
  for (let offset = 0; ; offset += WELLVIEW_PAGE_LIMIT) {
    const page = await gatewayFetch<unknown>(wellHeadersPageUrl(listUrl, offset));
    if (!Array.isArray(page)) return offset === 0 ? page : all;
    all.push(...page);
    if (page.length < WELLVIEW_PAGE_LIMIT) return all;
  }
}

/** SWR over {@link loadWellHeaders}; `null` waits (the list's location is not known yet). */
export function useWellHeaders(listUrl: string | null) {
  return useGatewayLoader<unknown>(listUrl ? ['well-headers', listUrl] : null, () =>
    loadWellHeaders(listUrl as string),
  );
}
