import type { Locator, Page } from '@playwright/test';
import { expect, expectAccessible, sandboxWells, signInThroughForm, test } from './support';

interface Stop {
  path: string;
  ready: (page: Page) => Locator;
}

const firstRow = (caption: string) => (page: Page) =>
  page.getByRole('table', { name: caption }).locator('tbody tr').first();
const heading = (name: string | RegExp) => (page: Page) => page.getByRole('heading', { level: 1, name });
const someWell = sandboxWells().visible[0];

const STOPS: Stop[] = [
  { path: '/', ready: (page) => page.getByText('Sources by methodology') },
  { path: '/wells', ready: firstRow('Well headers') },
  { path: `/wells/${someWell?.idwell}`, ready: heading(String(someWell?.wellname)) },
  { path: '/wells/NO-SUCH-WELL', ready: (page) => page.getByText('This well was not found') },
  { path: '/events', ready: firstRow('Upcoming events') },
  { path: '/events?when=past', ready: firstRow('Past events') },
  { path: '/events/no-such-event', ready: (page) => page.getByText('Not found', { exact: true }) },
  { path: '/sources', ready: firstRow('Emission sources') },
  { path: '/sources/src_000000000000', ready: (page) => page.getByText('Not found', { exact: true }) },
];

test.describe('axe finds nothing serious, light and dark', () => {
  for (const stop of STOPS) {
    test(stop.path, async ({ page }) => {
      await page.goto(stop.path);
      await expectAccessible(page, stop.ready(page));
    });
  }

  test('the detail pages of an event and a source', async ({ page }) => {
    for (const [list, caption] of [
      ['/events', 'Upcoming events'],
      ['/sources', 'Emission sources'],
    ] as const) {
      await page.goto(list);
      const link = page.getByRole('table', { name: caption }).locator('tbody tr a').first();
      const name = (await link.textContent()) ?? '';
      await link.click();
      await expectAccessible(page, page.getByRole('heading', { level: 1, name }));
    }
  });

  test('the sign-in page', async ({ browser, baseURL }) => {
    const context = await browser.newContext({
      baseURL: baseURL as string,
      storageState: { cookies: [], origins: [] },
    });
    const page = await context.newPage();
    await page.goto('/wells');
    await expectAccessible(page, page.getByRole('link', { name: 'Sign in with Peloton' }));
    await signInThroughForm(page);
    await context.close();
  });
});

/** Tabs through the page from the top and names every control that takes the focus. */
async function tabStops(page: Page, limit: number): Promise<string[]> {
  await page.locator('body').focus();
  const stops: string[] = [];
  for (let index = 0; index < limit; index += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return '';
      const label =
        (element as HTMLInputElement).labels?.[0]?.innerText ??
        element.getAttribute('aria-label') ??
        element.innerText;
      return `${element.tagName.toLowerCase()}${element.getAttribute('type') ? `[${element.getAttribute('type')}]` : ''} ${label.trim().replace(/\s+/g, ' ')}`;
    });
    stops.push(stop);
  }
  return stops;
}

test.describe('keyboard: every list control is reachable with Tab', () => {
  test('wells', async ({ page }) => {
    await page.goto('/wells');
    await expect(firstRow('Well headers')(page)).toBeVisible();
    const stops = await tabStops(page, 30);
    for (const expected of [
      /^input\[search\] Search wells/,
      /^select Status/,
      /^select Operator/,
      /^select State/,
      /^summary Columns/,
      /^button\[button\] Export CSV/,
      /^button\[button\] Well/,
      /^button\[button\] UWI/,
      /^a /,
    ]) {
      expect(
        stops.some((stop) => expected.test(stop)),
        `${expected} among ${stops.join(' | ')}`,
      ).toBe(true);
    }
    // The pager comes after the 50 rows' links.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Next' }).focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    // A sort header works from the keyboard too.
    await page.getByRole('columnheader', { name: 'Operator' }).getByRole('button').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('columnheader', { name: 'Operator' })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
  });

  test('events', async ({ page }) => {
    await page.goto('/events');
    await expect(firstRow('Upcoming events')(page)).toBeVisible();
    const stops = await tabStops(page, 14);
    for (const expected of [
      /^input\[search\] Search events/,
      /^input\[radio\] Upcoming/,
      /^button\[button\] Export CSV/,
      /^button\[button\] Starts/,
      /^a /,
    ]) {
      expect(
        stops.some((stop) => expected.test(stop)),
        `${expected} among ${stops.join(' | ')}`,
      ).toBe(true);
    }
    // Arrow keys move within the upcoming/past radio group.
    await page.getByRole('radio', { name: 'Upcoming' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('radio', { name: 'Past' })).toBeChecked();
    await expect(page).toHaveURL(/[?&]when=past(&|$)/);
    await expect(firstRow('Past events')(page)).toBeVisible();
  });

  test('sources', async ({ page }) => {
    await page.goto('/sources');
    await expect(firstRow('Emission sources')(page)).toBeVisible();
    const stops = await tabStops(page, 20);
    for (const expected of [
      /^input\[search\] Search sources/,
      /^select Methodology/,
      /^button\[button\] Export CSV/,
      /^button\[button\] Source/,
      /^button\[button\] CO₂e/,
      /^a /,
    ]) {
      expect(
        stops.some((stop) => expected.test(stop)),
        `${expected} among ${stops.join(' | ')}`,
      ).toBe(true);
    }
  });
});
