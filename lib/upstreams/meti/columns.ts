import { sourceSpecs, type SourceRow } from '@/lib/upstreams/meti/client';
import type { FieldOverrides } from '@/lib/upstreams/shared/field-map';
import { pickableColumns, specColumns, type RecordColumn } from '@/lib/upstreams/record-columns';

/**
 * The source list's known columns, in order: name, methodology, operator, a "Location" that
 * reads "region, country", the emissions and the year; then every other known field (region,
 * country, coordinates, dates) for the column chooser, and the operator's own mapped fields.
 */
export function sourceColumns(overrides?: FieldOverrides): RecordColumn<SourceRow>[] {
  const specs = sourceSpecs(overrides);
  const listed = specColumns<SourceRow>(specs);
  const location: RecordColumn<SourceRow> = {
    key: 'location',
    header: 'Location',
    kind: 'text',
    value: (row) => [row.values.region, row.values.country].filter((part) => part !== null && part !== '').join(', ') || null,
    preferred: true,
  };
  const operatorAt = listed.findIndex((column) => column.key === 'operator');
  const ordered = [...listed.slice(0, operatorAt + 1), location, ...listed.slice(operatorAt + 1)];
  return [...ordered, ...pickableColumns<SourceRow>(specs, ['id'])];
}
