'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import { useGatewayLoader } from '@/hooks/use-gateway';
import { useWells, useWellviewTarget } from '@/hooks/use-wellview';
import type { GatewayError } from '@/lib/client/gateway-client';
import { EVENTS_CARD_VIEW, eventsCardKey, sourcesKey } from '@/lib/upstreams/data-keys';
import type { EventsClientSettings } from '@/lib/upstreams/events/client';
import { loadEventPage } from '@/lib/upstreams/events/views';
import { loadSources, type MetiClientSettings } from '@/lib/upstreams/meti/client';
import type { ClientSettings } from '@/lib/upstreams/shared/settings';
import { formatCount } from '@/lib/format';

interface Bar {
  label: string;
  value: number;
}

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

function countBy<T>(items: readonly T[], pick: (item: T) => string | null | undefined, top = 5): Bar[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = pick(item) || 'Unknown';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => b.value - a.value)
    .slice(0, top);
}

function BarChart({ bars, label }: { bars: Bar[]; label: string }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
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
            <span className="text-right tabular-nums">{formatCount(bar.value)}</span>
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
        {count === null ? <span className="text-slate-300 dark:text-slate-600">—</span> : formatCount(count)}
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
  const list = useWells(target.target, settings);
  const rows = list.data?.rows ?? [];
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
  const error = target.error ?? list.error;
  return (
    <Card title="Wells" href="/wells" connection={connectionOf(list.data, error)} count={list.data ? rows.length : null} countLabel="well headers" error={error}>
      {rows.length > 0 && <BarChart bars={countBy(rows, (row) => row.well.status)} label="Wells by status" />}
    </Card>
  );
}

/** The events card: upcoming events, per month. */
export function EventsCard({ settings }: { settings: EventsClientSettings | null }) {
  const list = useGatewayLoader(settings ? eventsCardKey(settings) : null, () =>
    loadEventPage({ settings: settings as EventsClientSettings, search: '' }, EVENTS_CARD_VIEW),
  );
  const monthly = useMemo(() => {
    const format = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' });
    const counts = new Map<string, { label: string; value: number; order: number }>();
    for (const row of list.data?.rows ?? []) {
      if (row.startMs === null) continue;
      const date = new Date(row.startMs);
      const order = date.getFullYear() * 12 + date.getMonth();
      const entry = counts.get(String(order)) ?? { label: format.format(date), value: 0, order };
      entry.value += 1;
      counts.set(String(order), entry);
    }
    return [...counts.values()].sort((a, b) => a.order - b.order).slice(0, 6);
  }, [list.data]);
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
  const list = useGatewayLoader(settings ? sourcesKey(settings, '') : null, () => loadSources(settings as MetiClientSettings));
  const rows = list.data?.rows ?? [];
  if (!settings) return <Card title="Emission sources" href="/sources" connection="not-configured" count={null} countLabel="sources" />;
  return (
    <Card
      title="Emission sources"
      href="/sources"
      connection={connectionOf(list.data, list.error)}
      count={list.data ? rows.length : null}
      countLabel="METI sources"
      error={list.error}
    >
      {rows.length > 0 && (
        <BarChart bars={countBy(rows, (row) => (typeof row.values.methodology === 'string' ? row.values.methodology : null))} label="Sources by methodology" />
      )}
    </Card>
  );
}

/** A card while its data is on its way (the server streams each card in when its provider answers). */
export function CardPlaceholder({ title, href, countLabel }: { title: string; href: string; countLabel: string }) {
  return <Card title={title} href={href} connection="loading" count={null} countLabel={countLabel} />;
}
