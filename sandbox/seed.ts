/**
 * Deterministic, realistic seed data: well headers, events and emission sources. The same seed
 * gives the same records; event dates are laid out around "now" so that there are always both
 * past and upcoming events.
 */

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const hex = (random: () => number, length: number) =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

const OPERATORS = ['Pioneer Natural Resources', 'Devon Energy', 'EOG Resources', 'Diamondback Energy', 'Coterra Energy', 'Ovintiv', 'Chesapeake Energy', 'Marathon Oil', 'Apache Corporation', 'Continental Resources'];
const BASINS = [
  { field: 'Permian Basin', state: 'TX', county: ['Midland', 'Martin', 'Howard', 'Reeves', 'Loving'], lat: 31.9, lon: -102.1, api: '42' },
  { field: 'Delaware Basin', state: 'NM', county: ['Eddy', 'Lea'], lat: 32.3, lon: -103.9, api: '30' },
  { field: 'Eagle Ford', state: 'TX', county: ['Karnes', 'Dimmit', 'La Salle'], lat: 28.7, lon: -98.5, api: '42' },
  { field: 'Bakken', state: 'ND', county: ['McKenzie', 'Williams', 'Mountrail'], lat: 47.9, lon: -103.3, api: '33' },
  { field: 'Anadarko Basin', state: 'OK', county: ['Canadian', 'Kingfisher', 'Blaine'], lat: 35.6, lon: -98.1, api: '35' },
  { field: 'DJ Basin', state: 'CO', county: ['Weld', 'Adams'], lat: 40.4, lon: -104.6, api: '05' },
  { field: 'Marcellus', state: 'PA', county: ['Washington', 'Greene', 'Susquehanna'], lat: 40.1, lon: -80.3, api: '37' },
  { field: 'Haynesville', state: 'LA', county: ['De Soto', 'Caddo'], lat: 32.1, lon: -93.7, api: '17' },
] as const;
const LEASES = ['Mustang', 'Bluebonnet', 'Red Hawk', 'Cactus Flat', 'Sandhill', 'Longhorn', 'Prairie Rose', 'Iron Creek', 'Coyote Draw', 'Bison', 'Silver Mesa', 'Antelope Ridge'];
const STATUSES = ['Producing', 'Producing', 'Producing', 'Drilling', 'Shut In', 'Completed', 'Permitted', 'Abandoned'];
const TYPES = ['Oil', 'Oil', 'Gas', 'Oil & Gas', 'Injection', 'Disposal'];

/** A WellView well-header record (field names as WellView uses them). */
export type WellRecord = Record<string, unknown> & { idwell: string; sysSecurityTyp: string | null };

export function seedWells(count: number, seed = 20240601): WellRecord[] {
  const random = prng(seed);
  const wells: WellRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const basin = pick(random, BASINS);
    const lease = pick(random, LEASES);
    const spud = new Date(Date.UTC(1995, 0, 1) + Math.floor(random() * 30 * 365) * 86_400_000);
    const created = new Date(spud.getTime() - Math.floor(random() * 90) * 86_400_000);
    wells.push({
      idwell: hex(random, 32).toUpperCase(),
      wellname: `${lease} ${Math.floor(random() * 40) + 1}-${Math.floor(random() * 36) + 1}${pick(random, ['H', 'H', 'HA', 'HB', ''])}`,
      wellida: `${basin.api}-${String(Math.floor(random() * 999)).padStart(3, '0')}-${String(Math.floor(random() * 99_999)).padStart(5, '0')}`,
      operator: pick(random, OPERATORS),
      fieldname: basin.field,
      stateprov: basin.state,
      county: pick(random, basin.county),
      country: 'United States',
      latitude: round(basin.lat + (random() - 0.5) * 1.6, 5),
      longitude: round(basin.lon + (random() - 0.5) * 1.6, 5),
      dttmspud: spud.toISOString(),
      currentwellstatus1: pick(random, STATUSES),
      welltyp1: pick(random, TYPES),
      totaldepth: Math.round(6000 + random() * 16000),
      elevation: Math.round(300 + random() * 4500),
      // About 8% are restricted: the API hides them (the reference's Security note).
      sysSecurityTyp: random() < 0.08 ? pick(random, ['Restricted', 'Confidential']) : null,
      sysCreateDate: created.toISOString(),
      sysModDate: new Date(spud.getTime() + Math.floor(random() * 400) * 86_400_000).toISOString(),
      // Fields the dashboard does not know: it must keep and show them.
      leasename: `${lease} Unit`,
      regulatoryagency: `${basin.state} Oil & Gas Commission`,
    });
  }
  return wells;
}

