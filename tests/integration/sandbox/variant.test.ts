/**
 * The sandbox's variant profile: every API answers in other shapes (names, nesting, envelopes,
 * paging, date formats) than the standard profile, while accounts, auth, rate limits, faults and
 * stats behave the same.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_USERS,
  EVENTS_API_VERSION,
  EVENTS_TENANT_CODE,
  METI_READONLY_CLIENT,
  WELLVIEW_RATE_LIMIT_PER_SECOND,
  WELLVIEW_TARGET,
  type DemoUser,
} from '../../../sandbox/defaults';
import { parseProfile } from '../../../sandbox/profiles';
import { knownRecords, knownValues } from '../../../sandbox/profiles/known-values';
import { PICKER_USER, UNCONFIGURED_USER, VARIANT_TARGET, VARIANT_TARGETS } from '../../../sandbox/profiles/variant-users';
import { seedEvents, seedSources, seedWells } from '../../../sandbox/seed';
import { DEFAULT_SEED, startSandbox } from '../../../sandbox/server';
import {
  authorizeUrl,
  eventsToken,
  metiToken,
  postJson,
  readLoginForm,
  setUpSandbox,
  signIn,
  SUBSCRIPTION_KEY,
  wellviewHeaders,
  wellviewServiceToken,
} from './harness';

const sandbox = setUpSandbox({ profile: 'variant' });
const [ada, ben] = DEMO_USERS as [DemoUser, DemoUser];
const TARGET = `/${VARIANT_TARGET.orgUnit}/${VARIANT_TARGET.app}/${VARIANT_TARGET.version}`;
const known = knownValues();

type Json = Record<string, unknown>;
interface ODataPage {
  '@odata.context': string;
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
  value: Json[];
}
interface SourcePage {
  results: Json[];
  next: string | null;
}
interface EventPage {
  items: Json[];
  total: number;
  page: number;
  pageSize: number;
}

let serviceToken: string;
let eventsBearer: string;
let metiBearer: string;
beforeAll(async () => {
  [serviceToken, eventsBearer, metiBearer] = await Promise.all([
    wellviewServiceToken(sandbox.url),
    eventsToken(sandbox.url),
    metiToken(sandbox.url),
  ]);
});

const wellview = (path: string, headers: Record<string, string> = wellviewHeaders(serviceToken)) =>
  fetch(`${sandbox.url}/wellview${path}`, { headers });
const meti = (path: string, token: string | null = metiBearer, init: RequestInit = {}) =>
  fetch(`${sandbox.url}/meti${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
  });
const eventHeaders = (token: string | null = eventsBearer): Record<string, string> => ({
  ...(token ? { authorization: `Bearer ${token}` } : {}),
  'tenant-code': EVENTS_TENANT_CODE,
  'api-version': EVENTS_API_VERSION,
});
const eventList = (body: unknown, token: string | null = eventsBearer) =>
  postJson(`${sandbox.url}/events/api/${EVENTS_API_VERSION}/event/list`, body, eventHeaders(token));

/** The wells the API shows: the default seed minus the restricted ones. */
const visibleWells = () => seedWells(DEFAULT_SEED.wells).filter((well) => well.sysSecurityTyp === null);

