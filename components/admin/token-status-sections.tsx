'use client';

import { useId, type ReactNode } from 'react';
import type { ServiceStatus, TokenStatus } from '@/lib/admin/token-status-schema';
import { ConfirmButton } from '@/components/admin/confirm-button';
import { Countdown, When } from '@/components/admin/time';

export const SERVICE_LABELS = { events: 'Engagifii Events', meti: 'METI' } as const;
const UPSTREAM_LABELS = { wellview: 'WellView', ...SERVICE_LABELS } as const;

export function Section({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section
      aria-labelledby={id}
      className="rounded-xl border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={id} className="text-lg font-medium">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

function Facts({ items, testId }: { items: [string, ReactNode][]; testId?: string }) {
  return (
    <dl className="grid grid-cols-[minmax(9rem,auto)_1fr] gap-x-4 gap-y-1.5 text-sm" data-testid={testId}>
      {items.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
          <dd className="min-w-0 break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A time with its live countdown in brackets. */
function TimeAndCountdown({ iso, expiry = false }: { iso: string | null; expiry?: boolean }) {
  return (
    <>
      <When iso={iso} />
      {iso && (
        <>
          {' ('}
          <Countdown iso={iso} expiry={expiry} />
          {')'}
        </>
      )}
    </>
  );
}

function ErrorText({ error }: { error: NonNullable<ServiceStatus['lastError']> }) {
  return (
    <span className="text-red-700 dark:text-red-300" data-testid="last-error">
      <code>{error.code}</code>: {error.message} (<When iso={error.at} />)
    </span>
  );
}

export function SessionSection({
  report,
  busy,
  onSignOut,
}: {
  report: TokenStatus;
  busy: boolean;
  onSignOut: () => void;
}) {
  const { session, refreshes } = report;
  const outcome = session.lastRefreshOutcome;
  return (
    <Section
      title="Your session"
      actions={
        <ConfirmButton
          label="Sign out everywhere"
          question="End every login of yours, on every device and instance, and sign out?"
          confirmLabel="Yes, sign out everywhere"
          tone="danger"
          disabled={busy}
          onConfirm={onSignOut}
        />
      }
    >
      <Facts
        testId="session-facts"
        items={[
          [
            'Signed in as',
            `${session.user.name ?? session.user.sub}${session.user.email ? ` <${session.user.email}>` : ''} (${session.user.sub})`,
          ],
          ['Since', <When key="since" iso={session.signedInAt} />],
          ['Access token issued', <When key="issued" iso={session.accessTokenIssuedAt} />],
          [
            'Access token expires',
            <TimeAndCountdown key="expires" iso={session.accessTokenExpiresAt} expiry />,
          ],
          ['Access token fingerprint', <code key="fp">{session.accessTokenFingerprint ?? '—'}</code>],
          [
            'Refresh token',
            session.refreshTokenPresent ? 'yes' : 'no (sign in again when the access token expires)',
          ],
          [
            'Rotations',
            <span key="rotations" data-testid="rotations">
              {session.rotations}
            </span>,
          ],
          [
            'Last refresh',
            outcome ? (
              <span key="refresh">
                <When iso={outcome.at} /> ·{' '}
                {outcome.outcome === 'succeeded' ? (
                  <span className="text-emerald-700 dark:text-emerald-300">succeeded</span>
                ) : (
                  <span className="text-red-700 dark:text-red-300">
                    failed ({outcome.code ?? 'unknown'}); the current token is kept while it lasts
                  </span>
                )}
              </span>
            ) : (
              'not yet refreshed'
            ),
          ],
          [
            'Served by a concurrent refresh',
            `${session.servedFromSharedRefresh} requests of this session (${refreshes.servedFromSharedRefresh} of all sessions, beside ${refreshes.performed} refreshes, on this instance)`,
          ],
          ['Idle expiry', <TimeAndCountdown key="idle" iso={session.idleExpiresAt} expiry />],
          ['Absolute expiry', <TimeAndCountdown key="absolute" iso={session.absoluteExpiresAt} expiry />],
        ]}
      />
    </Section>
  );
}

export function ServiceCard({
  name,
  service,
  busy,
  onAction,
}: {
  name: 'events' | 'meti';
  service: ServiceStatus;
  busy: boolean;
  onAction: (action: 'renew' | 'clear', name: 'events' | 'meti') => void;
}) {
  const label = SERVICE_LABELS[name];
  return (
    <div
      className="rounded-lg border border-slate-200 p-4 dark:border-slate-700"
      data-testid={`service-${name}`}
    >
      <h3 className="mb-2 font-medium">{label}</h3>
      {!service.configured ? (
        <p className="text-sm text-slate-500">Not configured on this dashboard.</p>
      ) : (
        <>
          <Facts
            items={[
              [
                'Cached',
                <span key="cached" data-testid={`${name}-cached`}>
                  {service.cached ? 'yes' : 'no'}
                </span>,
              ],
              ['Issued', <When key="issued" iso={service.issuedAt} />],
              ['Expires', <TimeAndCountdown key="expires" iso={service.expiresAt} expiry />],
              ['Granted scopes', service.scope ?? '—'],
              ['Audience', service.audience ?? '—'],
              [
                'Token requests',
                <span key="requests" className="tabular-nums" data-testid={`${name}-token-requests`}>
                  {service.tokenRequests}
                </span>,
              ],
              ['Fingerprint', <code key="fp">{service.fingerprint ?? '—'}</code>],
              [
                'Token URL',
                <code key="url" className="text-xs">
                  {service.tokenUrl ?? '—'}
                </code>,
              ],
              [
                'Last error',
                service.lastError ? <ErrorText key="error" error={service.lastError} /> : 'none',
              ],
            ]}
          />
          <div className="mt-3 flex flex-wrap gap-2">
            <ConfirmButton
              label="Renew now"
              question={`Request a new ${label} token now?`}
              confirmLabel="Yes, renew"
              tone="primary"
              disabled={busy}
              onConfirm={() => onAction('renew', name)}
            />
            <ConfirmButton
              label="Clear cache"
              question={`Drop the cached ${label} token? The next call fetches a new one.`}
              confirmLabel="Yes, clear"
              disabled={busy}
              onConfirm={() => onAction('clear', name)}
            />
          </div>
        </>
      )}
    </div>
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

export function UpstreamsSection({ report }: { report: TokenStatus }) {
  const limit = report.rateLimit.wellview;
  const shared = report.sharedState;
  return (
    <Section title="Upstreams">
      <div className="overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <thead>
            <tr>
              {[
                'API',
                'Health',
                'Last status',
                'Latency',
                'Calls (last minute)',
                '401s',
                '429s',
                'Last call',
                'Last check',
              ].map((heading) => (
                <th key={heading} scope="col" className="py-1 pr-4 font-medium">
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(['wellview', 'events', 'meti'] as const).map((name) => {
              const upstream = report.upstreams[name];
              return (
                <tr
                  key={name}
                  className="border-t border-slate-100 align-top dark:border-slate-800"
                  data-testid={`upstream-${name}`}
                >
                  <th scope="row" className="py-1.5 pr-4 font-medium">
                    {UPSTREAM_LABELS[name]}
                  </th>
                  <td className="py-1.5 pr-4">
                    {upstream.configured ? <Health healthy={upstream.healthy} /> : 'not configured'}
                  </td>
                  <td className="py-1.5 pr-4">
                    {upstream.lastStatus ?? (upstream.healthy === false ? 'no answer' : '—')}
                  </td>
                  <td className="py-1.5 pr-4 tabular-nums">
                    {upstream.latencyMs === null ? '—' : `${Math.round(upstream.latencyMs)} ms`}
                  </td>
                  <td className="py-1.5 pr-4 tabular-nums">{upstream.callsLastMinute}</td>
                  <td className="py-1.5 pr-4 tabular-nums">{upstream.unauthorized}</td>
                  <td className="py-1.5 pr-4 tabular-nums">{upstream.rateLimited}</td>
                  <td className="py-1.5 pr-4">
                    <When iso={upstream.lastCallAt} />
                  </td>
                  <td className="py-1.5 pr-4">
                    <When iso={upstream.checkedAt} />
                    {upstream.checkNote && <p className="text-xs text-slate-500">{upstream.checkNote}</p>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="mt-4 text-sm" data-testid="rate-limit">
        <h3 className="font-medium">WellView rate limit (this subscription key, this instance)</h3>
        <p className="mt-1 flex flex-wrap items-center gap-x-2">
          <meter
            min={0}
            max={limit.limitPerSecond}
            value={limit.currentPerSecond}
            aria-label="Calls in the last second"
            className="w-32"
          />
          <span className="tabular-nums">
            {limit.currentPerSecond} of {limit.limitPerSecond} calls in the last second · {limit.queued}{' '}
            queued · {report.upstreams.wellview.rateLimited} 429s seen from WellView · {limit.throttled} calls
            turned away by the dashboard
          </span>
        </p>
      </div>
      <p className="mt-3 text-sm" data-testid="shared-state">
        Token state and rate limits:{' '}
        {shared.kind === 'memory'
          ? 'kept in memory, on this instance only'
          : shared.healthy
            ? 'shared through Redis'
            : 'Redis is unreachable, so they are per instance for now'}
        {shared.fallbacks > 0 && ` · ${shared.fallbacks} operations served per instance while Redis failed`}
        {shared.lastError && (
          <>
            {' '}
            · last Redis error: {shared.lastError.message} (<When iso={shared.lastError.at} />)
          </>
        )}
      </p>
      <p className="mt-3 text-xs text-slate-500">
        Health comes from real calls, and from a cheap authenticated call the page makes itself when an API
        has not been called for 15 seconds.
      </p>
    </Section>
  );
}
