/**
 * How /wells and the overview behave for each outcome of WellView target discovery. The server's
 * discovery itself is tested over HTTP in tests/integration/upstreams/wellview-target.test.ts;
 * here its answer is set per test, so the picker, the "what to configure" state and a broken
 * answer can be seen in the browser with the sandbox's real wells behind them.
 */
import type { Page, Route } from '@playwright/test';
import { WELLVIEW_TARGET } from '../../sandbox/defaults';
import { expect, sandboxWells, test } from './support';

const demoPath = `${WELLVIEW_TARGET.orgUnit}/${WELLVIEW_TARGET.app}/${WELLVIEW_TARGET.version}`;
const demo = { ...WELLVIEW_TARGET, path: demoPath, orgUnitLabel: 'Demo Operating Company' };
const other = {
  orgUnit: 'north-unit',
  app: WELLVIEW_TARGET.app,
  version: WELLVIEW_TARGET.version,
  path: `north-unit/${WELLVIEW_TARGET.app}/${WELLVIEW_TARGET.version}`,
};

/** Answers the discovery route: resolved for a valid pick, otherwise `fallback`. */
async function discoveryAnswers(page: Page, fallback: (route: Route) => Promise<void>): Promise<string[]> {
  const asked: string[] = [];
  await page.route('**/api/targets/wellview*', async (route) => {
    const chosen = new URL(route.request().url()).searchParams.get('target');
    asked.push(chosen ?? '');
    if (chosen === demoPath)
      return route.fulfill({ json: { status: 'resolved', source: 'chosen', target: demo } });
    return fallback(route);
  });
  return asked;
}

test('several targets: the user picks with the keyboard, and the pick is kept in the URL and for the next visit', async ({
  page,
}) => {
  const asked = await discoveryAnswers(page, (route) =>
    route.fulfill({ json: { status: 'choose', candidates: [other, demo] } }),
  );
  await page.goto('/wells');
  const picker = page.getByRole('form', { name: 'Choose where to read wells' });
  await expect(picker).toBeVisible();
  // The toolbar is there, with nothing to export yet.
  await expect(page.getByRole('button', { name: /CSV/ })).toBeDisabled();

  const orgUnit = picker.getByLabel('Org unit');
  await orgUnit.focus();
  await orgUnit.selectOption(WELLVIEW_TARGET.orgUnit);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(picker.getByRole('button', { name: 'Use this' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(new RegExp(`[?&]target=${encodeURIComponent(demoPath)}`));
  const rows = page.getByRole('table', { name: 'Well headers' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText(
    `${sandboxWells().visible.length} wells`,
  );
  // Links to a well keep the pick.
  await expect(rows.first().getByRole('link').first()).toHaveAttribute(
    'href',
    new RegExp(`\\?target=${encodeURIComponent(demoPath)}$`),
  );

  // A later visit without the query uses the stored preference.
  await page.goto('/wells');
  await expect(rows.first()).toBeVisible();
  expect(asked.at(-1)).toBe(demoPath);
});

test('nothing usable: /wells and the overview name the three variables and what /user reported', async ({
  page,
}) => {
  await discoveryAnswers(page, (route) =>
    route.fulfill({
      json: {
        status: 'none',
        reported: ['sub', 'email', 'tenants[].tenantName'],
        configure: ['WELLVIEW_ORG_UNIT', 'WELLVIEW_APP', 'WELLVIEW_APP_VERSION'],
        message: 'x',
      },
    }),
  );
  await page.goto('/wells');
  const alert = page.getByRole('alert').filter({ hasText: 'WellView did not say where to read wells' });
  await expect(alert).toContainText('WELLVIEW_ORG_UNIT');
  await expect(alert).toContainText('WELLVIEW_APP');
  await expect(alert).toContainText('WELLVIEW_APP_VERSION');
  await expect(alert).toContainText('sub, email, tenants[].tenantName');

  await page.goto('/');
  await expect(page.getByTestId('wells-connection')).toHaveText('Not configured');
  await expect(page.getByRole('listitem').filter({ hasText: 'WELLVIEW_APP_VERSION' })).toBeVisible();
});

test('a discovery answer that is a web page ends in an error that says so, not in waiting', async ({
  page,
}) => {
  await discoveryAnswers(page, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><title>Maintenance</title>',
    }),
  );
  await page.goto('/wells');
  await expect(page.getByRole('alert').filter({ hasText: 'This could not be loaded' })).toContainText(
    'WellView answered with a web page ("Maintenance")',
    { timeout: 5_000 },
  );
  await page.goto('/');
  await expect(page.getByTestId('wells-connection')).toHaveText('Provider unavailable', { timeout: 5_000 });
});