async function userOf(user: DemoUser): Promise<Json> {
  const tokens = await signIn(sandbox.url, user);
  const response = await wellview('/user', wellviewHeaders(tokens.access_token));
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

describe('profile selection', () => {
  it('reads SANDBOX_PROFILE: empty means standard, names are case-insensitive, anything else is refused by name', () => {
    expect(parseProfile(undefined)).toBe('standard');
    expect(parseProfile('')).toBe('standard');
    expect(parseProfile('Variant')).toBe('variant');
    expect(() => parseProfile('odata')).toThrow(/SANDBOX_PROFILE must be one of standard, variant, got "odata"/);
  });

  it('keeps the standard shapes when no profile is given', async () => {
    const standard = await startSandbox({ port: 0 });
    try {
      const token = await wellviewServiceToken(standard.url);
      const user = (await (await fetch(`${standard.url}/wellview/user`, { headers: wellviewHeaders(token) })).json()) as Json;
      expect(user.defaults).toEqual(WELLVIEW_TARGET);
      const list = await fetch(`${standard.url}/wellview/${WELLVIEW_TARGET.orgUnit}/${WELLVIEW_TARGET.app}/${WELLVIEW_TARGET.version}/wellheader/data`, {
        headers: wellviewHeaders(token),
      });
      const wells = (await list.json()) as Json[];
      expect(Array.isArray(wells)).toBe(true);
      expect(wells[0]).toEqual(knownRecords('standard').well);
      // The variant's extra accounts exist only in the variant.
      const page = await fetch(authorizeUrl(standard.url).url);
      expect(await page.text()).not.toContain(PICKER_USER.email);
    } finally {
      await standard.close();
    }
  });
});

describe('variant accounts and WellView /user', () => {
  it('lists the edge-case accounts on the sign-in form and lets them sign in', async () => {
    const request = authorizeUrl(sandbox.url);
    const html = await (await fetch(request.url)).text();
    readLoginForm(html, request.url);
    for (const user of [ada, ben, PICKER_USER, UNCONFIGURED_USER]) expect(html).toContain(user.email);
    const tokens = await signIn(sandbox.url, PICKER_USER);
    const info = await fetch(`${sandbox.url}/peloton/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(await info.json()).toMatchObject({ sub: PICKER_USER.sub, email: PICKER_USER.email, name: PICKER_USER.name });
  });

  it('answers without defaults or ids: org units keyed by name with nested apps (one candidate)', async () => {
    const user = await userOf(ada);
    expect(user).not.toHaveProperty('defaults');
    expect(user).toMatchObject({
      sub: ada.sub,
      orgUnits: [{ name: VARIANT_TARGET.orgUnit, apps: [{ name: VARIANT_TARGET.app, versions: [VARIANT_TARGET.version], defaultVersion: VARIANT_TARGET.version }] }],
    });
    expect((user.orgUnits as Json[])[0]).not.toHaveProperty('id');
  });

  it('answers a flat app list with a ready path for another account', async () => {
    const user = await userOf(ben);
    expect(user).not.toHaveProperty('defaults');
    expect(user).not.toHaveProperty('orgUnits');
    expect(user.apps).toEqual([{ orgUnit: VARIANT_TARGET.orgUnit, app: VARIANT_TARGET.app, version: VARIANT_TARGET.version, path: TARGET }]);
    // And each candidate really serves well headers.
    expect((await wellview(`${TARGET}/wellheader/data?$top=1`)).status).toBe(200);
  });

  it('lists several candidates for the picker account, each of which serves well headers', async () => {
    const user = await userOf(PICKER_USER);
    const candidates = (user.orgUnits as { name: string; apps: { name: string; versions: string[] }[] }[]).flatMap((unit) =>
      unit.apps.flatMap((app) => app.versions.map((version) => `/${unit.name}/${app.name}/${version}`)),
    );
    expect(candidates).toEqual(VARIANT_TARGETS.map((target) => `/${target.orgUnit}/${target.app}/${target.version}`));
    // Nothing marks one of them as preferred (no defaults, defaultVersion or default flag).
    expect(JSON.stringify(user)).not.toMatch(/default/i);
    for (const candidate of candidates) {
      const page = (await (await wellview(`${candidate}/wellheader/data?$top=2`)).json()) as ODataPage;
      expect(page.value).toHaveLength(2);
    }
  });

  it('reports nothing usable for the unconfigured account', async () => {
    const user = await userOf(UNCONFIGURED_USER);
    expect(user).toMatchObject({ sub: UNCONFIGURED_USER.sub, email: UNCONFIGURED_USER.email, orgUnits: [] });
    expect(user).not.toHaveProperty('defaults');
    expect(user).not.toHaveProperty('apps');
  });

  it("does not serve the standard profile's target", async () => {
    const response = await wellview(`/${WELLVIEW_TARGET.orgUnit}/${WELLVIEW_TARGET.app}/${WELLVIEW_TARGET.version}/wellheader/data`);
    expect(response.status).toBe(404);
  });
});

describe('variant WellView well headers (OData)', () => {
  it('sends PascalCase records in { value, @odata.nextLink } and its next links walk every visible well once', async () => {
    const expected = visibleWells();
    const ids: string[] = [];
    let url: string | undefined = `${sandbox.url}/wellview${TARGET}/wellheader/data`;
    let pages = 0;
    while (url) {
      const response = await fetch(url, { headers: wellviewHeaders(serviceToken) });
      expect(response.status).toBe(200);
      const page = (await response.json()) as ODataPage;
      expect(page['@odata.context']).toContain('$metadata#WellHeaders');
      expect(page.value.length).toBeLessThanOrEqual(250);
      for (const well of page.value) {
        expect(well).toHaveProperty('IDWell');
        expect(well).not.toHaveProperty('idwell');
        expect(well).not.toHaveProperty('wellida');
        ids.push(String(well.IDWell));
      }
      url = page['@odata.nextLink'];
      if (url) expect(url.startsWith(`${sandbox.url}/wellview${TARGET}/wellheader/data?`)).toBe(true);
      pages += 1;
    }
    expect(pages).toBe(Math.ceil(expected.length / 250));
    expect(ids).toEqual(expected.map((well) => well.idwell));
  });

  it('honours $top and $skip, counts on $count=true, and refuses bad values', async () => {
    const expected = visibleWells();
    const page = (await (await wellview(`${TARGET}/wellheader/data?$top=3&$skip=10&$count=true`)).json()) as ODataPage;
    expect(page.value.map((well) => well.IDWell)).toEqual(expected.slice(10, 13).map((well) => well.idwell));
    expect(page['@odata.count']).toBe(expected.length);
    // $top is the whole request: nothing is left to link to after it.
    expect(page['@odata.nextLink']).toBeUndefined();
    const large = (await (await wellview(`${TARGET}/wellheader/data?$top=400`)).json()) as ODataPage;
    expect(large.value).toHaveLength(250);
    expect(large['@odata.nextLink']).toBe(`${sandbox.url}/wellview${TARGET}/wellheader/data?$top=150&$skip=250`);
    const rest = (await (await fetch(large['@odata.nextLink'] as string, { headers: wellviewHeaders(serviceToken) })).json()) as ODataPage;
    expect(rest.value).toHaveLength(150);
    expect(rest['@odata.nextLink']).toBeUndefined();
    for (const bad of ['$top=-1', '$skip=x', '$top=1.5']) {
      const response = await wellview(`${TARGET}/wellheader/data?${bad}`);
      expect(response.status, bad).toBe(400);
      expect(await response.json()).toMatchObject({ statusCode: 400 });
    }
  });

  it('formats values differently: /Date()/ and YYYY-MM-DD spud dates, numeric-string depths, { lat, lng } or GeoJSON', async () => {
    const page = (await (await wellview(`${TARGET}/wellheader/data`)).json()) as ODataPage;
    const spuds = page.value.map((well) => String(well.SpudDate));
    expect(spuds.some((spud) => /^\/Date\(\d+\)\/$/.test(spud))).toBe(true);
    expect(spuds.some((spud) => /^\d{4}-\d{2}-\d{2}$/.test(spud))).toBe(true);
    expect(page.value.every((well) => typeof well.TotalDepth === 'string' && /^\d+$/.test(well.TotalDepth))).toBe(true);
    expect(page.value.some((well) => (well.location as Json | undefined)?.lat !== undefined)).toBe(true);
    expect(page.value.some((well) => (well.geometry as Json | undefined)?.type === 'Point')).toBe(true);
    // Each record's values are its standard counterpart's.
    const byId = new Map(visibleWells().map((well) => [well.idwell, well]));
    for (const well of page.value) {
      const standard = byId.get(String(well.IDWell));
      expect(well.UWI).toBe(standard?.wellida);
      const spud = String(well.SpudDate);
      const ms = spud.startsWith('/Date(') ? Number(/\d+/.exec(spud)?.[0]) : Date.parse(`${spud}T00:00:00Z`);
      expect(new Date(ms).toISOString().slice(0, 10)).toBe(String(standard?.dttmspud).slice(0, 10));
      const [lon, lat] = well.geometry ? ((well.geometry as Json).coordinates as number[]) : [(well.location as Json).lng, (well.location as Json).lat];
      expect([lat, lon]).toEqual([standard?.latitude, standard?.longitude]);
    }
  });

  it('answers the known well, listed and by id, in the same shape with the known values', async () => {
    const record = knownRecords('variant').well;
    expect(record).toMatchObject({ IDWell: known.well.id, UWI: known.well.uwi, WellName: known.well.name, OperatorName: known.well.operator });
    const listed = (await (await wellview(`${TARGET}/wellheader/data?$top=1`)).json()) as ODataPage;
    expect(listed.value[0]).toEqual(record);
    const response = await wellview(`${TARGET}/wellheader/data/${known.well.id}`);
    expect(response.status).toBe(200);
    const { '@odata.context': context, ...one } = (await response.json()) as Json;
    expect(context).toContain('$entity');
    expect(one).toEqual(record);
  });

  it('hides restricted wells by id and answers unknown ones with 404', async () => {
    const restricted = seedWells(DEFAULT_SEED.wells).find((well) => well.sysSecurityTyp !== null);
    expect((await wellview(`${TARGET}/wellheader/data/${restricted?.idwell}`)).status).toBe(404);
    expect((await wellview(`${TARGET}/wellheader/data/NO-SUCH-WELL`)).status).toBe(404);
  });
});

describe('variant METI sources', () => {
  it('sends flat, snake_case records with monthly figures in { results, next } and its cursors walk every source once', async () => {
    const expected = seedSources(DEFAULT_SEED.sources);
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await meti(`/sources?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as SourcePage;
      for (const source of page.results) {
        expect(source).not.toHaveProperty('location');
        expect(source).not.toHaveProperty('emissions');
        expect(source).toHaveProperty('annualEmissionsTco2e');
        expect(source).toHaveProperty('operator_name');
        expect(source).toHaveProperty('reporting_year');
        const monthly = source.monthly as { month: string; value: number }[];
        expect(monthly).toHaveLength(12);
        expect(monthly[0]?.month).toBe(`${String(source.reporting_year)}-01`);
        const sum = monthly.reduce((total, entry) => total + entry.value, 0);
        expect(Math.abs(sum - Number(source.annualEmissionsTco2e))).toBeLessThan(1);
        ids.push(String(source.id));
      }
      cursor = page.next;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(expected.length / 50));
    expect(ids).toEqual(expected.map((source) => source.id));
  });

  it('pages with its default limit, filters by methodology across pages, and refuses a forged cursor', async () => {
    const first = (await (await meti('/sources')).json()) as SourcePage;
    expect(first.results).toHaveLength(50);
    expect(typeof first.next).toBe('string');
    const landfills = seedSources(DEFAULT_SEED.sources).filter((source) => source.methodology === 'Landfill');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (await meti(`/sources?methodology=Landfill&limit=5${cursor ? `&cursor=${cursor}` : ''}`)).json()) as SourcePage;
      seen.push(...page.results.map((source) => String(source.id)));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(landfills.map((source) => source.id));
    for (const bad of ['cursor=not-a-cursor', 'limit=abc']) {
      const response = await meti(`/sources?${bad}`);
      expect(response.status, bad).toBe(400);
    }
  });

  it('answers the known source by id with its country and CO₂e at top level', async () => {
    const response = await meti(`/sources/${known.source.id}`);
    expect(response.status).toBe(200);
    const source = (await response.json()) as Json;
    expect(source).toEqual(knownRecords('variant').source);
    expect(source).toMatchObject({
      country: known.source.country,
      region: known.source.region,
      annualEmissionsTco2e: known.source.co2e,
      annualCh4Tonnes: known.source.ch4,
      operator_name: known.source.operator,
      reporting_year: known.source.year,
    });
  });

  it('writes keep working and read back in the variant shape', async () => {
    const created = await meti('/sources', metiBearer, {
      method: 'POST',
      body: JSON.stringify({ name: 'Variant Test Station', methodology: 'Oil and Gas', country: 'US', annualEmissionsTco2e: 12 }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as Json;
    expect(body).toMatchObject({ name: 'Variant Test Station', country: 'US', annualEmissionsTco2e: 12 });
    expect(body).toHaveProperty('created_at');
    const read = (await (await meti(`/sources/${String(body.id)}`)).json()) as Json;
    expect(read).toEqual(body);
    expect((await meti(`/sources/${String(body.id)}`, metiBearer, { method: 'DELETE' })).status).toBe(204);
  });
});

describe('variant Events', () => {
  it('sends { items, total, page, pageSize } and its page numbers walk every event once, in start order', async () => {
    const expected = seedEvents(DEFAULT_SEED.events, Date.now());
    const ids: string[] = [];
    let total = Number.POSITIVE_INFINITY;
    for (let number = 1; ids.length < total; number += 1) {
      const response = await eventList({ PageNumber: number, PageSize: 40 });
      expect(response.status).toBe(200);
      const page = (await response.json()) as EventPage;
      expect(page).toMatchObject({ page: number, pageSize: 40, total: expected.length });
      expect(page.items.length).toBeGreaterThan(0);
      total = page.total;
      ids.push(...page.items.map((item) => String(item.id)));
    }
    expect(new Set(ids).size).toBe(expected.length);
    expect(ids.sort()).toEqual(expected.map((event) => event.id).sort());
    const empty = (await (await eventList({ PageNumber: 99, PageSize: 40 })).json()) as EventPage;
    expect(empty.items).toEqual([]);
  });

  it('names fields differently and writes dates as local times with offsets', async () => {
    const page = (await (await eventList({ PageNumber: 1, PageSize: 100 })).json()) as EventPage;
    const byId = new Map(seedEvents(DEFAULT_SEED.events, Date.now()).map((event) => [event.id, event]));
    for (const item of page.items) {
      expect(item).not.toHaveProperty('name');
      expect(item).not.toHaveProperty('startDate');
      expect(String(item.startsAt)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
      const standard = byId.get(String(item.id));
      expect(item.title).toBe(standard?.name);
      // The same instant as its standard counterpart, written in the venue's zone.
      expect(Date.parse(String(item.startsAt))).toBe(Date.parse(String(standard?.startDate)));
      expect(Date.parse(String(item.endsAt))).toBe(Date.parse(String(standard?.endDate)));
    }
    expect(page.items.some((item) => !String(item.startsAt).endsWith('+00:00'))).toBe(true);
  });

  it('filters upcoming events and searches titles', async () => {
    const now = Date.now();
    const upcoming = (await (await eventList({ PageNumber: 1, PageSize: 100, OnlyUpcoming: true })).json()) as EventPage;
    expect(upcoming.total).toBeGreaterThan(0);
    expect(upcoming.items.every((item) => Date.parse(String(item.endsAt)) >= now)).toBe(true);
    const searched = (await (await eventList({ PageNumber: 1, PageSize: 100, SearchText: known.event.name })).json()) as EventPage;
    expect(searched.items.map((item) => item.id)).toContain(known.event.id);
    expect(searched.items.every((item) => String(item.title).includes(known.event.name))).toBe(true);
  });

  it('answers the known event by id with its venue nested as { name, city }', async () => {
    const response = await fetch(`${sandbox.url}/events/api/${EVENTS_API_VERSION}/event/${known.event.id}`, { headers: eventHeaders() });
    expect(response.status).toBe(200);
    const event = (await response.json()) as Json;
    expect(event).toEqual(knownRecords('variant').event);
    expect(event).toMatchObject({ title: known.event.name, venue: { name: known.event.venue, city: known.event.city } });
  });
});

describe('the variant keeps auth, rate limits, faults and stats', () => {
  it('checks the subscription key, region and bearer token as the standard profile does', async () => {
    const { 'ocp-apim-subscription-key': _key, ...withoutKey } = wellviewHeaders(serviceToken);
    expect((await wellview(`${TARGET}/wellheader/data`, withoutKey)).status).toBe(401);
    const { 'x-peloton-region': _region, ...withoutRegion } = wellviewHeaders(serviceToken);
    expect((await wellview(`${TARGET}/wellheader/data`, withoutRegion)).status).toBe(400);
    const noToken = await wellview(`${TARGET}/wellheader/data`, wellviewHeaders(null));
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('checks Events and METI tokens, tenant and scopes', async () => {
    expect((await eventList({ PageNumber: 1 }, null)).status).toBe(401);
    const wrongTenant = await postJson(`${sandbox.url}/events/api/${EVENTS_API_VERSION}/event/list`, {}, { ...eventHeaders(), 'tenant-code': 'NOPE' });
    expect(wrongTenant.status).toBe(403);
    expect((await meti('/sources', null)).status).toBe(401);
    const readOnly = await metiToken(sandbox.url, METI_READONLY_CLIENT);
    expect((await meti('/sources', readOnly)).status).toBe(200);
    expect((await meti(`/sources/${known.source.id}`, readOnly, { method: 'DELETE' })).status).toBe(403);
  });

  it('limits each subscription key to the same calls per rolling second', async () => {
    const answers = await Promise.all(Array.from({ length: WELLVIEW_RATE_LIMIT_PER_SECOND + 3 }, () => wellview(`${TARGET}/wellheader/data?$top=1`)));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(WELLVIEW_RATE_LIMIT_PER_SECOND);
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited).toHaveLength(3);
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await sandbox.stats()).maxCallsPerSecond[SUBSCRIPTION_KEY]).toBeGreaterThanOrEqual(WELLVIEW_RATE_LIMIT_PER_SECOND + 3);
  });

  it('applies faults to the variant APIs and counts their answers', async () => {
    await sandbox.fault({ provider: 'meti', errorRate: 1, errorStatus: 503 });
    const failed = await meti('/sources');
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('1');
    await sandbox.fault({ provider: 'wellview', malformedBody: true });
    const malformed = await wellview(`${TARGET}/wellheader/data`);
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();
    await sandbox.reset();
    expect((await meti('/sources')).status).toBe(200);
    await eventList({ PageNumber: 1 });
    const stats = await sandbox.stats();
    expect(stats.responses.meti).toEqual({ '200': 1 });
    expect(stats.responses.events).toEqual({ '200': 1 });
  });
});
