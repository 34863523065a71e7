'use client';

import { useEffect, type ReactNode } from 'react';
import { DisplayContext } from '@/hooks/use-display';
import { rememberTimeZone } from '@/lib/display/browser';
import type { Display } from '@/lib/display/setting';

/**
 * Hands the server's display setting to `useDisplay()` below it, and stores the browser's time
 * zone in the `tz` cookie so the next page is rendered in it from the start.
 */
export function DisplayProvider({ value, children }: { value: Display; children: ReactNode }) {
  useEffect(rememberTimeZone, []);
  return <DisplayContext value={value}>{children}</DisplayContext>;
}
