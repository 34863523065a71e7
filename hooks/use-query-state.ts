'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';

type QueryValues<Keys extends string> = Record<Keys, string>;
type QueryChanges<Keys extends string> =
  Partial<QueryValues<Keys>> | ((current: QueryValues<Keys>) => Partial<QueryValues<Keys>>);

function readQuery<Keys extends string>(
  params: { get(name: string): string | null },
  defaults: QueryValues<Keys>,
): QueryValues<Keys> {
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as Keys[]) {
    const value = params.get(key);
    if (value !== null) out[key] = value;
  }
  return out;
}

/**
 * A list's view state (search, filters, sort, page) kept in the URL query, so a link reproduces
 * the view and the back button works. Typing replaces the history entry; other changes push one.
 *
 * Changes go through the History API, which Next keeps `useSearchParams` in step with: a view
 * change needs no server round trip. Changes build on the address bar's query rather than the
 * last render, so two quick clicks (a sort flipped twice) both count.
 */
export function useQueryState<Keys extends string>(defaults: QueryValues<Keys>) {
  const params = useSearchParams();
  const pathname = usePathname();

  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useMemo(() => readQuery(params, defaults), [params]);

  const update = useCallback(
    (changes: QueryChanges<Keys>, options: { replace?: boolean } = {}) => {
      const next = new URLSearchParams(window.location.search);
      const patch = typeof changes === 'function' ? changes(readQuery(next, defaults)) : changes;
      for (const [key, value] of Object.entries(patch) as [Keys, string | undefined][]) {
        if (value === undefined || value === '' || value === defaults[key]) next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      if (query === window.location.search.replace(/^\?/, '')) return;
      const url = query ? `${pathname}?${query}` : pathname;
      if (options.replace) window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pathname],
  );

  return [state, update] as const;
}

/**
 * The text of a list's search box. It is the box's own state, so typing never waits for the
 * router; it is written to the URL after a pause in typing (`writeAfterMs`), because each URL
 * write re-renders everything that reads the query, and on a 5,000-row list that cost more than
 * the search itself. When the URL's search changes for another reason (the back button, a link),
 * the box takes that value, so what it shows always matches the list.
 */
export function useSearchText(
  urlValue: string,
  write: (value: string) => void,
  { param = 'q', writeAfterMs = 250 }: { param?: string; writeAfterMs?: number } = {},
) {
  const [text, setText] = useState(urlValue);
  const [seen, setSeen] = useState(urlValue);
  const [written, setWritten] = useState(urlValue);
  if (urlValue !== seen) {
    setSeen(urlValue);
    // Our own writes come back as URL changes too, and a render may still show an older one of
    // them while the address bar already holds the newest: neither is news for the box.
    const current = new URLSearchParams(window.location.search);
    if (urlValue !== written && urlValue === (current.get(param) ?? '')) {
      setText(urlValue);
      setWritten(urlValue);
    }
  }
  useEffect(() => {
    if (text === written) return;
    // A newer keystroke (or the URL changing under the box) clears this timer first.
    const timer = setTimeout(() => {
      setWritten(text);
      write(text);
    }, writeAfterMs);
    return () => clearTimeout(timer);
  }, [text, written, write, writeAfterMs]);
  return [text, setText] as const;
}
