'use client';

/**
 * The "Columns" menu of a list: one checkbox per column the data can show (the record type's
 * known columns, then every other field the rows hold). The first column always stays.
 */
export function ColumnChooser({
  columns,
  visible,
  onChange,
}: {
  columns: readonly { key: string; header: string; extra?: boolean }[];
  visible: readonly string[];
  onChange: (keys: string[]) => void;
}) {
  const first = columns[0]?.key;
  const known = columns.filter((column) => !column.extra);
  const extra = columns.filter((column) => column.extra);
  const toggle = (key: string, on: boolean) => {
    const next = on ? [...visible, key] : visible.filter((item) => item !== key);
    // Keep the table's order, not the order of clicks.
    onChange(columns.map((column) => column.key).filter((item) => next.includes(item)));
  };
  const box = (column: { key: string; header: string }) => (
    <label key={column.key} className="flex items-center gap-2 break-all">
      <input
        type="checkbox"
        checked={visible.includes(column.key)}
        disabled={column.key === first}
        onChange={(event) => toggle(column.key, event.target.checked)}
      />
      {column.header}
    </label>
  );
  return (
    <details className="relative text-sm">
      <summary className="cursor-pointer rounded-lg border border-slate-300 px-3 py-2 font-medium dark:border-slate-700">Columns</summary>
      <fieldset className="absolute right-0 z-10 mt-2 max-h-96 w-72 space-y-1 overflow-y-auto rounded-lg border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900">
        <legend className="sr-only">Visible columns</legend>
        {known.map(box)}
        {extra.length > 0 && (
          <>
            <p className="mt-2 border-t border-slate-200 pt-2 text-xs font-medium text-slate-500 dark:border-slate-700 dark:text-slate-400">
              Other fields in the data
            </p>
            {extra.map(box)}
          </>
        )}
      </fieldset>
    </details>
  );
}
