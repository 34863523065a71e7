'use client';

import { useCallback, useSyncExternalStore } from 'react';
import { useGatewayLoader } from '@/hooks/use-gateway';
import { useQueryState } from '@/hooks/use-query-state';
import { setGatewayTimeout } from '@/lib/client/gateway-client';
import { wellKey, wellsKey, wellviewTargetKey } from '@/lib/upstreams/data-keys';
import type { ClientSettings } from '@/lib/upstreams/shared/settings';
import { fetchWell, fetchWellviewTarget, fetchWells } from '@/lib/upstreams/wellview/client';
import type { WellviewTarget } from '@/lib/upstreams/wellview/target';

/** The user's last pick among several WellView targets: a target path, not a secret. */
const PREFERENCE_KEY = 'wellview-target';
const listeners = new Set<() => void>();

function readPreference(): string | null {
  try {
    return window.localStorage.getItem(PREFERENCE_KEY);
  } catch {
    return null;
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

/** Stores the pick; every component reading the preference renders again. */
export function storeTargetPreference(path: string | null): void {
  try {
    if (path) window.localStorage.setItem(PREFERENCE_KEY, path);
    else window.localStorage.removeItem(PREFERENCE_KEY);
  } catch {
    // Storage may be disabled: the choice still lives in the URL.
  }
  for (const listener of listeners) listener();
}

/**
 * Where this user's wells are, asked of the server (`/api/targets/wellview`). The user's pick
 * comes from `?target=` first, then their stored preference; the server honours it only when it
 * is one of the candidates. `choose` writes the pick to both.
 */
export function useWellviewTarget(settings: Pick<ClientSettings, 'upstreamTimeoutMs'>) {
  setGatewayTimeout(settings.upstreamTimeoutMs);
  const [query, setQuery] = useQueryState({ target: '' });
  const stored = useSyncExternalStore(subscribe, readPreference, () => null);
  const chosen = query.target || stored || null;
  const result = useGatewayLoader(wellviewTargetKey(chosen), () => fetchWellviewTarget(chosen));
  const choose = useCallback(
    (path: string) => {
      storeTargetPreference(path);
      setQuery({ target: path }, { replace: true });
    },
    [setQuery],
  );
  const resolved = result.data?.status === 'resolved' ? result.data : null;
  return {
    discovery: result.data,
    error: result.error,
    retry: () => void result.mutate(),
    choose,
    target: resolved?.target ?? null,
    /** `?target=…` for links to other WellView pages when the user picked the target. */
    targetQuery: resolved?.source === 'chosen' ? `?target=${encodeURIComponent(resolved.target.path)}` : '',
  };
}

/** Every well header at `target` (all pages); waits while the target is unknown. */
export function useWells(target: WellviewTarget | null, settings: ClientSettings) {
  return useGatewayLoader(target ? wellsKey(target, settings.wellview) : null, () =>
    fetchWells(target as WellviewTarget, settings.wellview),
  );
}

/** One well; waits while the target is unknown. */
export function useWell(target: WellviewTarget | null, id: string, settings: ClientSettings) {
  return useGatewayLoader(
    target ? wellKey(target, id, settings.wellview) : null,
    () => fetchWell(target as WellviewTarget, id, settings.wellview),
  );
}
