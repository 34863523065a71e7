/**
 * Every page shows its data under the right labels, whatever shape the upstream APIs answer in:
 * the same walk runs against the sandbox's standard profile and its variant profile (other field
 * names, nesting, envelopes, paging and date formats; see sandbox/README.md). The records asserted
 * on are the known ones of sandbox/profiles/known-values.ts, which carry the same values under
 * both profiles. Signs in once per profile and opens a fresh context from that state per test.
 */
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { appUrl, variantAppUrl } from '../../playwright.config';
import { DEMO_USERS, type DemoUser } from '../../sandbox/defaults';
import type { SandboxProfile } from '../../sandbox/profiles';
import { knownValues } from '../../sandbox/profiles/known-values';
import { PICKER_USER, UNCONFIGURED_USER } from '../../sandbox/profiles/variant-users';
import { seedEvents } from '../../sandbox/seed';
import { DEFAULT_SEED } from '../../sandbox/server';
import { downloadCsv, regularUser, signInThroughForm } from './support';

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

const PROFILES: { name: SandboxProfile; baseURL: string }[] = [
  { name: 'standard', baseURL: appUrl },
  { name: 'variant', baseURL: variantAppUrl },
];
/** The gateway gives up on an upstream after 30 s; every data area must have ended by then. */
const GATEWAY_TIMEOUT_MS = 30_000;
const MARGIN_MS = 5_000;
const DASH = '—';

const known = knownValues();
// Pages format in the browser's locale and zone; fix both so the expected text is certain.
const LOCALE = 'en-US';
const TIME_ZONE = 'UTC';
const formatNumber = (value: number, digits = 0) =>
  new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits }).format(value);
const formatDate = (iso: string) =>
  new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: TIME_ZONE }).format(new Date(iso));
const upcomingEvents = () =>
  seedEvents(DEFAULT_SEED.events, Date.now()).filter(
    (event) => Date.parse(String(event.endDate)) >= Date.now(),
  ).length;

async function newContext(
  browser: Browser,
  baseURL: string,
  storageState?: StorageState,
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    locale: LOCALE,
    timezoneId: TIME_ZONE,
    storageState: storageState ?? { cookies: [], origins: [] },
  });
}

/** Signs a user in through the dashboard and the sandbox's form; answers the signed-in page. */
async function signedInPage(browser: Browser, baseURL: string, user: DemoUser, path = '/'): Promise<Page> {
  const context = await newContext(browser, baseURL);
  const page = await context.newPage();
  await page.goto(path);
  await signInThroughForm(page, user);
  return page;
}

/** No text on the page reads `[object Object]`. */
async function expectNoObjectObject(page: Page): Promise<void> {
  await expect(page.locator('body')).not.toContainText('[object Object]');
}

