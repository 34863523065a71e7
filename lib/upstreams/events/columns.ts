import { eventSpecs, type EventRow } from '@/lib/upstreams/events/client';
import type { FieldOverrides } from '@/lib/upstreams/shared/field-map';
import { formatNumber } from '@/lib/format';
import { pickableColumns, specColumns, type RecordColumn } from '@/lib/upstreams/record-columns';

/** "Online" for a virtual event, else "venue, city, state" from whichever of them it has. */
export function placeOf(row: EventRow): string {
  if (row.values.isVirtual === true && !row.values.venue) return 'Online';
  return [row.values.venue, row.values.city, row.values.state].filter((part) => typeof part === 'string' && part !== '').join(', ');
}

/**
 * The event list's known columns: name, start, a "Venue" that reads "venue, city, state" (or
 * "Online"), category and registrations ("12 / 50" with a capacity); then every other known
 * field for the column chooser, and the operator's own mapped fields.
 */
export function eventColumns(overrides?: FieldOverrides): RecordColumn<EventRow>[] {
  const specs = eventSpecs(overrides);
  const listed = specColumns<EventRow>(specs).filter((column) => column.key !== 'venue' && column.key !== 'city');
  const place: RecordColumn<EventRow> = {
    key: 'place',
    header: 'Venue',
    kind: 'text',
    value: (row) => placeOf(row) || null,
    preferred: true,
  };
  const registrations = listed.find((column) => column.key === 'registrations');
  if (registrations) {
    registrations.text = (row, display) => {
      const count = row.values.registrations;
      const capacity = row.values.capacity;
      if (typeof count !== 'number') return '';
      return `${formatNumber(display, count)}${typeof capacity === 'number' ? ` / ${formatNumber(display, capacity)}` : ''}`;
    };
  }
  // Name, start and place first (what a reader scans for), then shown columns, then the others.
  const lead = ['name', 'start'].map((key) => listed.find((column) => column.key === key)).filter((column) => column !== undefined);
  const rest = listed.filter((column) => !lead.includes(column));
  const ordered = [...lead, place, ...rest.filter((column) => column.preferred), ...rest.filter((column) => !column.preferred)];
  return [...ordered, ...pickableColumns<EventRow>(specs, ['id', 'description']), ...specColumns<EventRow>(specs.filter((spec) => spec.key === 'venue' || spec.key === 'city')).map((column) => ({ ...column, preferred: false }))];
}
