/**
 * The variant profile's record shapes. Each standard record has exactly one variant counterpart
 * carrying the same values under other names (PascalCase, snake_case, nested, flattened), in
 * other formats (`/Date(ms)/`, `YYYY-MM-DD`, numeric strings, local times with offsets). Fields a
 * record does not have are left out; fields the mapping does not know pass through unchanged, so a
 * record written through the variant API reads back as it was written.
 */
import { prng } from '../seed';

type Fields = Record<string, unknown>;

/** A small stable hash, so that a record's format choices depend on its id, not its position. */
export function stableHash(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  return hash >>> 0;
}

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Copies `record` with `renames` applied (old key → new key); unknown keys stay as they are. */
function rename(record: Fields, renames: Record<string, string>): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(record)) out[renames[key] ?? key] = value;
  return out;
}

/** WCF/ASP.NET JSON date (`/Date(1690000000000)/`) for some wells, a plain `YYYY-MM-DD` for others. */
export function variantSpudDate(iso: string, id: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return stableHash(id) % 2 === 0 ? `/Date(${ms})/` : iso.slice(0, 10);
}

/** A WellView well header as the variant's OData service sends it. */
export function toVariantWell(well: Fields): Fields {
  const { sysSecurityTyp: _security, sysCreateDate, sysModDate, latitude, longitude, dttmspud, totaldepth, ...rest } = well;
  const id = String(well.idwell ?? '');
  const out = rename(rest, {
    idwell: 'IDWell',
    wellname: 'WellName',
    wellida: 'UWI',
    operator: 'OperatorName',
    fieldname: 'FieldName',
    stateprov: 'StateProvince',
    county: 'County',
    country: 'Country',
    currentwellstatus1: 'WellStatus',
    welltyp1: 'WellType',
    elevation: 'GroundElevation',
    leasename: 'LeaseName',
    regulatoryagency: 'RegulatoryAgency',
  });
  if (typeof dttmspud === 'string') out.SpudDate = variantSpudDate(dttmspud, id);
  if (typeof totaldepth === 'number') out.TotalDepth = String(totaldepth);
  if (typeof latitude === 'number' && typeof longitude === 'number') {
    // Two wells in three carry { lat, lng }, the rest a GeoJSON point ([lon, lat]).
    if (stableHash(id) % 3 === 0) out.geometry = { type: 'Point', coordinates: [longitude, latitude] };
    else out.location = { lat: latitude, lng: longitude };
  }
  if (sysCreateDate !== undefined || sysModDate !== undefined) out.Audit = { CreatedOn: sysCreateDate ?? null, ModifiedOn: sysModDate ?? null };
  return out;
}

/** Twelve monthly CO₂e figures for the reporting year, summing (to rounding) to the annual total. */
export function monthlyFigures(id: string, year: number, annual: number): { month: string; value: number }[] {
  const random = prng(stableHash(id));
  const weights = Array.from({ length: 12 }, () => 0.6 + random() * 0.8);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight, index) => ({ month: `${year}-${String(index + 1).padStart(2, '0')}`, value: round((annual * weight) / total, 1) }));
}

/** A METI emission source as the variant API sends it: flat location and emissions, snake_case, monthly figures. */
export function toVariantSource(source: Fields): Fields {
  const { location, emissions, ...rest } = source;
  const out = rename(rest, {
    operator: 'operator_name',
    reportingYear: 'reporting_year',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  });
  if (isObject(location)) {
    if (location.country !== undefined) out.country = location.country;
    if (location.region !== undefined) out.region = location.region;
    if (location.latitude !== undefined) out.latitude = location.latitude;
    if (location.longitude !== undefined) out.longitude = location.longitude;
  }
  if (isObject(emissions)) {
    if (emissions.co2eTonnesPerYear !== undefined) out.annualEmissionsTco2e = emissions.co2eTonnesPerYear;
    if (emissions.ch4TonnesPerYear !== undefined) out.annualCh4Tonnes = emissions.ch4TonnesPerYear;
    if (emissions.n2oTonnesPerYear !== undefined) out.annualN2oTonnes = emissions.n2oTonnesPerYear;
    if (typeof emissions.co2eTonnesPerYear === 'number' && typeof source.reportingYear === 'number') {
      out.monthly = monthlyFigures(String(source.id), source.reportingYear, emissions.co2eTonnesPerYear);
    }
  }
  return out;
}

/** The UTC offset of a time zone at an instant, as `+HH:MM` / `-HH:MM`. */
export function utcOffset(instant: Date, timeZone: string): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((item) => item.type === 'timeZoneName')?.value;
    const match = /GMT([+-]\d{2}:\d{2})/.exec(part ?? '');
    return match?.[1] ?? '+00:00';
  } catch {
    return '+00:00';
  }
}

/** An instant written as local time in a zone with its offset, e.g. `2026-12-05T14:00:00-06:00`. */
export function withOffset(iso: string, timeZone: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const offset = utcOffset(instant, timeZone);
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours = 0, minutes = 0] = offset.slice(1).split(':').map(Number);
  const local = new Date(instant.getTime() + sign * (hours * 60 + minutes) * 60_000);
  return `${local.toISOString().slice(0, 19)}${offset}`;
}

/** An Engagifii event as the variant Events API sends it. */
export function toVariantEvent(event: Fields): Fields {
  const { venue, startDate, endDate, tags, organizer, ...rest } = event;
  const timeZone = typeof event.timeZone === 'string' ? event.timeZone : 'UTC';
  const out = rename(rest, {
    name: 'title',
    description: 'summary',
    timeZone: 'timezone',
    isVirtual: 'online',
    category: 'kind',
    status: 'registrationStatus',
    capacity: 'maxAttendees',
    registrations: 'registeredCount',
  });
  if (typeof startDate === 'string') out.startsAt = withOffset(startDate, timeZone);
  if (typeof endDate === 'string') out.endsAt = withOffset(endDate, timeZone);
  if (isObject(venue)) {
    out.venue = {
      name: venue.name,
      city: venue.city,
      address: { line1: venue.address ?? null, region: venue.state ?? null, countryCode: venue.country ?? null },
    };
  } else if (venue === null) out.venue = null;
  if (typeof organizer === 'string') out.host = { name: organizer };
  if (Array.isArray(tags)) out.labels = tags.map((tag) => ({ name: tag }));
  return out;
}

/** The instant an event (standard or variant shape) ends, for the "upcoming" filter. */
export function eventEnd(event: Fields): number {
  return Date.parse(String(event.endDate ?? event.startDate ?? ''));
}
