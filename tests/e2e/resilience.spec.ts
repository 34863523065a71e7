import type { Page } from '@playwright/test';
import { DEFAULT_SEED } from '../../sandbox/server';
import { downloadCsv, expect, gatewayGet, sandboxWells, screenshot, test, WELLS_LIST } from './support';

const UPSTREAMS = [
  { provider: 'wellview', card: 'wells', title: 'Wells', reads: ['/api/wellview/user', WELLS_LIST] },
  { provider: 'events', card: 'events', title: 'Events', reads: [] },
  { provider: 'meti', card: 'sources', title: 'Emission sources', reads: ['/api/meti/sources'] },
] as const;

const card = (page: Page, name: string) =>
  page.getByRole('listitem').filter({ has: page.getByTestId(`${name}-connection`) });
const pageSummary = (page: Page) => page.getByRole('navigation', { name: 'Pages' });

/** Waits until the gateway's short-lived cache no longer answers for `paths` with an older success. */
async function untilGatewayAnswers(page: Page, paths: readonly string[], status: number): Promise<void> {
  for (const path of paths) {
    await expect
      .poll(async () => (await gatewayGet(page, path)).status(), {
        timeout: 20_000,
        intervals: [250, 500, 1000],
      })
      .toBe(status);
  }
}

test.describe('one provider down', () => {
  for (const down of UPSTREAMS) {
    test(`with ${down.provider} down, the overview shows the other two cards with data and this one as unavailable`, async ({
      page,
      sandbox,
    }) => {
      const upcoming = (await (
        await page.request.post('/api/events/api/1.0/event/list', {
          headers: { 'x-csrf': '1' },
          data: { OnlyUpcoming: true, PageNumber: 1, PageSize: 1 },
        })
      ).json()) as { totalCount: number };
      const counts = {
        wells: sandboxWells().visible.length,
        events: upcoming.totalCount,
        sources: DEFAULT_SEED.sources,
      };

      await sandbox.fault({ provider: down.provider, down: true });
      await untilGatewayAnswers(page, down.reads, 502);
      await page.goto('/');

      for (const other of UPSTREAMS.filter((upstream) => upstream !== down)) {
        await expect(page.getByTestId(`${other.card}-connection`)).toHaveText('Connected');
        await expect(card(page, other.card)).toContainText(counts[other.card].toLocaleString('en-US'));
      }
      const failing = card(page, down.card);
      await expect(page.getByTestId(`${down.card}-connection`)).toHaveText('Provider unavailable');
      await expect(failing).toContainText('could not be reached');
      // Plain words: no status codes, addresses, error names or JSON.
      await expect(failing).not.toContainText(/https?:|ECONN|undefined|Error:|[{}]/);
      await expect(failing.getByText('—')).toBeVisible();
      if (down.provider === 'meti') await screenshot(page, 'overview-meti-down');
    });
  }
});

test('a 429 storm on WellView reads as "busy, retrying" rather than an error, and recovers by itself', async ({
  page,
  sandbox,
}) => {
  await sandbox.fault({ provider: 'wellview', errorRate: 1, errorStatus: 429, retryAfterSeconds: 1 });
  // The gateway itself retries for a few seconds before it passes the 429 on.
  await untilGatewayAnswers(page, ['/api/wellview/user'], 429);

  await page.goto('/wells');
  const busy = page.getByRole('status').filter({ hasText: 'The service is busy — retrying automatically' });
  await expect(busy).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('This could not be loaded')).toHaveCount(0);
  // Nothing has loaded, so there is nothing to export (not an empty file that looks like "no wells").
  await expect(page.getByRole('button', { name: /CSV/ })).toBeDisabled();
  await screenshot(page, 'wells-busy');

  await page.goto('/');
  await expect(page.getByTestId('wells-connection')).toHaveText('Busy, retrying', { timeout: 20_000 });
  await expect(page.getByTestId('sources-connection')).toHaveText('Connected');
  await expect(page.getByTestId('events-connection')).toHaveText('Connected');

  await sandbox.clearFaults();
  await expect(page.getByTestId('wells-connection')).toHaveText('Connected', { timeout: 20_000 });
  await expect(card(page, 'wells')).toContainText(String(sandboxWells().visible.length));
});