const EVENT_TOPICS = ['Safety Leadership Summit', 'Methane Emissions Workshop', 'Drilling Technology Forum', 'Reservoir Engineering Seminar', 'Produced Water Conference', 'Digital Oilfield Meetup', 'Regulatory Update Briefing', 'Completions Roundtable', 'Midstream Operations Expo', 'Well Integrity Training'];
const VENUES = [
  { name: 'George R. Brown Convention Center', address: '1001 Avenida De Las Americas', city: 'Houston', state: 'TX', timeZone: 'America/Chicago' },
  { name: 'Midland County Horseshoe', address: '2514 Arena Trail', city: 'Midland', state: 'TX', timeZone: 'America/Chicago' },
  { name: 'Colorado Convention Center', address: '700 14th St', city: 'Denver', state: 'CO', timeZone: 'America/Denver' },
  { name: 'Cox Convention Center', address: '1 Myriad Gardens', city: 'Oklahoma City', state: 'OK', timeZone: 'America/Chicago' },
  { name: 'Bismarck Event Center', address: '315 S 5th St', city: 'Bismarck', state: 'ND', timeZone: 'America/Chicago' },
  { name: 'David L. Lawrence Convention Center', address: '1000 Fort Duquesne Blvd', city: 'Pittsburgh', state: 'PA', timeZone: 'America/New_York' },
] as const;

export type EventRecord = Record<string, unknown> & { id: string; name: string; startDate: string };

export function seedEvents(count: number, now: number, seed = 777): EventRecord[] {
  const random = prng(seed);
  const events: EventRecord[] = [];
  const day = 86_400_000;
  const today = Math.floor(now / day) * day;
  for (let index = 0; index < count; index += 1) {
    const venue = pick(random, VENUES);
    const virtual = random() < 0.2;
    // Spread over a year back and a year ahead, at a plausible local start hour.
    const offsetDays = Math.floor(random() * 730) - 365;
    const start = new Date(today + offsetDays * day + (14 + Math.floor(random() * 6)) * 3_600_000);
    const hours = pick(random, [2, 4, 8, 24, 48]);
    const capacity = pick(random, [50, 80, 120, 200, 500, 1000]);
    const topic = pick(random, EVENT_TOPICS);
    events.push({
      id: `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}`,
      name: `${virtual ? 'Virtual ' : ''}${topic} ${start.getUTCFullYear()}${index % 3 === 0 ? '' : ` #${(index % 7) + 1}`}`,
      description: `${topic} for operators, engineers and field staff. Agenda, speakers and materials are shared with registered attendees.`,
      startDate: start.toISOString(),
      endDate: new Date(start.getTime() + hours * 3_600_000).toISOString(),
      timeZone: virtual ? 'UTC' : venue.timeZone,
      venue: virtual ? null : { name: venue.name, address: venue.address, city: venue.city, state: venue.state, country: 'US' },
      isVirtual: virtual,
      category: pick(random, ['Conference', 'Workshop', 'Training', 'Webinar', 'Networking']),
      status: offsetDays < 0 ? 'Completed' : pick(random, ['Open', 'Open', 'Open', 'Waitlist', 'Full']),
      capacity,
      registrations: Math.floor(random() * capacity),
      organizer: pick(random, ['Engagifii Events', 'Texas Oil & Gas Association', 'Society of Petroleum Engineers']),
      tags: [pick(random, ['safety', 'emissions', 'drilling', 'digital', 'regulatory']), pick(random, ['upstream', 'midstream'])],
    });
  }
  return events;
}

const METHODOLOGIES = ['Oil and Gas', 'Landfill', 'Agriculture', 'Coal Mine', 'Wastewater', 'Livestock'];
const REGIONS = [
  { country: 'US', region: 'TX', lat: 31.5, lon: -99.5 },
  { country: 'US', region: 'CO', lat: 39.5, lon: -105.5 },
  { country: 'US', region: 'PA', lat: 40.9, lon: -77.8 },
  { country: 'CA', region: 'AB', lat: 53.9, lon: -116.6 },
  { country: 'US', region: 'CA', lat: 36.8, lon: -119.4 },
] as const;

export type SourceRecord = Record<string, unknown> & { id: string; methodology: string };

export function seedSources(count: number, seed = 4242): SourceRecord[] {
  const random = prng(seed);
  const sources: SourceRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const methodology = pick(random, METHODOLOGIES);
    const place = pick(random, REGIONS);
    const ch4 = round(random() * 900, 1);
    const created = new Date(Date.UTC(2021, 0, 1) + Math.floor(random() * 1400) * 86_400_000);
    sources.push({
      id: `src_${hex(random, 12)}`,
      name: `${pick(random, ['North', 'South', 'East', 'West', 'Central', 'Upper', 'Lower'])} ${pick(random, LEASES)} ${methodology === 'Oil and Gas' ? 'Compressor Station' : methodology === 'Landfill' ? 'Landfill' : methodology === 'Coal Mine' ? 'Mine' : methodology === 'Wastewater' ? 'Treatment Plant' : 'Farm'}`,
      methodology,
      location: {
        latitude: round(place.lat + (random() - 0.5) * 4, 4),
        longitude: round(place.lon + (random() - 0.5) * 4, 4),
        country: place.country,
        region: place.region,
      },
      emissions: {
        co2eTonnesPerYear: Math.round(ch4 * 28 + random() * 5000),
        ch4TonnesPerYear: ch4,
        n2oTonnesPerYear: round(random() * 12, 2),
      },
      reportingYear: 2019 + Math.floor(random() * 6),
      status: pick(random, ['active', 'active', 'active', 'monitoring', 'retired']),
      operator: pick(random, OPERATORS),
      createdAt: created.toISOString(),
      updatedAt: new Date(created.getTime() + Math.floor(random() * 200) * 86_400_000).toISOString(),
    });
  }
  return sources;
}
