'use client';

import { useEffect } from 'react';
import useSWR, { unstable_serialize, useSWRConfig, type SWRConfiguration } from 'swr';
import { GatewayError, gatewayFetch, redirectToSignIn } from '@/lib/client/gateway-client';

type Key = string | [string, string] | null;

async function fetcher<T>(key: string | [string, string]): Promise<T> {
  if (typeof key === 'string') return gatewayFetch<T>(key);
  const [url, body] = key;
  return gatewayFetch<T>(url, { method: 'POST', body });
}

/** The longest a page waits before retrying a busy answer, whatever its Retry-After. */
const MAX_RETRY_WAIT_SECONDS = 16;

const GATEWAY_SWR_OPTIONS: SWRConfiguration<unknown, GatewayError> = {
  revalidateOnFocus: false,
  keepPreviousData: true,
  onErrorRetry: (error, _key, _config, revalidate, { retryCount }) => {
    // Refusals and answers that are not data come back the same: the page shows them at once.
    if (error.signInRequired || error.permanent) return;
    // A busy provider is waited out: the page says it is retrying, so it must keep doing so.
    if (retryCount >= 6 && !error.busy) return;
    // Retry-After says when it could have gone; bounded, so a long figure never stalls a page.
    const seconds = Math.min(error.retryAfter ?? 2 ** retryCount, MAX_RETRY_WAIT_SECONDS);
    setTimeout(() => void revalidate({ retryCount }), seconds * 1000);
  },
};

function useSignInWhenEnded(error: GatewayError | undefined): void {
  const signInRequired = error?.signInRequired ?? false;
  useEffect(() => {
    if (signInRequired) redirectToSignIn();
  }, [signInRequired]);
}

/**
 * No fetch on mount for a key the server seeded (`fallback`, see `lib/server-data/`): the page
 * arrived with that data, read a moment ago. Later changes of key fetch as usual.
 */
function useSeededOptions(key: Key | readonly unknown[]): SWRConfiguration {
  const { fallback } = useSWRConfig();
  const seeded = key !== null && fallback !== undefined && Object.hasOwn(fallback, unstable_serialize(key));
  return seeded ? { revalidateOnMount: false } : {};
}

/**
 * SWR over the gateway. A GET is keyed by its URL; a read that is a POST (Events' list query)
 * by `[url, body]`. An ended sign-in sends the user to sign in and back; "busy" answers are
 * retried with backoff instead of showing an error wall.
 */
export function useGateway<T>(key: Key, config: SWRConfiguration<T, GatewayError> = {}) {
  const seeded = useSeededOptions(key);
  const result = useSWR<T, GatewayError>(key, fetcher, { ...(GATEWAY_SWR_OPTIONS as SWRConfiguration<T, GatewayError>), ...seeded, ...config });
  useSignInWhenEnded(result.error);
  return result;
}

/**
 * Like {@link useGateway}, for a read that takes several gateway calls: `load` makes them, and
 * `key` lists everything the answer depends on.
 */
export function useGatewayLoader<T>(key: readonly unknown[] | null, load: () => Promise<T>) {
  const seeded = useSeededOptions(key);
  const result = useSWR<T, GatewayError>(key, load, { ...(GATEWAY_SWR_OPTIONS as SWRConfiguration<T, GatewayError>), ...seeded });
  useSignInWhenEnded(result.error);
  return result;
}
