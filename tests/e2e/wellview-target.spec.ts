/**
 * How /wells and the overview behave for each outcome of WellView target discovery. The server
 * runs discovery while it renders the page (and honours `?target=`), so the picker and the "what
 * to configure" state come from the variant sandbox's real accounts, in the first HTML; a broken
 * answer is set in the browser, which asks itself when the server's read failed. The discovery
 * logic is tested over HTTP in tests/integration/upstreams/wellview-target.test.ts.
 */
import type { Browser, Page, Route } from '@playwright/test';
import { variantAppUrl } from '../../playwright.config';
import { WELLVIEW_TARGET } from '../../sandbox/defaults';
import { PICKER_USER, UNCONFIGURED_USER } from '../../sandbox/profiles/variant-users';
import type { DemoUser } from '../../sandbox/defaults';
import { expect, gatewayGet, signInThroughForm, test } from './support';

const demoPath = `${WELLVIEW_TARGET.orgUnit}/${WELLVIEW_TARGET.app}/${WELLVIEW_TARGET.version}`;
const rockiesPath = 'rockies-ops/wellview/11.0';

/** Answers the discovery route in the browser: resolved for the demo target, otherwise `fallback`. */
async function discoveryAnswers(page: Page, fallback: (route: Route) => Promise<void>): Promise<string[]> {
  const asked: string[] = [];
  await page.route('**/api/targets/wellview*', async (route) => {
    const chosen = new URL(route.request().url()).searchParams.get('target');
    asked.push(chosen ?? '');
    if (chosen === demoPath)
      return route.fulfill({ json: { status: 'resolved', source: 'chosen', target: { ...WELLVIEW_TARGET, path: demoPath } } });
    return fallback(route);
  });
  return asked;
}

/** A variant-profile account signed in through the form, on `path`. */
async function variantPage(browser: Browser, user: DemoUser, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: variantAppUrl, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(path);
  await signInThroughForm(page, user);
  return page;
}

test('several targets: the server renders the picker, the user picks with the keyboard, and the pick is kept in the URL and for the next visit', async ({
  browser,
}) => {
  const page = await variantPage(browser, PICKER_USER, '/wells');
  // The picker is in the first HTML: the server asked /user and did not guess.
  const html = await (await page.request.get('/wells')).text();
  expect(html).toContain('Choose where to read wells');
  const asked: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/api/targets/wellview') asked.push(url.searchParams.get('target') ?? '');
  });
  await page.goto('/wells');
  const picker = page.getByRole('form', { name: 'Choose where to read wells' });
  await expect(picker).toBeVisible();
  // The toolbar is there, with nothing to export yet.
  await expect(page.getByRole('button', { name: /CSV/ })).toBeDisabled();

  const orgUnit = picker.getByLabel('Org unit');
  await orgUnit.focus();
  await orgUnit.selectOption('rockies-ops');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(picker.getByRole('button', { name: 'Use this' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(new RegExp(`[?&]target=${encodeURIComponent(rockiesPath)}`));
  const rows = page.getByRole('table', { name: 'Well headers' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  // Links to a well keep the pick.
  await expect(rows.first().getByRole('link').first()).toHaveAttribute(
    'href',
    new RegExp(`\\?target=${encodeURIComponent(rockiesPath)}$`),
  );
  // A link with the pick is rendered with rows by the server.
  expect(await (await page.request.get(`/wells?target=${encodeURIComponent(rockiesPath)}`)).text()).toMatch(/<tbody[^>]*>\s*<tr/);

  // A later visit without the query uses the stored preference.
  await page.goto('/wells');
  await expect(rows.first()).toBeVisible();
  expect(asked.at(-1)).toBe(rockiesPath);
  await page.context().close();
});

test('nothing usable: /wells and the overview name the three variables and what /user reported', async ({ browser }) => {
  const page = await variantPage(browser, UNCONFIGURED_USER, '/wells');
  const alert = page.getByRole('alert').filter({ hasText: 'WellView did not say where to read wells' });
  await expect(alert).toContainText('WELLVIEW_ORG_UNIT');
  await expect(alert).toContainText('WELLVIEW_APP');
  await expect(alert).toContainText('WELLVIEW_APP_VERSION');
  await expect(alert).toContainText(/reported: .*orgUnits/);
  expect(await (await page.request.get('/wells')).text()).toContain('WellView did not say where to read wells');

  await page.goto('/');
  await expect(page.getByTestId('wells-connection')).toHaveText('Not configured');
  await expect(page.getByRole('listitem').filter({ hasText: 'WELLVIEW_APP_VERSION' })).toBeVisible();
  await page.context().close();
});

test('a discovery answer that is a web page ends in an error that says so, not in waiting', async ({
  page,
  sandbox,
}) => {
  await discoveryAnswers(page, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><title>Maintenance</title>',
    }),
  );
  // The server's own discovery fails too (and the gateway's cache holds that answer), so the
  // page arrives without a target and the browser asks, getting the web page.
  await sandbox.fault({ provider: 'wellview', malformedBody: true });
  await gatewayGet(page, '/api/wellview/user', { fresh: true });
  await page.goto('/wells');
  await expect(page.getByRole('alert').filter({ hasText: 'This could not be loaded' })).toContainText(
    'WellView answered with a web page ("Maintenance")',
    { timeout: 5_000 },
  );
  await page.goto('/');
  await expect(page.getByTestId('wells-connection')).toHaveText('Provider unavailable', { timeout: 5_000 });
});
