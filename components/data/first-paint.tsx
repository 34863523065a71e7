'use client';

import { useEffect, useMemo } from 'react';
import { SWRConfig } from 'swr';
import { fallbackOf, type FirstPaintData } from '@/lib/upstreams/first-paint';

let syncing: Promise<unknown> | null = null;

/**
 * Asks for the newest session cookies once (several areas of one page may say so together).
 * `GET /api/auth/session` answers with them when the server holds a newer state than the cookie.
 */
function syncSessionCookie(): void {
  syncing ??= fetch('/api/auth/session', { credentials: 'same-origin', cache: 'no-store' })
    .catch(() => undefined)
    .finally(() => {
      syncing = null;
    });
}

/**
 * Hands the data the server read while rendering to the client components below as SWR
 * `fallback`, under the keys their hooks use, so they render it at once (in the first HTML, and
 * on hydration without fetching it again). `data` null: the server could not read it, and the
 * components fetch as usual, with their own loading, retry and error states.
 */
export function FirstPaint({ data, children }: { data: FirstPaintData | null; children: React.ReactNode }) {
  const fallback = useMemo(() => (data ? fallbackOf(data.entries) : {}), [data]);
  const stale = data?.sessionStale ?? false;
  useEffect(() => {
    if (stale) syncSessionCookie();
  }, [stale]);
  return <SWRConfig value={{ fallback }}>{children}</SWRConfig>;
}
