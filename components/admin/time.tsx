'use client';

import { useSyncExternalStore } from 'react';
import { useDisplay } from '@/hooks/use-display';
import { formatDateTimeSeconds } from '@/lib/format';

/**
 * A clock shared by every countdown on the page, ticking once a second. The server (and the
 * hydrating render) sees `null`: the server's clock is not the browser's, so countdowns are
 * shown only after hydration and never mismatch the server's HTML.
 */
const listeners = new Set<() => void>();
let current = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    current = Date.now();
    timer = setInterval(() => {
      current = Date.now();
      for (const notify of listeners) notify();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useNow(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => current,
    () => null,
  );
}

/** "in 4 min 12 s", "12 s ago"; empty before hydration. */
export function relative(iso: string | null, now: number | null): string {
  if (!iso || now === null) return '';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const size = Math.abs(seconds);
  const days = Math.floor(size / 86_400);
  const hours = Math.floor((size % 86_400) / 3600);
  const minutes = Math.floor((size % 3600) / 60);
  const text =
    days > 0
      ? `${days} d ${hours} h`
      : hours > 0
        ? `${hours} h ${minutes} min`
        : minutes > 0
          ? `${minutes} min ${size % 60} s`
          : `${size} s`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

/**
 * A point in time, to the second (the page refreshes every few seconds): in the server's display
 * setting until hydration, then in the browser's.
 */
export function When({ iso }: { iso: string | null }) {
  const display = useDisplay();
  if (!iso) return <span>—</span>;
  return <time dateTime={iso}>{formatDateTimeSeconds(display, iso)}</time>;
}

/** A live countdown to (or time since) `iso`; "expired" once an expiry has passed. */
export function Countdown({ iso, expiry = false }: { iso: string | null; expiry?: boolean }) {
  const now = useNow();
  if (!iso || now === null) return null;
  const passed = new Date(iso).getTime() <= now;
  if (expiry && passed) return <span className="font-medium text-red-700 dark:text-red-300">expired</span>;
  return <span className="tabular-nums">{relative(iso, now)}</span>;
}
