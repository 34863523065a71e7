'use client';

import { useMemo } from 'react';
import { useGateway } from '@/hooks/use-gateway';
import { tokenStatusSchema, type TokenStatus } from '@/lib/admin/token-status-schema';

/** How often the admin page asks for a fresh report. */
export const TOKEN_STATUS_REFRESH_MS = 3000;

/**
 * The admin token-status report, live: refreshed every few seconds, validated with the schema the
 * API is built from. `initial` is the server-rendered report, shown until the first answer.
 */
export function useTokenStatus(initial: TokenStatus | null) {
  const result = useGateway<unknown>('/api/admin/tokens', {
    refreshInterval: TOKEN_STATUS_REFRESH_MS,
    ...(initial ? { fallbackData: initial } : {}),
  });
  const parsed = useMemo(
    () => (result.data === undefined ? null : tokenStatusSchema.safeParse(result.data)),
    [result.data],
  );
  return {
    report: parsed?.success ? parsed.data : null,
    /** The answer arrived but does not have the shape this page knows. */
    malformed: parsed !== null && !parsed.success,
    error: result.error,
    refresh: () => result.mutate(),
  };
}
