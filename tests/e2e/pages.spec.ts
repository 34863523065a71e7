import type { Page } from '@playwright/test';
import { DEFAULT_SEED } from '../../sandbox/server';
import type { WellRecord } from '../../sandbox/seed';
import { downloadCsv, expect, sandboxWells, screenshot, signInThroughForm, test } from './support';

const WELLS_PAGE_SIZE = 50;
const EVENTS_PAGE_SIZE = 25;
const SOURCES_PAGE_SIZE = 25;
const EVENTS_LIST = '/api/events/api/1.0/event/list';

interface ApiEvent {
  id: string;
  name: string;
  startDate: string;
  endDate?: string | null;
}
interface ApiSource {
  id: string;
  name: string;
  methodology: string;
  operator?: string;
  location?: { region?: string; country?: string };
  emissions?: { co2eTonnesPerYear?: number };
}

/** Calls the dashboard's gateway with the page's own session, as the pages do. */
async function gateway<T>(page: Page, path: string, body?: unknown): Promise<T> {
  const headers = { 'x-csrf': '1' };
  const response =
    body === undefined
      ? await page.request.get(path, { headers })
      : await page.request.post(path, { headers, data: body });
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

/** Every event the Events API lists for a query, through all of its pages. */
async function allEvents(
  page: Page,
  query: { OnlyUpcoming: boolean; SearchText?: string },
): Promise<ApiEvent[]> {
  const events: ApiEvent[] = [];
  for (let number = 1; ; number += 1) {
    const answer = await gateway<{ data: ApiEvent[]; totalCount: number }>(page, EVENTS_LIST, {
      ...query,
      PageNumber: number,
      PageSize: 100,
    });
    events.push(...answer.data);
    if (answer.data.length === 0 || events.length >= answer.totalCount) return events;
  }
}

/** Past events: every event the API does not count as upcoming, newest first (the API lists oldest first). */
async function pastEvents(page: Page): Promise<ApiEvent[]> {
  const upcoming = new Set((await allEvents(page, { OnlyUpcoming: true })).map((event) => event.id));
  return (await allEvents(page, { OnlyUpcoming: false }))
    .filter((event) => !upcoming.has(event.id))
    .reverse();
}

/** The order the list pages promise: natural (numbers by value, case ignored), empty values last. */
function sortBy<T>(
  items: readonly T[],
  value: (item: T) => string | number | null | undefined,
  direction: 'asc' | 'desc' = 'asc',
): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const left = value(a) ?? '';
    const right = value(b) ?? '';
    if (left === right) return 0;
    if (left === '') return 1;
    if (right === '') return -1;
    if (typeof left === 'number' && typeof right === 'number') return (left - right) * sign;
    return naturalOrder.compare(String(left), String(right)) * sign;
  });
}
/** What people expect of a sorted list: "Bison 9" before "Bison 10", case and accents ignored. */
const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function wellMatches(well: WellRecord, search: string): boolean {
  const haystack = [well.wellname, well.wellida, well.operator, well.fieldname]
    .filter((value) => typeof value === 'string')
    .join(' ')
    .toLowerCase();
  return haystack.includes(search.toLowerCase());
}

const pageSummary = (page: Page) => page.getByRole('navigation', { name: 'Pages' });
const searchBox = (page: Page) => page.getByRole('searchbox', { name: /Search/ });

test('a new user signs in through the form and walks Overview, Wells, Events and Sources', async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({
    baseURL: baseURL as string,
    storageState: { cookies: [], origins: [] },
  });
  const page = await context.newPage();
  await page.goto('/');
  await signInThroughForm(page);
  await expect(page).toHaveURL(`${baseURL}/`);

  const upcoming = await gateway<{ totalCount: number }>(page, EVENTS_LIST, {
    OnlyUpcoming: true,
    PageNumber: 1,
    PageSize: 1,
  });
  const cards = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) });
  await expect(cards).toHaveCount(3);
  await expect(page.getByTestId('wells-connection')).toHaveText('Connected');
  await expect(page.getByTestId('events-connection')).toHaveText('Connected');
  await expect(page.getByTestId('sources-connection')).toHaveText('Connected');
  await expect(cards.filter({ hasText: 'Wells' })).toContainText(
    `${sandboxWells().visible.length}well headers`,
  );
  await expect(cards.filter({ hasText: 'Events' })).toContainText(`${upcoming.totalCount}upcoming events`);
  await expect(cards.filter({ hasText: 'Emission sources' })).toContainText(
    `${DEFAULT_SEED.sources}METI sources`,
  );
  await expect(page.getByText('Wells by status')).toBeVisible();
  await screenshot(page, 'overview');

  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [link, heading, caption] of [
    ['Wells', 'Wells', 'Well headers'],
    ['Events', 'Events', 'Upcoming events'],
    ['Sources', 'Emission sources', 'Emission sources'],
  ] as const) {
    await nav.getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(nav.getByRole('link', { name: link })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('table', { name: caption }).locator('tbody tr').first()).toBeVisible();
  }
  await nav.getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await context.close();
});

