import type { Metadata } from 'next';
import { checkUpstreams, type ProbeResult } from '@/lib/health';

export const metadata: Metadata = { title: 'Overview' };
export const dynamic = 'force-dynamic';

const CARDS = [
  { title: 'Wells', api: 'wellview', identity: 'peloton', provider: 'WellView (Peloton)' },
  { title: 'Events', api: 'events', identity: 'events-identity', provider: 'Engagifii Events' },
  { title: 'Emission sources', api: 'meti', identity: 'meti-identity', provider: 'METI' },
] as const;

function describe(api: ProbeResult, identity: ProbeResult): { label: string; tone: string } {
  if (api.ok === null || identity.ok === null) return { label: 'Not configured', tone: 'bg-slate-100 text-slate-700' };
  if (api.ok && identity.ok) return { label: 'Connected', tone: 'bg-emerald-100 text-emerald-800' };
  return { label: 'Provider unavailable', tone: 'bg-amber-100 text-amber-900' };
}

export default async function OverviewPage() {
  const { upstreams } = await checkUpstreams();
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title" className="text-2xl font-semibold tracking-tight">
        Overview
      </h1>
      <ul className="mt-6 grid gap-4 md:grid-cols-3">
        {CARDS.map((card) => {
          const state = describe(upstreams[card.api], upstreams[card.identity]);
          return (
            <li
              key={card.title}
              className="rounded-xl border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
            >
              <h2 className="text-lg font-medium">{card.title}</h2>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{card.provider}</p>
              <p className={`mt-4 inline-block rounded-full px-2.5 py-0.5 text-xs font-medium ${state.tone}`}>
                {state.label}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
