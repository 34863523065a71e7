'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import { useGatewayLoader } from '@/hooks/use-gateway';
import { useWellviewTarget } from '@/hooks/use-wellview';
import type { GatewayError } from '@/lib/client/gateway-client';
import { eventsCardKey, sourcesCardKey, wellsCardKey } from '@/lib/upstreams/data-keys';
import type { EventsClientSettings } from '@/lib/upstreams/events/client';
import type { MetiClientSettings } from '@/lib/upstreams/meti/client';
import { loadEventsSummary, loadSourcesSummary, loadWellsSummary, type Bar } from '@/lib/upstreams/overview';
import type { ClientSettings } from '@/lib/upstreams/shared/settings';
import type { WellviewTarget } from '@/lib/upstreams/wellview/target';
import { useDisplay } from '@/hooks/use-display';
import { formatCount, formatUtcMonth } from '@/lib/format';

type Connection = 'connected' | 'loading' | 'sign-in' | 'busy' | 'unavailable' | 'not-configured';

const CONNECTION_LABEL: Record<Connection, { text: string; tone: string }> = {
  connected: { text: 'Connected', tone: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200' },
  loading: { text: 'Connecting…', tone: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200' },
  'sign-in': { text: 'Signing in needed', tone: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200' },
  busy: { text: 'Busy, retrying', tone: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200' },
  unavailable: { text: 'Provider unavailable', tone: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200' },
  'not-configured': { text: 'Not configured', tone: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200' },
};

function connectionOf(data: unknown, error: GatewayError | undefined): Connection {
  if (error?.signInRequired) return 'sign-in';
  if (error?.busy) return 'busy';
  if (error?.code === 'NOT_CONFIGURED') return 'not-configured';
  if (error && data === undefined) return 'unavailable';
  return data === undefined ? 'loading' : 'connected';
}

function BarChart({ bars, label }: { bars: Bar[]; label: string }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const display = useDisplay();
  return (
    <figure className="mt-4">
      <figcaption className="mb-2 text-xs font-medium text-slate-500 dark:text-slate-400">{label}</figcaption>
      <ul className="space-y-1.5">
        {bars.map((bar) => (
          <li key={bar.label} className="grid grid-cols-[7rem_1fr_3rem] items-center gap-2 text-xs">
            <span className="truncate" title={bar.label}>
              {bar.label}
            </span>
            <span className="h-2.5 rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true">
              <span className="block h-2.5 rounded bg-brand-500" style={{ width: `${(bar.value / max) * 100}%` }} />
            </span>
            <span className="text-right tabular-nums">{formatCount(display, bar.value)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

function Card({
  title,
  href,
  connection,
  count,
  countLabel,
  error,
  children,
}: {
  title: string;
  href: string;
  connection: Connection;
  count: number | null;
  countLabel: string;
  error?: GatewayError;
  children?: React.ReactNode;
}) {
  const badge = CONNECTION_LABEL[connection];
  const display = useDisplay();
  return (
    <li className="flex flex-col rounded-xl border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex items-start justify-between gap-2">
        <h2 className="text-lg font-medium">
          <Link href={href} className="hover:underline">
            {title}
          </Link>
        </h2>
        <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${badge.tone}`} data-testid={`${href.slice(1)}-connection`}>
          {badge.text}
        </span>
      </div>
      <p className="mt-3 text-3xl font-semibold tabular-nums" aria-live="polite">
        {count === null ? <span className="text-slate-300 dark:text-slate-600">—</span> : formatCount(display, count)}
      </p>
      <p className="text-sm text-slate-600 dark:text-slate-400">{countLabel}</p>
      {error && connection !== 'loading' && connection !== 'connected' && (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">{error.message}</p>
      )}
      {children}
    </li>
  );
}

/** The wells card: how many well headers, and by status. */
export function WellsCard({ settings }: { settings: ClientSettings }) {
  const target = useWellviewTarget(settings);
  const summary = useGatewayLoader(target.target ? wellsCardKey(target.target, settings.wellview) : null, () =>
    loadWellsSummary(target.target as WellviewTarget, settings.wellview),
  );
  const discovery = target.discovery;
  if (discovery && discovery.status !== 'resolved') {
    return (
      <Card title="Wells" href="/wells" connection="not-configured" count={null} countLabel="well headers">
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
          {discovery.status === 'choose' ? (
            <>
              Your WellView account lists {discovery.candidates.length} places to read wells.{' '}
              <Link href="/wells" className="underline">
                Choose one on the Wells page
              </Link>
              .
            </>
          ) : (
            <>
              WellView did not say where to read wells: set {discovery.configure.map((name) => <code key={name}>{name} </code>)}on the
              dashboard&apos;s server.
            </>
          )}
        </p>
      </Card>
    );
  }
  const error = target.error ?? summary.error;
  const bars = summary.data?.bars ?? [];
  return (
    <Card title="Wells" href="/wells" connection={connectionOf(summary.data, error)} count={summary.data?.count ?? null} countLabel="well headers" error={error}>
      {bars.length > 0 && <BarChart bars={bars} label="Wells by status" />}
    </Card>
  );
}

/** The events card: upcoming events, per month. */
export function EventsCard({ settings }: { settings: EventsClientSettings | null }) {
  const list = useGatewayLoader(settings ? eventsCardKey(settings) : null, () => loadEventsSummary(settings as EventsClientSettings));
  const display = useDisplay();
  const monthly = useMemo(
    // Months are counted in UTC (the server and the browser must agree), so named in UTC too.
    () => (list.data?.months ?? []).map((month) => ({ label: formatUtcMonth(display, month.at), value: month.value })),
    [list.data, display],
  );
  if (!settings) return <Card title="Events" href="/events" connection="not-configured" count={null} countLabel="upcoming events" />;
  return (
    <Card
      title="Events"
      href="/events"
      connection={connectionOf(list.data, list.error)}
      count={list.data ? list.data.total : null}
      countLabel="upcoming events"
      error={list.error}
    >
      {monthly.length > 0 && <BarChart bars={monthly} label="Upcoming events per month" />}
    </Card>
  );
}

/** The sources card: METI sources, by methodology. */
export function SourcesCard({ settings }: { settings: MetiClientSettings | null }) {
  const list = useGatewayLoader(settings ? sourcesCardKey(settings) : null, () => loadSourcesSummary(settings as MetiClientSettings));
  const bars = list.data?.bars ?? [];
  if (!settings) return <Card title="Emission sources" href="/sources" connection="not-configured" count={null} countLabel="sources" />;
  return (
    <Card
      title="Emission sources"
      href="/sources"
      connection={connectionOf(list.data, list.error)}
      count={list.data?.count ?? null}
      countLabel="METI sources"
      error={list.error}
    >
      {bars.length > 0 && <BarChart bars={bars} label="Sources by methodology" />}
    </Card>
  );
}

/** A card while its data is on its way (the server streams each card in when its provider answers). */
export function CardPlaceholder({ title, href, countLabel }: { title: string; href: string; countLabel: string }) {
  return <Card title={title} href={href} connection="loading" count={null} countLabel={countLabel} />;
}
