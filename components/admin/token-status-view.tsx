'use client';

import { useState } from 'react';
import { ErrorState, Skeleton } from '@/components/ui/states';
import { TOKEN_STATUS_REFRESH_MS, useTokenStatus } from '@/hooks/use-token-status';
import { gatewayFetch, GatewayError } from '@/lib/client/gateway-client';
import { toDiagnostics } from '@/lib/admin/diagnostics';
import type { TokenStatus } from '@/lib/admin/token-status-schema';
import {
  SERVICE_LABELS,
  Section,
  ServiceCard,
  SessionSection,
  UpstreamsSection,
} from '@/components/admin/token-status-sections';
import { TimelineChart } from '@/components/admin/timeline-chart';
import { LoginsSection } from '@/components/admin/logins-section';
import { When } from '@/components/admin/time';

type Notice = { tone: 'ok' | 'error'; text: string };

/** The admin token-status page: live report, confirmed actions, and a secret-free diagnostics copy. */
export function TokenStatusView({ initial }: { initial: TokenStatus | null }) {
  const { report, malformed, error, refresh } = useTokenStatus(initial);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const [manualCopy, setManualCopy] = useState<string | null>(null);

  if (!report) {
    if (malformed)
      return (
        <ErrorState
          error={new Error('The token status answer had an unexpected shape.')}
          onRetry={() => void refresh()}
        />
      );
    if (error) return <ErrorState error={error} onRetry={() => void refresh()} />;
    return <Skeleton rows={8} />;
  }

  const post = async (what: string, url: string, body?: unknown): Promise<boolean> => {
    setBusy(true);
    try {
      await gatewayFetch(url, { method: 'POST', body: JSON.stringify(body ?? {}) });
      setNotice({ tone: 'ok', text: `${what}: done.` });
      return true;
    } catch (failure) {
      setNotice({
        tone: 'error',
        text: `${what} failed: ${failure instanceof GatewayError ? failure.message : 'no answer.'}`,
      });
      return false;
    } finally {
      setBusy(false);
      void refresh();
    }
  };

  const serviceAction = (action: 'renew' | 'clear', name: 'events' | 'meti') => {
    const label = SERVICE_LABELS[name];
    void post(
      action === 'renew' ? `Renew the ${label} token` : `Clear the ${label} token cache`,
      `/api/admin/tokens/${action}`,
      { service: name },
    );
  };

  const signOutEverywhere = async () => {
    setBusy(true);
    try {
      const answer = await gatewayFetch<{ redirectTo: string }>('/api/admin/tokens/sign-out', {
        method: 'POST',
        body: '{}',
      });
      window.location.href = answer.redirectTo;
    } catch (failure) {
      setBusy(false);
      setNotice({
        tone: 'error',
        text: `Sign-out failed: ${failure instanceof GatewayError ? failure.message : 'no answer.'}`,
      });
    }
  };

  const copyDiagnostics = async () => {
    const text = JSON.stringify(
      toDiagnostics(report, { page: window.location.pathname, userAgent: navigator.userAgent }),
      null,
      2,
    );
    try {
      await navigator.clipboard.writeText(text);
      setManualCopy(null);
      setNotice({ tone: 'ok', text: 'Diagnostics copied to the clipboard (no token or secret is in them).' });
    } catch {
      setManualCopy(text);
      setNotice({
        tone: 'error',
        text: 'The clipboard is not available here: copy the diagnostics from the box below.',
      });
    }
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={() => void copyDiagnostics()}
          className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Copy diagnostics
        </button>
        <span className="text-xs text-slate-500" data-testid="updated">
          Updated <When iso={report.generatedAt} /> · refreshes every {TOKEN_STATUS_REFRESH_MS / 1000} s
          {error && (
            <span className="text-red-700 dark:text-red-300">
              {' '}
              · the last refresh failed: {error.message}
            </span>
          )}
        </span>
      </div>
      <div aria-live="polite">
        {notice && (
          <p
            role={notice.tone === 'error' ? 'alert' : 'status'}
            className={`rounded-lg p-3 text-sm ${
              notice.tone === 'error'
                ? 'bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200'
                : 'bg-slate-100 dark:bg-slate-800'
            }`}
          >
            {notice.text}
          </p>
        )}
      </div>
      {manualCopy && (
        <label className="block text-sm">
          <span className="font-medium">Diagnostics</span>
          <textarea
            readOnly
            value={manualCopy}
            rows={10}
            className="mt-1 w-full rounded-lg border border-slate-300 p-2 font-mono text-xs dark:border-slate-700"
          />
        </label>
      )}
      {report.sharedState.kind === 'redis' && !report.sharedState.healthy && (
        <p
          role="alert"
          className="rounded-lg bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-200"
        >
          Redis is unreachable: token state and rate limits are per instance until it returns.
        </p>
      )}

      <SessionSection report={report} busy={busy} onSignOut={() => void signOutEverywhere()} />

      <LoginsSection />

      <Section title="Service tokens">
        <div className="grid gap-4 md:grid-cols-2">
          {(['events', 'meti'] as const).map((name) => (
            <ServiceCard
              key={name}
              name={name}
              service={report.services[name]}
              busy={busy}
              onAction={serviceAction}
            />
          ))}
        </div>
      </Section>

      <UpstreamsSection report={report} />

      <Section title="Last hour">
        <TimelineChart points={report.timeline} generatedAt={report.generatedAt} />
      </Section>
    </div>
  );
}