/** The position of the column whose header matches `name` (after waiting for the table). */
async function columnIndex(table: Locator, name: RegExp): Promise<number> {
  await expect(table.locator('thead th').filter({ hasText: name }).first()).toBeVisible();
  const headers = await table.locator('thead th').allInnerTexts();
  const index = headers.findIndex((text) => name.test(text.trim()));
  expect(index, `a column headed ${name} among ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(0);
  return index;
}

/** The cell of a row under the column headed `name`. */
async function cellUnder(table: Locator, row: Locator, name: RegExp): Promise<Locator> {
  return row.locator(':scope > th, :scope > td').nth(await columnIndex(table, name));
}

/** The list's page summary ("558 wells · page 1 of 12"): its total proves every upstream page was read. */
const pageSummary = (page: Page) => page.getByRole('navigation', { name: 'Pages' });

/** The table row that links to `href`. */
const rowLinkingTo = (table: Locator, href: string) =>
  table.locator('tbody tr').filter({ has: table.page().locator(`a[href="${href}"]`) });

/** Every visible column has a value (not empty, not a dash) in at least one row of the page shown. */
async function expectNoEmptyColumn(table: Locator): Promise<void> {
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(table).not.toHaveAttribute('aria-busy', 'true');
  const headers = (await table.locator('thead th').allInnerTexts()).map((text) => text.trim());
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.children, (cell) => (cell as HTMLElement).innerText.trim())),
    );
  const empty = headers.filter(
    (header, index) => header !== '' && rows.every((cells) => !cells[index] || cells[index] === DASH),
  );
  expect(empty, `columns empty on every one of ${rows.length} rows`).toEqual([]);
}

/**
 * The value shown for a labelled field on a detail page (a `<dt>`/`<th>` and the element after it),
 * not counting the catch-all "Other fields" list, where a field the page did not understand lands.
 */
function fieldValue(page: Page, label: RegExp): Locator {
  return page
    .locator(
      'xpath=//*[self::dt or (self::th and @scope="row")][not(ancestor::section[.//h2[normalize-space()="Other fields"]])]',
    )
    .filter({ hasText: label })
    .first()
    .locator('xpath=following-sibling::*[1]');
}

for (const profile of PROFILES) {
  test.describe(`${profile.name} profile`, () => {
    let signedIn: StorageState;
    test.beforeAll(async ({ browser }) => {
      const page = await signedInPage(browser, profile.baseURL, regularUser);
      signedIn = await page.context().storageState();
    });
    // Each test's page is a fresh context that carries the profile's one sign-in.
    test.use({
      baseURL: profile.baseURL,
      locale: LOCALE,
      timezoneId: TIME_ZONE,
      storageState: async ({}, provide) => provide(signedIn),
    });

    test('overview: each card connects and shows its figures', async ({ page }) => {
      await page.goto('/');
      const cards = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) });
      for (const id of ['wells', 'events', 'sources']) {
        await expect(page.getByTestId(`${id}-connection`)).toHaveText('Connected', {
          timeout: GATEWAY_TIMEOUT_MS + MARGIN_MS,
        });
      }
      await expect(cards.filter({ hasText: 'Wells' })).toContainText(formatNumber(known.counts.visibleWells));
      await expect(cards.filter({ hasText: 'Events' })).toContainText(formatNumber(upcomingEvents()));
      await expect(cards.filter({ hasText: /sources/i })).toContainText(formatNumber(known.counts.sources));
      await expectNoObjectObject(page);
    });

    test('/wells: every well listed and exported; the known well under Well, UWI, Operator, State and Spud date; no column empty on every row', async ({
      page,
    }) => {
      await page.goto('/wells');
      const table = page.getByRole('table', { name: 'Well headers' });
      await expectNoEmptyColumn(table);
      await expectNoObjectObject(page);
      await expect(pageSummary(page)).toContainText(`${formatNumber(known.counts.visibleWells)} wells`);
      expect((await downloadCsv(page)).rows).toHaveLength(known.counts.visibleWells);

      await page.goto(`/wells?q=${encodeURIComponent(known.well.uwi)}`);
      const row = rowLinkingTo(table, `/wells/${known.well.id}`);
      await expect(row).toHaveCount(1);
      await expect(await cellUnder(table, row, /^UWI/)).toHaveText(known.well.uwi);
      await expect(await cellUnder(table, row, /^Well\b/)).toHaveText(known.well.name);
      await expect(await cellUnder(table, row, /^Operator/)).toHaveText(known.well.operator);
      await expect(await cellUnder(table, row, /^State/)).toHaveText(known.well.state);
      await expect(await cellUnder(table, row, /^Spud/)).toHaveText(formatDate(known.well.spudDate));
    });

    test('/wells/[id]: the known well with its UWI, operator and spud date under their labels', async ({
      page,
    }) => {
      await page.goto(`/wells/${known.well.id}`);
      await expect(page.getByRole('heading', { level: 1, name: known.well.name })).toBeVisible();
      await expect(fieldValue(page, /UWI/)).toHaveText(known.well.uwi);
      await expect(fieldValue(page, /^Operator/)).toHaveText(known.well.operator);
      await expect(fieldValue(page, /^Spud/)).toHaveText(formatDate(known.well.spudDate));
      await expect(fieldValue(page, /^Total depth/)).toHaveText(formatNumber(known.well.totalDepth, 2));
      await expectNoObjectObject(page);
    });

    test('/events: the known event under Event and Venue; no column empty on every row', async ({ page }) => {
      await page.goto('/events');
      const table = page.getByRole('table', { name: 'Upcoming events' });
      await expectNoEmptyColumn(table);
      await expectNoObjectObject(page);
      await expect(pageSummary(page)).toContainText(`${formatNumber(upcomingEvents())} events`);

      await page.goto(`/events?q=${encodeURIComponent(known.event.name)}`);
      const row = rowLinkingTo(table, `/events/${known.event.id}`);
      await expect(row).toHaveCount(1);
      await expect(await cellUnder(table, row, /^Event/)).toHaveText(known.event.name);
      await expect(await cellUnder(table, row, /^Venue/)).toContainText(known.event.venue);
      await expect(await cellUnder(table, row, /^Starts/)).not.toHaveText(DASH);
    });

    test('/events/[id]: the known event with its venue and city under their labels', async ({ page }) => {
      await page.goto(`/events/${known.event.id}`);
      await expect(page.getByRole('heading', { level: 1, name: known.event.name })).toBeVisible();
      await expect(fieldValue(page, /^Venue/)).toContainText(known.event.venue);
      await expect(fieldValue(page, /^City/)).toHaveText(known.event.city);
      await expect(fieldValue(page, /^Starts/)).not.toHaveText(DASH);
      await expectNoObjectObject(page);
    });

    test('/sources: every source listed and exported; the known source under Operator, Location, CO₂e, CH₄ and Year; no column empty on every row', async ({
      page,
    }) => {
      await page.goto('/sources');
      const table = page.getByRole('table', { name: 'Emission sources' });
      await expectNoEmptyColumn(table);
      await expectNoObjectObject(page);
      await expect(pageSummary(page)).toContainText(`${formatNumber(known.counts.sources)} sources`);
      const csv = await downloadCsv(page);
      expect(csv.rows).toHaveLength(known.counts.sources);
      expect(csv.rows.find((row) => row.id === known.source.id)).toMatchObject({
        Operator: known.source.operator,
      });

      await page.goto(`/sources?q=${encodeURIComponent(known.source.name)}`);
      const row = rowLinkingTo(table, `/sources/${known.source.id}`);
      await expect(row).toHaveCount(1);
      await expect(await cellUnder(table, row, /^Operator/)).toHaveText(known.source.operator);
      await expect(await cellUnder(table, row, /^(Location|Country)/)).toContainText(known.source.country);
      await expect(await cellUnder(table, row, /^CO₂e/)).toHaveText(formatNumber(known.source.co2e));
      await expect(await cellUnder(table, row, /^CH₄/)).toHaveText(formatNumber(known.source.ch4, 1));
      await expect(await cellUnder(table, row, /^Year/)).toHaveText(String(known.source.year));
    });

    test('/sources/[id]: the known source with its country and CO₂e under their labels', async ({ page }) => {
      await page.goto(`/sources/${known.source.id}`);
      await expect(page.getByRole('heading', { level: 1, name: known.source.name })).toBeVisible();
      await expect(fieldValue(page, /^Country/)).toHaveText(known.source.country);
      await expect(fieldValue(page, /^CO₂/)).toHaveText(formatNumber(known.source.co2e, 2));
      await expect(fieldValue(page, /^Operator/)).toHaveText(known.source.operator);
      await expectNoObjectObject(page);
    });
  });
}

test.describe('variant profile: what /user says decides what /wells shows', () => {
  const baseURL = variantAppUrl;

  test('an account whose /user nests one org unit, app and version (no defaults, no id) sees its wells', async ({
    browser,
  }) => {
    const ada = DEMO_USERS.find((user) => user.admin) as DemoUser;
    const page = await signedInPage(browser, baseURL, ada, `/wells?q=${encodeURIComponent(known.well.uwi)}`);
    const table = page.getByRole('table', { name: 'Well headers' });
    await expect(await cellUnder(table, rowLinkingTo(table, `/wells/${known.well.id}`), /^UWI/)).toHaveText(
      known.well.uwi,
    );
    await page.context().close();
  });

  test('an account with several candidates gets a picker; the choice shows rows and is kept in the URL', async ({
    browser,
  }) => {
    const page = await signedInPage(browser, baseURL, PICKER_USER, '/wells');
    // The picker names org units (a select, radios or a list of choices); Rockies is not the first.
    const orgUnitSelect = page.getByRole('combobox', { name: /org(anization|anisation)?\s*unit/i });
    const rockies = page
      .getByRole('radio', { name: /rockies/i })
      .or(page.getByRole('button', { name: /rockies/i }))
      .or(page.getByRole('link', { name: /rockies/i }))
      .or(page.getByRole('option', { name: /rockies/i }));
    await expect(orgUnitSelect.or(rockies).first()).toBeVisible({ timeout: GATEWAY_TIMEOUT_MS + MARGIN_MS });
    if (await orgUnitSelect.isVisible()) {
      const value = await orgUnitSelect.evaluate(
        (select) =>
          Array.from((select as HTMLSelectElement).options).find((option) =>
            /rockies/i.test(`${option.value} ${option.text}`),
          )?.value,
      );
      expect(value, 'the org unit picker offers rockies-ops').toBeTruthy();
      await orgUnitSelect.selectOption(value as string);
      // Apps and versions: take what the picker offers for that org unit.
      for (const name of [/^app/i, /version/i]) {
        const select = page.getByRole('combobox', { name });
        if ((await select.count()) === 1 && !(await select.inputValue()))
          await select.selectOption({ index: 1 });
      }
    } else {
      await rockies.first().click();
    }
    const confirm = page.getByRole('button', {
      name: /^(use|show|load|apply|continue|open|select|choose|go)\b/i,
    });
    if ((await confirm.count()) > 0 && (await confirm.first().isEnabled())) await confirm.first().click();

    const table = page.getByRole('table', { name: 'Well headers' });
    await expect(table.locator('tbody tr').first()).toBeVisible({ timeout: GATEWAY_TIMEOUT_MS + MARGIN_MS });
    await expect(page).toHaveURL(/rockies-ops/);
    // The choice survives a reload (it is in the URL).
    await page.reload();
    await expect(table.locator('tbody tr').first()).toBeVisible();
    await expectNoObjectObject(page);
    await page.context().close();
  });

  test('an account whose /user names nothing usable is told which variables to set, within the gateway timeout', async ({
    browser,
  }) => {
    const page = await signedInPage(browser, baseURL, UNCONFIGURED_USER, '/wells');
    const started = Date.now();
    const main = page.getByRole('main');
    for (const name of ['WELLVIEW_ORG_UNIT', 'WELLVIEW_APP', 'WELLVIEW_APP_VERSION']) {
      await expect(main).toContainText(new RegExp(`\\b${name}\\b`), {
        timeout: GATEWAY_TIMEOUT_MS + MARGIN_MS,
      });
    }
    expect(Date.now() - started).toBeLessThan(GATEWAY_TIMEOUT_MS + MARGIN_MS);
    await page.goto('/');
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 2, name: /Wells/ }) });
    await expect(card).toContainText(/WELLVIEW_ORG_UNIT/, { timeout: GATEWAY_TIMEOUT_MS + MARGIN_MS });
    await page.context().close();
  });
});
