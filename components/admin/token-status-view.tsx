'use client';

import { useEffect, useState } from 'react';
import { ErrorState, Skeleton } from '@/components/ui/states';
import { useGateway } from '@/hooks/use-gateway';
import { gatewayFetch, GatewayError } from '@/lib/client/gateway-client';
import { formatDateTime } from '@/lib/format';
import { tokenStatusSchema, type TokenStatus } from '@/lib/admin/token-status-schema';

/** Ticks once a second so countdowns stay live between refreshes. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function countdown(iso: string | null, now: number): string {
  if (!iso) return '—';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (seconds <= 0) return 'expired';
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `in ${minutes} min ${seconds % 60} s` : `in ${seconds} s`;
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`${title}-title`} className="rounded-xl border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
      <h2 id={`${title}-title`} className="mb-3 text-lg font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Facts({ items }: { items: [string, React.ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[minmax(10rem,auto)_1fr] gap-x-4 gap-y-1.5 text-sm">
      {items.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Health({ healthy }: { healthy: boolean | null }) {
  if (healthy === null) return <span className="text-slate-500">no calls yet</span>;
  return healthy ? (
    <span className="font-medium text-emerald-700 dark:text-emerald-300">healthy</span>
  ) : (
    <span className="font-medium text-red-700 dark:text-red-300">failing</span>
  );
}

function Timeline({ points, now }: { points: TokenStatus['timeline']; now: number }) {
  const series = ['refreshes', 'tokenRequests', 'unauthorized', 'rateLimited', 'errors'] as const;
  const colors = ['fill-brand-500', 'fill-emerald-500', 'fill-amber-500', 'fill-orange-500', 'fill-red-500'];
  const max = Math.max(1, ...points.flatMap((point) => series.map((name) => point[name])));
  const width = 600;
  const height = 120;
  const slot = width / 60;
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height + 4}`} role="img" aria-label="Events per minute over the last hour" className="h-32 w-full">
        {points.map((point) => {
          const index = 59 - Math.floor((now - new Date(point.minute).getTime()) / 60_000);
          if (index < 0 || index > 59) return null;
          return series.map((name, seriesIndex) => {
            const barHeight = (point[name] / max) * height;
            return (
              <rect
                key={`${point.minute}-${name}`}
                x={index * slot + seriesIndex * (slot / series.length)}
                y={height - barHeight}
                width={slot / series.length}
                height={barHeight}
                className={colors[seriesIndex]}
              >
                <title>{`${name}: ${point[name]}`}</title>
              </rect>
            );
          });
        })}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-3 text-xs">
        {series.map((name, index) => (
          <span key={name} className="inline-flex items-center gap-1">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" className={colors[index]} />
            </svg>
            {name} ({points.reduce((sum, point) => sum + point[name], 0)})
          </span>
        ))}
        <span className="text-slate-500">last 60 minutes</span>
      </figcaption>
    </figure>
  );
}

export function TokenStatusView() {
  const status = useGateway<unknown>('/api/admin/tokens', { refreshInterval: 3000 });
  const now = useNow();
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (status.error && !status.data) return <ErrorState error={status.error} onRetry={() => void status.mutate()} />;
  if (status.data === undefined) return <Skeleton rows={8} />;
  const parsed = tokenStatusSchema.safeParse(status.data);
  if (!parsed.success) return <ErrorState error={new Error('The token status answer had an unexpected shape.')} />;
  const report = parsed.data;

  const act = async (label: string, url: string, body?: unknown) => {
    if (!window.confirm(`${label}?`)) return;
    setBusy(true);
    try {
      await gatewayFetch(url, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
      setNotice(`${label}: done.`);
    } catch (error) {
      setNotice(`${label}: ${error instanceof GatewayError ? error.message : 'failed.'}`);
    } finally {
      setBusy(false);
      void status.mutate();
    }
  };

  const signOutEverywhere = async () => {
    if (!window.confirm('Sign this session out everywhere? The refresh token is revoked at Peloton.')) return;
    const answer = await gatewayFetch<{ redirectTo: string }>('/api/auth/logout', { method: 'POST' });
    window.location.href = answer.redirectTo;
  };

  const copyDiagnostics = async () => {
    // The report holds no token or secret (only fingerprints), so it is safe to paste into a ticket.
    await navigator.clipboard.writeText(JSON.stringify(report, null, 2));
    setNotice('Diagnostics copied to the clipboard.');
  };

  const { session } = report;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" onClick={() => void copyDiagnostics()} className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium dark:border-slate-700">
          Copy diagnostics
        </button>
        <button
          type="button"
          onClick={() => void signOutEverywhere()}
          className="rounded-lg border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 dark:border-red-800 dark:text-red-300"
        >
          Sign this session out everywhere
        </button>
        <span className="text-xs text-slate-500" aria-live="polite">
          Updated {formatDateTime(report.generatedAt)} · refreshes every 3 s
        </span>
      </div>
      {notice && (
        <p role="status" className="rounded-lg bg-slate-100 p-3 text-sm dark:bg-slate-800">
          {notice}
        </p>
      )}
      {report.sharedState.kind === 'redis' && !report.sharedState.healthy && (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-200">
          Redis is unreachable: token state and rate limits are per instance until it returns.
        </p>
      )}

      <Section title="Your session">
        <Facts
          items={[
            ['Signed in as', `${session.user.name ?? ''} ${session.user.email ? `<${session.user.email}>` : ''} (${session.user.sub})`],
            ['Since', formatDateTime(session.signedInAt)],
            ['Access token', `issued ${formatDateTime(session.accessTokenIssuedAt)}, expires ${countdown(session.accessTokenExpiresAt, now)}`],
            ['Access token fingerprint', session.accessTokenFingerprint ?? '—'],
            ['Refresh token', session.refreshTokenPresent ? 'present' : 'none (sign in again when the access token expires)'],
            ['Rotations', String(session.rotations)],
            ['Last refresh', formatDateTime(session.lastRefreshAt)],
            ['Served from a shared refresh', `${report.refreshes.servedFromSharedRefresh} requests (of ${report.refreshes.performed} refreshes on this instance)`],
            ['Idle expiry', `${formatDateTime(session.idleExpiresAt)} (${countdown(session.idleExpiresAt, now)})`],
            ['Absolute expiry', formatDateTime(session.absoluteExpiresAt)],
          ]}
        />
      </Section>

      <Section title="Service tokens">
        <div className="grid gap-4 md:grid-cols-2">
          {(['events', 'meti'] as const).map((name) => {
            const service = report.services[name];
            return (
              <div key={name} className="rounded-lg border border-slate-200 p-4 dark:border-slate-700" data-testid={`service-${name}`}>
                <h3 className="mb-2 font-medium">{name === 'events' ? 'Engagifii Events' : 'METI'}</h3>
                {!service.configured ? (
                  <p className="text-sm text-slate-500">Not configured.</p>
                ) : (
                  <>
                    <Facts
                      items={[
                        ['Cached', service.cached ? 'yes' : 'no'],
                        ['Issued', formatDateTime(service.issuedAt)],
                        ['Expires', `${formatDateTime(service.expiresAt)} (${countdown(service.expiresAt, now)})`],
                        ['Scope', service.scope ?? '—'],
                        ['Audience', service.audience ?? '—'],
                        ['Token requests', String(service.tokenRequests)],
                        ['Fingerprint', service.fingerprint ?? '—'],
                        ['Provider', service.tokenUrl ?? '—'],
                        [
                          'Last error',
                          service.lastError ? (
                            <span className="text-red-700 dark:text-red-300">
                              {service.lastError.code}: {service.lastError.message} ({formatDateTime(service.lastError.at)})
                            </span>
                          ) : (
                            'none'
                          ),
                        ],
                      ]}
                    />
                    <div className="mt-3 flex gap-2">
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => void act(`Renew the ${name} token now`, '/api/admin/tokens/renew', { service: name })}
                        className="rounded-lg bg-brand-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
                      >
                        Renew now
                      </button>
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => void act(`Clear the ${name} token cache`, '/api/admin/tokens/clear', { service: name })}
                        className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium disabled:opacity-50 dark:border-slate-700"
                      >
                        Clear cache
                      </button>
                    </div>
                  </>
                )}
              </div>
            );
          })}
        </div>
      </Section>

      <Section title="Upstreams">
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <thead>
              <tr className="text-left">
                <th scope="col" className="py-1 pr-4">API</th>
                <th scope="col" className="py-1 pr-4">Health</th>
                <th scope="col" className="py-1 pr-4">Last status</th>
                <th scope="col" className="py-1 pr-4">Latency</th>
                <th scope="col" className="py-1 pr-4">Calls (last minute)</th>
                <th scope="col" className="py-1 pr-4">429s seen</th>
              </tr>
            </thead>
            <tbody>
              {(['wellview', 'events', 'meti'] as const).map((name) => {
                const upstream = report.upstreams[name];
                return (
                  <tr key={name} className="border-t border-slate-100 dark:border-slate-800" data-testid={`upstream-${name}`}>
                    <th scope="row" className="py-1.5 pr-4 text-left font-medium">{name}</th>
                    <td className="py-1.5 pr-4">{upstream.configured ? <Health healthy={upstream.healthy} /> : 'not configured'}</td>
                    <td className="py-1.5 pr-4">{upstream.lastStatus ?? (upstream.healthy === false ? 'unreachable' : '—')}</td>
                    <td className="py-1.5 pr-4">{upstream.latencyMs === null ? '—' : `${upstream.latencyMs} ms`}</td>
                    <td className="py-1.5 pr-4">{upstream.callsLastMinute}</td>
                    <td className="py-1.5 pr-4">{upstream.rateLimited}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="mt-3 text-sm">
          WellView subscription key: {report.rateLimit.wellview.currentPerSecond} of {report.rateLimit.wellview.limitPerSecond} calls in the last second,{' '}
          {report.rateLimit.wellview.queued} queued, {report.rateLimit.wellview.throttled} turned away.
        </p>
      </Section>

      <Section title="Last hour">
        <Timeline points={report.timeline} now={now} />
      </Section>
    </div>
  );
}
