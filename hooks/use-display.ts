'use client';

import { createContext, useContext, useSyncExternalStore } from 'react';
import { displayAfterHydration } from '@/lib/display/browser';
import { DEFAULT_DISPLAY, type Display } from '@/lib/display/setting';

/** The server's display setting for this page, provided near the root (components/display). */
export const DisplayContext = createContext<Display>(DEFAULT_DISPLAY);

// The browser's locale and zone have no change event worth following within a page's life.
const subscribe = () => () => {};

/**
 * The locale and time zone to format in: the server's during server rendering and hydration (so
 * the HTML matches), the browser's own after. The switch re-renders only the components that
 * call this, and only when the two differ. Pass the value to every formatter in lib/format.ts.
 */
export function useDisplay(): Display {
  const server = useContext(DisplayContext);
  return useSyncExternalStore(
    subscribe,
    () => displayAfterHydration(server),
    () => server,
  );
}
