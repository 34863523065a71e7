'use client';

import { ValueView } from '@/components/data/value-view';
import { useDisplay } from '@/hooks/use-display';
import { formatDate, formatNumber, humanizeKey } from '@/lib/format';

export interface FieldGroup {
  title: string;
  fields: { key: string; label: string; kind?: 'date' | 'number' }[];
}

/** A field's value: the group's declared kind when the value has that type, otherwise whatever shape it has. */
function FieldValue({ value, name, kind }: { value: unknown; name: string; kind?: 'date' | 'number' }) {
  const display = useDisplay();
  if (kind === 'date' && typeof value === 'string' && value !== '') {
    return (
      <time dateTime={value} title={value}>
        {formatDate(display, value)}
      </time>
    );
  }
  if (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) {
    return <data value={String(value)}>{formatNumber(display, value, 2)}</data>;
  }
  return <ValueView value={value} name={name} />;
}

/**
 * A record's fields grouped and labelled; every field the schema does not know is still shown,
 * under "Other fields" with a readable label, so nothing the API sends is hidden. Values of any
 * shape render through ValueView (nested lists, tables, charts), never as `[object Object]`.
 */
export function RecordFields({ record, groups }: { record: Record<string, unknown>; groups: FieldGroup[] }) {
  const known = new Set(groups.flatMap((group) => group.fields.map((field) => field.key)));
  const others = Object.keys(record)
    .filter((key) => !known.has(key))
    .sort();
  const all: FieldGroup[] =
    others.length > 0
      ? [...groups, { title: 'Other fields', fields: others.map((key) => ({ key, label: humanizeKey(key) })) }]
      : groups;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {all.map((group) => (
        <section key={group.title} className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <h2 className="mb-3 text-base font-semibold">{group.title}</h2>
          <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-2 text-sm">
            {group.fields.map((field) => (
              <div key={field.key} className="contents">
                <dt className="text-slate-500 dark:text-slate-400" title={field.key}>
                  {field.label}
                </dt>
                <dd className="min-w-0 break-words">
                  <FieldValue value={record[field.key]} name={field.key} kind={field.kind} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