test.describe('wells', () => {
  const { visible, restricted } = sandboxWells();
  const table = (page: Page) => page.getByRole('table', { name: 'Well headers' });
  const names = (page: Page) => table(page).locator('tbody tr > td:nth-child(1)');
  const uwis = (page: Page) => table(page).locator('tbody tr > td:nth-child(2)');

  test('search, filter, sort and page live in the URL, the back button undoes them, and CSV holds every matching row', async ({
    page,
  }) => {
    await page.goto('/wells');
    const pages = Math.ceil(visible.length / WELLS_PAGE_SIZE);
    await expect(pageSummary(page)).toContainText(`${visible.length} wells · page 1 of ${pages}`);
    await expect(names(page)).toHaveText(
      sortBy(visible, (well) => well.wellname as string)
        .slice(0, WELLS_PAGE_SIZE)
        .map((well) => String(well.wellname)),
    );
    await screenshot(page, 'wells');

    // Sort by UWI, then flip it.
    const uwiHeader = table(page).getByRole('columnheader', { name: 'UWI' });
    await uwiHeader.getByRole('button').click();
    await expect(uwiHeader).toHaveAttribute('aria-sort', 'ascending');
    await expect(page).toHaveURL(/[?&]sort=uwi(&|$)/);
    await uwiHeader.getByRole('button').click();
    await expect(uwiHeader).toHaveAttribute('aria-sort', 'descending');
    await expect(page).toHaveURL(/[?&]dir=desc(&|$)/);
    const byUwiDesc = sortBy(visible, (well) => well.wellida as string, 'desc');
    await expect(uwis(page)).toHaveText(
      byUwiDesc.slice(0, WELLS_PAGE_SIZE).map((well) => String(well.wellida)),
    );

    // Page forward, and back with the browser.
    await pageSummary(page).getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    await expect(pageSummary(page)).toContainText(`page 2 of ${pages}`);
    await expect(uwis(page)).toHaveText(
      byUwiDesc.slice(WELLS_PAGE_SIZE, 2 * WELLS_PAGE_SIZE).map((well) => String(well.wellida)),
    );
    await page.goBack();
    await expect(pageSummary(page)).toContainText(`page 1 of ${pages}`);
    await expect(uwis(page)).toHaveText(
      byUwiDesc.slice(0, WELLS_PAGE_SIZE).map((well) => String(well.wellida)),
    );

    // Filter by status: several pages of producing wells; the CSV holds every page.
    const producing = byUwiDesc.filter((well) => well.currentwellstatus1 === 'Producing');
    expect(producing.length).toBeGreaterThan(WELLS_PAGE_SIZE);
    const producingPages = Math.ceil(producing.length / WELLS_PAGE_SIZE);
    await page.getByRole('combobox', { name: 'Status' }).selectOption('Producing');
    await expect(page).toHaveURL(/[?&]status=Producing(&|$)/);
    await expect(pageSummary(page)).toContainText(`${producing.length} wells · page 1 of ${producingPages}`);
    await pageSummary(page).getByRole('button', { name: 'Next' }).click();
    await expect(pageSummary(page)).toContainText(`page 2 of ${producingPages}`);
    const onSecondPage = Math.min(WELLS_PAGE_SIZE, producing.length - WELLS_PAGE_SIZE);
    await expect(table(page).locator('tbody tr')).toHaveCount(onSecondPage);
    await expect(table(page).locator('tbody tr > td:nth-child(6)')).toHaveText(Array(onSecondPage).fill('Producing'));
    const filteredCsv = await downloadCsv(page);
    expect(filteredCsv.filename).toMatch(/\.csv$/);
    expect(filteredCsv.header).toEqual(expect.arrayContaining(['idwell', 'Well', 'UWI', 'Status']));
    expect(filteredCsv.rows.map((row) => row.idwell)).toEqual(producing.map((well) => well.idwell));

    // Search on top of the filter.
    const searched = producing.filter((well) => wellMatches(well, 'basin'));
    await searchBox(page).fill('basin');
    await expect(page).toHaveURL(/[?&]q=basin(&|$)/);
    await expect(pageSummary(page)).toContainText(`${searched.length} wells`);
    await expect(uwis(page)).toHaveText(
      searched.slice(0, WELLS_PAGE_SIZE).map((well) => String(well.wellida)),
    );
    const searchedCsv = await downloadCsv(page);
    expect(searchedCsv.rows.map((row) => row.idwell)).toEqual(searched.map((well) => well.idwell));
    expect(searchedCsv.rows.every((row) => row.Status === 'Producing')).toBe(true);

    // A fresh page on the same URL shows the same view.
    const shared = page.url();
    const fresh = await page.context().newPage();
    await fresh.goto(shared);
    await expect(searchBox(fresh)).toHaveValue('basin');
    await expect(fresh.getByRole('combobox', { name: 'Status' })).toHaveValue('Producing');
    await expect(
      fresh.getByRole('table', { name: 'Well headers' }).getByRole('columnheader', { name: 'UWI' }),
    ).toHaveAttribute('aria-sort', 'descending');
    await expect(uwis(fresh)).toHaveText(
      searched.slice(0, WELLS_PAGE_SIZE).map((well) => String(well.wellida)),
    );
    await fresh.close();

    // Back: the search was typed into the filtered, paged view; going back shows that view again.
    await page.goBack();
    await expect(page).not.toHaveURL(/[?&]q=/);
    await expect(searchBox(page)).toHaveValue('');
    await expect(pageSummary(page)).toContainText(`${producing.length} wells · page 1 of ${producingPages}`);
    await page.goBack();
    await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('');
    await expect(pageSummary(page)).toContainText(`${visible.length} wells`);
  });

  test('a shared link reproduces the view for a colleague who has to sign in first', async ({
    browser,
    baseURL,
  }) => {
    const shared = `/wells?q=bison&state=TX&sort=spud&dir=desc`;
    const expected = sortBy(
      visible.filter((well) => wellMatches(well, 'bison') && well.stateprov === 'TX'),
      (well) => well.dttmspud as string,
      'desc',
    );
    const context = await browser.newContext({
      baseURL: baseURL as string,
      storageState: { cookies: [], origins: [] },
    });
    const page = await context.newPage();
    await page.goto(shared);
    await signInThroughForm(page);
    await expect(page).toHaveURL(`${baseURL}${shared}`);
    await expect(searchBox(page)).toHaveValue('bison');
    await expect(page.getByRole('combobox', { name: 'State' })).toHaveValue('TX');
    await expect(table(page).getByRole('columnheader', { name: 'Spud date' })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
    await expect(uwis(page)).toHaveText(expected.map((well) => String(well.wellida)));
    await context.close();
  });

  test('a well opens on its own page with every field; unknown and hidden wells read as not found', async ({
    page,
  }) => {
    await page.goto('/wells?sort=uwi');
    const first = sortBy(visible, (well) => well.wellida as string)[0] as WellRecord;
    await table(page)
      .getByRole('link', { name: String(first.wellname) })
      .first()
      .click();
    await expect(page).toHaveURL(`/wells/${first.idwell}`);
    await expect(page.getByRole('heading', { level: 1, name: String(first.wellname) })).toBeVisible();
    await expect(page.getByText(String(first.wellida)).first()).toBeVisible();
    // Fields the dashboard does not know are still shown.
    await expect(page.getByRole('heading', { name: 'Other fields' })).toBeVisible();
    await expect(page.getByText(String(first.leasename))).toBeVisible();
    await screenshot(page, 'well-detail');
    await page.goBack();
    await expect(page).toHaveURL(/\/wells\?sort=uwi$/);
    await expect(table(page).getByRole('columnheader', { name: 'UWI' })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );

    await page.goto('/wells/NO-SUCH-WELL');
    await expect(page.getByText('This well was not found')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Back to wells' })).toBeVisible();
    await screenshot(page, 'well-not-found');
    // A well with a security type exists, but the API account may not see it.
    await page.goto(`/wells/${(restricted[0] as WellRecord).idwell}`);
    await expect(page.getByText('This well was not found')).toBeVisible();
  });
});

test.describe('events', () => {
  const table = (page: Page, caption = 'Upcoming events') => page.getByRole('table', { name: caption });
  const names = (page: Page, caption?: string) => table(page, caption).locator('tbody tr > td:nth-child(1)');

  test('upcoming by default, paged by the server with the total, and searchable', async ({ page }) => {
    const upcoming = await allEvents(page, { OnlyUpcoming: true });
    expect(upcoming.length).toBeGreaterThan(EVENTS_PAGE_SIZE);
    const pages = Math.ceil(upcoming.length / EVENTS_PAGE_SIZE);
    await page.goto('/events');
    await expect(page.getByRole('radio', { name: 'Upcoming' })).toBeChecked();
    await expect(pageSummary(page)).toContainText(`${upcoming.length} events · page 1 of ${pages}`);
    await expect(names(page)).toHaveText(upcoming.slice(0, EVENTS_PAGE_SIZE).map((event) => event.name));
    await screenshot(page, 'events');

    // The next page is asked of the server, not cut from a full list.
    const pageTwo = page.waitForRequest(
      (request) => request.url().endsWith(EVENTS_LIST) && request.postDataJSON()?.PageNumber === 2,
    );
    await pageSummary(page).getByRole('button', { name: 'Next' }).click();
    await pageTwo;
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    await expect(names(page)).toHaveText(
      upcoming.slice(EVENTS_PAGE_SIZE, 2 * EVENTS_PAGE_SIZE).map((event) => event.name),
    );
    await page.goBack();
    await expect(names(page)).toHaveText(upcoming.slice(0, EVENTS_PAGE_SIZE).map((event) => event.name));
    await page.goForward();
    await expect(pageSummary(page)).toContainText(`page 2 of ${pages}`);

    // Searching starts again at page 1 and replaces the paged view's history entry.
    const workshops = await allEvents(page, { OnlyUpcoming: true, SearchText: 'workshop' });
    expect(workshops.length).toBeGreaterThan(0);
    await searchBox(page).fill('workshop');
    await expect(page).toHaveURL(/[?&]q=workshop(&|$)/);
    await expect(pageSummary(page)).toContainText(`${workshops.length} events`);
    await expect(names(page)).toHaveText(workshops.slice(0, EVENTS_PAGE_SIZE).map((event) => event.name));
    const csv = await downloadCsv(page);
    expect(csv.filename).toMatch(/\.csv$/);
    expect(csv.rows.map((row) => row.id)).toEqual(workshops.map((event) => event.id));

    // Back to the unsearched first page: the box empties too.
    await page.goBack();
    await expect(page).not.toHaveURL(/[?&]q=/);
    await expect(searchBox(page)).toHaveValue('');
    await expect(pageSummary(page)).toContainText(`${upcoming.length} events · page 1 of ${pages}`);
    await expect(names(page)).toHaveText(upcoming.slice(0, EVENTS_PAGE_SIZE).map((event) => event.name));
  });

  test('the past toggle shows only past events, newest first, over every page, and the CSV holds them all', async ({
    page,
  }) => {
    const past = await pastEvents(page);
    expect(past.length).toBeGreaterThan(EVENTS_PAGE_SIZE);
    await page.goto('/events');
    await page.getByText('Past', { exact: true }).click();
    await expect(page).toHaveURL(/[?&]when=past(&|$)/);
    await expect(page.getByRole('radio', { name: 'Past' })).toBeChecked();
    await expect(pageSummary(page)).toContainText(`${past.length} events · page 1 of`);
    await expect(names(page, 'Past events').first()).toHaveText(String(past[0]?.name));
    await screenshot(page, 'events-past');

    // Walk every page; together they hold each past event once, newest first.
    const shown: string[] = [];
    const next = pageSummary(page).getByRole('button', { name: 'Next' });
    for (let number = 1; ; number += 1) {
      await expect(pageSummary(page)).toContainText(`page ${number} of`);
      await expect(table(page, 'Past events')).toHaveAttribute('aria-busy', 'false');
      const links = table(page, 'Past events').locator('tbody tr a');
      await expect(links.first()).toBeVisible();
      const hrefs = await links.evaluateAll((anchors) =>
        anchors.map((anchor) => anchor.getAttribute('href') ?? ''),
      );
      shown.push(...hrefs.map((href) => decodeURIComponent(href.replace('/events/', ''))));
      if (await next.isDisabled()) break;
      await next.click();
      await expect(page).toHaveURL(new RegExp(`[?&]page=${number + 1}(&|$)`));
    }
    expect(shown).toEqual(past.map((event) => event.id));

    const csv = await downloadCsv(page);
    expect(csv.rows.map((row) => row.id)).toEqual(past.map((event) => event.id));
    for (const row of csv.rows) expect(Date.parse(row.Ends ?? row.Starts ?? '')).toBeLessThan(Date.now());

    // The Starts column sorts oldest first too.
    const starts = table(page, 'Past events').getByRole('columnheader', { name: 'Starts' });
    await expect(starts).toHaveAttribute('aria-sort', 'descending');
    await starts.getByRole('button').click();
    await expect(starts).toHaveAttribute('aria-sort', 'ascending');
    await expect(page).toHaveURL(/[?&]dir=asc(&|$)/);
    await expect(names(page, 'Past events')).toHaveText(
      [...past]
        .reverse()
        .slice(0, EVENTS_PAGE_SIZE)
        .map((event) => event.name),
    );
  });

  test('an event opens on its own page; an unknown id reads as not found', async ({ page }) => {
    await page.goto('/events');
    const link = table(page).locator('tbody tr a').first();
    const name = (await link.textContent()) ?? '';
    await link.click();
    await expect(page).toHaveURL(/\/events\/[^/]+$/);
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'When and where' })).toBeVisible();
    await screenshot(page, 'event-detail');

    await page.goto('/events/no-such-event');
    await expect(page.getByText('Not found', { exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Back to Events' })).toBeVisible();
  });
});

/** The cell under the column headed `header` in row `index` of the sources table. */
async function columnCell(page: Page, header: string, index: number) {
  const sourcesTable = page.getByRole('table', { name: 'Emission sources' });
  await expect(sourcesTable.getByRole('columnheader', { name: header })).toBeVisible();
  const headers = (await sourcesTable.locator('thead th').allInnerTexts()).map((text) => text.trim());
  return sourcesTable.locator('tbody tr').nth(index).locator('td').nth(headers.findIndex((text) => text.startsWith(header)));
}

test.describe('sources', () => {
  const table = (page: Page) => page.getByRole('table', { name: 'Emission sources' });
  const names = (page: Page) => table(page).locator('tbody tr > td:nth-child(1)');

  test('search, methodology filter, sort and page live in the URL; CSV holds every matching row', async ({
    page,
  }) => {
    const sources = await gateway<ApiSource[]>(page, '/api/meti/sources');
    expect(sources).toHaveLength(DEFAULT_SEED.sources);
    await page.goto('/sources');
    const pages = Math.ceil(sources.length / SOURCES_PAGE_SIZE);
    await expect(pageSummary(page)).toContainText(`${sources.length} sources · page 1 of ${pages}`);
    const byName = sortBy(sources, (source) => source.name);
    await expect(names(page)).toHaveText(byName.slice(0, SOURCES_PAGE_SIZE).map((source) => source.name));
    await screenshot(page, 'sources');

    // Sort by CO₂e, largest first.
    const co2e = table(page).getByRole('columnheader', { name: /CO₂e/ });
    await co2e.getByRole('button').click();
    await co2e.getByRole('button').click();
    await expect(co2e).toHaveAttribute('aria-sort', 'descending');
    const byCo2e = sortBy(sources, (source) => source.emissions?.co2eTonnesPerYear ?? null, 'desc');
    await expect(names(page)).toHaveText(byCo2e.slice(0, SOURCES_PAGE_SIZE).map((source) => source.name));

    await pageSummary(page).getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    await expect(names(page)).toHaveText(
      byCo2e.slice(SOURCES_PAGE_SIZE, 2 * SOURCES_PAGE_SIZE).map((source) => source.name),
    );

    // The methodology filter is METI's own (?methodology=).
    const oilAndGas = await gateway<ApiSource[]>(page, '/api/meti/sources?methodology=Oil%20and%20Gas');
    const filtered = byCo2e.filter((source) => source.methodology === 'Oil and Gas');
    expect(oilAndGas.map((source) => source.id).sort()).toEqual(filtered.map((source) => source.id).sort());
    await page.getByRole('combobox', { name: 'Methodology' }).selectOption('Oil and Gas');
    await expect(page).toHaveURL(/[?&]methodology=Oil\+and\+Gas(&|$)/);
    await expect(page).not.toHaveURL(/[?&]page=/);
    await expect(pageSummary(page)).toContainText(`${filtered.length} sources`);
    await expect(names(page)).toHaveText(filtered.slice(0, SOURCES_PAGE_SIZE).map((source) => source.name));
    const filteredCsv = await downloadCsv(page);
    expect(filteredCsv.filename).toMatch(/\.csv$/);
    expect(filteredCsv.rows.map((row) => row.id)).toEqual(filtered.map((source) => source.id));

    const searched = filtered.filter((source) =>
      [source.name, source.operator, source.methodology, source.location?.region, source.location?.country]
        .join(' ')
        .toLowerCase()
        .includes('station'),
    );
    await searchBox(page).fill('station');
    await expect(page).toHaveURL(/[?&]q=station(&|$)/);
    await expect(pageSummary(page)).toContainText(`${searched.length} sources`);
    const searchedCsv = await downloadCsv(page);
    expect(searchedCsv.rows.map((row) => row.id)).toEqual(searched.map((source) => source.id));

    const shared = page.url();
    const fresh = await page.context().newPage();
    await fresh.goto(shared);
    await expect(searchBox(fresh)).toHaveValue('station');
    await expect(fresh.getByRole('combobox', { name: 'Methodology' })).toHaveValue('Oil and Gas');
    await expect(
      fresh.getByRole('table', { name: 'Emission sources' }).getByRole('columnheader', { name: /CO₂e/ }),
    ).toHaveAttribute('aria-sort', 'descending');
    await expect(names(fresh)).toHaveText(searched.slice(0, SOURCES_PAGE_SIZE).map((source) => source.name));
    await fresh.close();

    await page.goBack();
    await expect(searchBox(page)).toHaveValue('');
    await expect(page.getByRole('combobox', { name: 'Methodology' })).toHaveValue('');
    await expect(pageSummary(page)).toContainText(`page 2 of ${pages}`);
  });

  test('the column chooser offers every field the sources hold; a picked column shows its values', async ({ page }) => {
    const sources = await gateway<ApiSource[]>(page, '/api/meti/sources');
    await page.goto('/sources');
    await expect(table(page).locator('thead th')).toHaveText([/^Source/, /^Methodology/, /^Operator/, /^Location/, /^CO₂e/, /^CH₄/, /^Year/]);
    await page.getByText('Columns', { exact: true }).click();
    const chooser = page.getByRole('group', { name: 'Visible columns' });
    for (const name of ['N₂O (t/yr)', 'Status', 'Region', 'Country', 'Latitude', 'Longitude', 'Created', 'Updated']) {
      await expect(chooser.getByRole('checkbox', { name, exact: true })).not.toBeChecked();
    }
    await chooser.getByRole('checkbox', { name: 'Latitude', exact: true }).check();
    const first = sortBy(sources, (source) => source.name)[0] as ApiSource & { location: { latitude: number } };
    const latitude = await columnCell(page, 'Latitude', 0);
    expect(Number((await latitude.innerText()).replace(/,/g, ''))).toBeCloseTo(first.location.latitude, 4);
  });

  test('a source opens on its own page; an unknown id reads as not found', async ({ page }) => {
    await page.goto('/sources');
    const link = table(page).locator('tbody tr a').first();
    const name = (await link.textContent()) ?? '';
    await link.click();
    await expect(page).toHaveURL(/\/sources\/src_[0-9a-f]+$/);
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Emissions (tonnes per year)' })).toBeVisible();
    await screenshot(page, 'source-detail');

    await page.goto('/sources/src_000000000000');
    await expect(page.getByText('Not found', { exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Back to Sources' })).toBeVisible();
    // An id that could never name a record (it holds a path) is not found either, not a failure.
    await page.goto('/sources/a%2F..%2Fsources');
    await expect(page.getByText('Not found', { exact: true })).toBeVisible();
    await expect(page.getByText('This could not be loaded')).toHaveCount(0);
  });
});
