'use client';

import type { ReactNode } from 'react';
import type { GatewayError } from '@/lib/client/gateway-client';

export function Skeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div role="status" aria-label="Loading" className="animate-pulse space-y-2">
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="h-9 rounded-lg bg-slate-200 dark:bg-slate-800" />
      ))}
      <span className="sr-only">Loading…</span>
    </div>
  );
}

/** A failed load in plain words, with Retry; "busy" answers read as a wait, not a failure. */
export function ErrorState({ error, onRetry }: { error: GatewayError | Error; onRetry?: () => void }) {
  const busy = 'busy' in error && error.busy;
  return (
    <div
      role={busy ? 'status' : 'alert'}
      className={`rounded-xl border p-4 text-sm ${
        busy
          ? 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200'
          : 'border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200'
      }`}
    >
      <p className="font-medium">{busy ? 'The service is busy — retrying automatically…' : 'This could not be loaded.'}</p>
      <p className="mt-1">{error.message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry} className="mt-3 rounded-lg border border-current px-3 py-1.5 font-medium">
          Retry
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 p-8 text-center dark:border-slate-700">
      <p className="font-medium">{title}</p>
      {children && <div className="mt-2 text-sm text-slate-600 dark:text-slate-400">{children}</div>}
    </div>
  );
}