test('5,000 wells: the table stays paged, sorts, and typing a search filters it', async ({
  page,
  sandbox,
}) => {
  const { visible } = sandboxWells(5000);
  await sandbox.seedWells(5000);
  await expect
    .poll(async () => ((await (await gatewayGet(page, WELLS_LIST)).json()) as unknown[]).length, {
      timeout: 20_000,
    })
    .toBe(visible.length);

  await page.goto('/wells');
  const pages = Math.ceil(visible.length / 50);
  await expect(pageSummary(page)).toContainText(
    `${visible.length.toLocaleString('en-US')} wells · page 1 of ${pages}`,
  );
  const rows = page.getByRole('table', { name: 'Well headers' }).locator('tbody tr');
  await expect(rows).toHaveCount(50);
  await screenshot(page, 'wells-5000');

  // Watch the main thread while typing, one key at a time.
  await page.evaluate(() => {
    const durations: number[] = [];
    (window as unknown as { longTasks: number[] }).longTasks = durations;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) durations.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
  const search = page.getByRole('searchbox', { name: /Search/ });
  const expected = visible.filter((well) =>
    [well.wellname, well.wellida, well.operator, well.fieldname].join(' ').toLowerCase().includes('bison 1'),
  );
  const started = Date.now();
  await search.pressSequentially('bison 1', { delay: 80 });
  await expect(search).toHaveValue('bison 1');
  await expect(pageSummary(page)).toContainText(`${expected.length.toLocaleString('en-US')} wells`);
  const elapsed = Date.now() - started;
  const longest = Math.max(
    0,
    ...(await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks)),
  );
  test
    .info()
    .annotations.push({
      type: 'performance',
      description: `typed 7 keys and filtered 5,000 wells in ${elapsed} ms; longest main-thread task ${Math.round(longest)} ms`,
    });
  expect(elapsed).toBeLessThan(5_000);
  expect(longest).toBeLessThan(1_000);
  await expect(rows).toHaveCount(Math.min(50, expected.length));
  await expect(page).toHaveURL(/[?&]q=bison\+1(&|$)/);

  // Sorting and jumping to the last page of the whole list stay quick too.
  await search.fill('');
  await page.getByRole('columnheader', { name: 'Spud date' }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: 'Spud date' })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await page.goto(`/wells?sort=spud&page=${pages}`);
  await expect(pageSummary(page)).toContainText(`page ${pages} of ${pages}`);
  await expect(rows).toHaveCount(visible.length - (pages - 1) * 50);
});

test('more wells than WellView answers in one call: the list reads every page, and so does the CSV', async ({
  page,
  sandbox,
}) => {
  const { visible } = sandboxWells(5600);
  expect(visible.length).toBeGreaterThan(5000);
  await sandbox.seedWells(5600);
  // WellView answers at most 5,000 well headers per call.
  await expect
    .poll(async () => ((await (await gatewayGet(page, WELLS_LIST)).json()) as unknown[]).length, {
      timeout: 20_000,
    })
    .toBe(5000);

  await page.goto('/wells?sort=uwi&dir=desc');
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText(
    `${visible.length.toLocaleString('en-US')} wells`,
  );
  const csv = await downloadCsv(page);
  expect(csv.rows).toHaveLength(visible.length);
  expect(new Set(csv.rows.map((row) => row.idwell))).toEqual(new Set(visible.map((well) => well.idwell)));
});

test('with no visible wells, /wells explains that records with sysSecurityTyp set are hidden from the API account', async ({
  page,
  sandbox,
}) => {
  await sandbox.seedWells(0);
  await expect
    .poll(async () => ((await (await gatewayGet(page, WELLS_LIST)).json()) as unknown[]).length, {
      timeout: 20_000,
    })
    .toBe(0);

  await page.goto('/wells');
  await expect(page.getByText('No wells are visible to this account')).toBeVisible();
  const explanation = page.getByText(/hides every well whose security type/);
  await expect(explanation).toContainText('sysSecurityTyp');
  await expect(explanation).toContainText('API account');
  await screenshot(page, 'wells-empty');

  // Exporting nothing still gives a CSV with its header row.
  const csv = await downloadCsv(page);
  expect(csv.filename).toMatch(/\.csv$/);
  expect(csv.header).toContain('idwell');
  expect(csv.rows).toEqual([]);

  await page.goto('/');
  await expect(page.getByTestId('wells-connection')).toHaveText('Connected');
  await expect(card(page, 'wells')).toContainText('0well headers');
});
