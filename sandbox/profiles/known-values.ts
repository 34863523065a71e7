/**
 * Records whose values tests can assert on under either profile: a known well, source and event,
 * chosen from the deterministic seed, with the values a page should show for each and the raw
 * record each profile's API sends for it. The variant record is the standard one's counterpart:
 * the same values under other names and formats.
 */
import { seedEvents, seedSources, seedWells, type EventRecord, type SourceRecord, type WellRecord } from '../seed';
import { DEFAULT_SEED } from '../server';
import type { SandboxProfile } from './index';
import { toVariantEvent, toVariantSource, toVariantWell } from './variant-records';

export interface KnownValues {
  well: { id: string; name: string; uwi: string; operator: string; field: string; state: string; totalDepth: number; spudDate: string };
  source: { id: string; name: string; methodology: string; operator: string; country: string; region: string; co2e: number; ch4: number; year: number };
  event: { id: string; name: string; venue: string; city: string; startDate: string };
  counts: { visibleWells: number; sources: number; events: number };
}

const DAY_MS = 86_400_000;

function choose(now: number) {
  const wells = seedWells(DEFAULT_SEED.wells);
  const visible = wells.filter((well) => well.sysSecurityTyp === null);
  const well = visible[0] as WellRecord;
  const sources = seedSources(DEFAULT_SEED.sources);
  // A Canadian source: its country cannot be confused with a US state code on the page.
  const source = sources.find((candidate) => (candidate.location as { country?: string }).country === 'CA') as SourceRecord;
  const events = seedEvents(DEFAULT_SEED.events, now);
  // An in-person event well in the future, so it is listed under "Upcoming" whenever the test runs.
  const event = events.find((candidate) => candidate.venue !== null && Date.parse(candidate.startDate) > now + 14 * DAY_MS) as EventRecord;
  return { well, source, event, visibleWells: visible.length, sources: sources.length, events: events.length };
}

/** The known records' values as pages should show them (the same under both profiles). */
export function knownValues(now: number = Date.now()): KnownValues {
  const chosen = choose(now);
  const { well, source, event } = chosen;
  const location = source.location as { country: string; region: string };
  const emissions = source.emissions as { co2eTonnesPerYear: number; ch4TonnesPerYear: number };
  const venue = event.venue as { name: string; city: string };
  return {
    well: {
      id: well.idwell,
      name: String(well.wellname),
      uwi: String(well.wellida),
      operator: String(well.operator),
      field: String(well.fieldname),
      state: String(well.stateprov),
      totalDepth: Number(well.totaldepth),
      spudDate: String(well.dttmspud),
    },
    source: {
      id: source.id,
      name: String(source.name),
      methodology: source.methodology,
      operator: String(source.operator),
      country: location.country,
      region: location.region,
      co2e: emissions.co2eTonnesPerYear,
      ch4: emissions.ch4TonnesPerYear,
      year: Number(source.reportingYear),
    },
    event: { id: event.id, name: event.name, venue: venue.name, city: venue.city, startDate: event.startDate },
    counts: { visibleWells: chosen.visibleWells, sources: chosen.sources, events: chosen.events },
  };
}

/** The known records exactly as a profile's API sends them (for asserting on response shapes). */
export function knownRecords(profile: SandboxProfile, now: number = Date.now()): { well: Record<string, unknown>; source: Record<string, unknown>; event: Record<string, unknown> } {
  const { well, source, event } = choose(now);
  if (profile === 'standard') return { well, source, event };
  return { well: toVariantWell(well), source: toVariantSource(source), event: toVariantEvent(event) };
}
