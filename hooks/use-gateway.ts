'use client';

import { useEffect } from 'react';
import useSWR, { type SWRConfiguration } from 'swr';
import { GatewayError, gatewayFetch, redirectToSignIn } from '@/lib/client/gateway-client';

type Key = string | [string, string] | null;

async function fetcher<T>(key: string | [string, string]): Promise<T> {
  if (typeof key === 'string') return gatewayFetch<T>(key);
  const [url, body] = key;
  return gatewayFetch<T>(url, { method: 'POST', body });
}

/**
 * SWR over the gateway. A GET is keyed by its URL; a read that is a POST (Events' list query)
 * by `[url, body]`. An ended sign-in sends the user to sign in and back; "busy" answers are
 * retried with backoff instead of showing an error wall.
 */
export function useGateway<T>(key: Key, config: SWRConfiguration<T, GatewayError> = {}) {
  const result = useSWR<T, GatewayError>(key, fetcher, {
    revalidateOnFocus: false,
    keepPreviousData: true,
    onErrorRetry: (error, _key, _config, revalidate, { retryCount }) => {
      if (error.signInRequired || (error.status >= 400 && error.status < 500 && !error.busy)) return;
      if (retryCount >= 6) return;
      const seconds = error.retryAfter ?? Math.min(2 ** retryCount, 16);
      setTimeout(() => void revalidate({ retryCount }), seconds * 1000);
    },
    ...config,
  });
  const signInRequired = result.error?.signInRequired ?? false;
  useEffect(() => {
    if (signInRequired) redirectToSignIn();
  }, [signInRequired]);
  return result;
}
