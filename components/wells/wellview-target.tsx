'use client';

import { useId, useMemo, useState, type FormEvent } from 'react';
import { ErrorState } from '@/components/ui/states';
import type { TargetDiscovery, WellviewTarget } from '@/lib/upstreams/wellview/target';

function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const id = key(item);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * The picker shown when WellView lists several org units, apps or versions: three native selects
 * (keyboard accessible as they are), each narrowed by the one before, and a button to use them.
 */
export function TargetPicker({
  candidates,
  onChoose,
}: {
  candidates: WellviewTarget[];
  onChoose: (path: string) => void;
}) {
  const id = useId();
  const first = candidates[0];
  const [orgUnit, setOrgUnit] = useState(first?.orgUnit ?? '');
  const [app, setApp] = useState(first?.app ?? '');
  const [version, setVersion] = useState(first?.version ?? '');
  const orgUnits = useMemo(() => unique(candidates, (candidate) => candidate.orgUnit), [candidates]);
  const apps = unique(
    candidates.filter((candidate) => candidate.orgUnit === orgUnit),
    (candidate) => candidate.app,
  );
  const versions = candidates.filter((candidate) => candidate.orgUnit === orgUnit && candidate.app === app);
  const picked = versions.find((candidate) => candidate.version === version) ?? versions[0];

  const onOrgUnit = (value: string) => {
    setOrgUnit(value);
    const next = candidates.find((candidate) => candidate.orgUnit === value);
    setApp(next?.app ?? '');
    setVersion(next?.version ?? '');
  };
  const onApp = (value: string) => {
    setApp(value);
    setVersion(
      candidates.find((candidate) => candidate.orgUnit === orgUnit && candidate.app === value)?.version ?? '',
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (picked) onChoose(picked.path);
  };
  const select =
    'mt-1 block w-56 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900';

  return (
    <form
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id={`${id}-title`} className="font-medium">
        Choose where to read wells
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Your WellView account lists {candidates.length} places. Pick one; the choice is kept in the address
        and for your next visit.
      </p>
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <label className="text-sm font-medium">
          Org unit
          <select className={select} value={orgUnit} onChange={(event) => onOrgUnit(event.target.value)}>
            {orgUnits.map((candidate) => (
              <option key={candidate.orgUnit} value={candidate.orgUnit}>
                {candidate.orgUnitLabel
                  ? `${candidate.orgUnitLabel} (${candidate.orgUnit})`
                  : candidate.orgUnit}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          App
          <select className={select} value={app} onChange={(event) => onApp(event.target.value)}>
            {apps.map((candidate) => (
              <option key={candidate.app} value={candidate.app}>
                {candidate.appLabel ? `${candidate.appLabel} (${candidate.app})` : candidate.app}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Version
          <select
            className={select}
            value={picked?.version ?? ''}
            onChange={(event) => setVersion(event.target.value)}
          >
            {versions.map((candidate) => (
              <option key={candidate.path} value={candidate.version}>
                {candidate.version}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          disabled={!picked}
          className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white disabled:opacity-50"
        >
          Use this
        </button>
      </div>
    </form>
  );
}

/** What to configure when `/user` names no usable target: the three variables, and what it did say. */
export function TargetNotFound({
  discovery,
  compact = false,
}: {
  discovery: Extract<TargetDiscovery, { status: 'none' }>;
  compact?: boolean;
}) {
  return (
    <div
      role="alert"
      className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="font-medium">WellView did not say where to read wells</p>
      <p className="mt-1">
        Set{' '}
        {discovery.configure.map((name, index) => (
          <span key={name}>
            {index > 0 && (index === discovery.configure.length - 1 ? ' and ' : ', ')}
            <code>{name}</code>
          </span>
        ))}{' '}
        on the dashboard&apos;s server (an administrator can find them in WellView&apos;s API settings).
      </p>
      {!compact && (
        <p className="mt-2">
          {discovery.reported.length > 0 ? (
            <>
              Its <code>/user</code> answer reported: {discovery.reported.join(', ')}.
            </>
          ) : (
            <>
              Its <code>/user</code> answer reported no fields.
            </>
          )}
        </p>
      )}
    </div>
  );
}

export interface TargetState {
  discovery: TargetDiscovery | undefined;
  error: Error | undefined;
  retry: () => void;
  choose: (path: string) => void;
  target: WellviewTarget | null;
}

/**
 * What a WellView data area shows before its target is known: the picker, the "what to
 * configure" state, the error or `loading`; null once the target is resolved.
 */
export function targetPending(state: TargetState, loading: React.ReactNode): React.ReactNode | null {
  const { discovery, error } = state;
  if (error && !discovery) return <ErrorState error={error} onRetry={state.retry} />;
  if (!discovery) return loading;
  if (discovery.status === 'none') return <TargetNotFound discovery={discovery} />;
  if (discovery.status === 'choose')
    return <TargetPicker candidates={discovery.candidates} onChoose={state.choose} />;
  return null;
}

/**
 * Renders `children` with the target once it is known; otherwise the picker, the "what to
 * configure" state, or the error, so the area never waits without saying why.
 */
export function TargetGate({
  target,
  children,
  loading,
}: {
  target: TargetState;
  children: (target: WellviewTarget) => React.ReactNode;
  loading: React.ReactNode;
}) {
  const pending = targetPending(target, loading);
  if (pending !== null || !target.target) return <>{pending ?? loading}</>;
  return <>{children(target.target)}</>;
}
