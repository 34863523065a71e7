'use client';

import { formatDate, formatNumber } from '@/lib/format';

export interface FieldGroup {
  title: string;
  fields: { key: string; label: string; kind?: 'date' | 'number' }[];
}

function show(value: unknown, kind?: 'date' | 'number'): string {
  if (value === null || value === undefined || value === '') return '—';
  if (kind === 'date' && typeof value === 'string') return formatDate(value);
  if (kind === 'number' && typeof value === 'number') return formatNumber(value, 2);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A record's fields grouped and labelled; every field the schema does not know is still shown,
 * under "Other fields", so nothing the API sends is hidden.
 */
export function RecordFields({ record, groups }: { record: Record<string, unknown>; groups: FieldGroup[] }) {
  const known = new Set(groups.flatMap((group) => group.fields.map((field) => field.key)));
  const others = Object.keys(record)
    .filter((key) => !known.has(key))
    .sort();
  const all: FieldGroup[] =
    others.length > 0 ? [...groups, { title: 'Other fields', fields: others.map((key) => ({ key, label: key })) }] : groups;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {all.map((group) => (
        <section key={group.title} className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <h2 className="mb-3 text-base font-semibold">{group.title}</h2>
          <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-2 text-sm">
            {group.fields.map((field) => (
              <div key={field.key} className="contents">
                <dt className="text-slate-500 dark:text-slate-400">{field.label}</dt>
                <dd className="break-words">{show(record[field.key], field.kind)}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
