/**
 * Pages render in the user's locale and time zone without a hydration mismatch. The server formats
 * in the locale of `Accept-Language` and the zone of the `tz` cookie (UTC without it), the
 * hydrating render repeats exactly that, and only then does the browser switch to its own
 * setting, and it stores its zone in `tz` so the next page arrives in it from the start. Before
 * this, every browser that was not en-US in UTC got React error #418 and lost the server's HTML.
 */
import type { Page } from '@playwright/test';
import { knownValues } from '../../sandbox/profiles/known-values';
import { expect, test } from './support';

const known = knownValues();

interface Setting {
  locale: string;
  timeZone: string;
}

/** The browser's own setting, which the page must end up formatting in. */
async function browserSetting(page: Page): Promise<Setting> {
  return page.evaluate(() => {
    const { locale, timeZone } = Intl.DateTimeFormat().resolvedOptions();
    return { locale, timeZone };
  });
}

/** The texts a page should show for the known records, formatted as lib/format.ts does. */
function expectedTexts({ locale, timeZone }: Setting) {
  const number = (value: number, digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  // An instant (the sandbox sends ISO date-times) is shown on the user's own calendar and clock.
  const day = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(iso));
  const dayAndTime = (iso: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
  return {
    spud: day(known.well.spudDate),
    totalDepth: number(known.well.totalDepth, 2),
    eventStart: dayAndTime(known.event.startDate),
    co2eCell: number(known.source.co2e, 0),
    co2eField: number(known.source.co2e, 2),
  };
}

type Expected = ReturnType<typeof expectedTexts>;

/** A cell of a row, by its column's header. */
async function cellUnder(page: Page, rowHref: string, header: RegExp) {
  const table = page.locator('main table');
  await expect(table.locator('thead th').filter({ hasText: header }).first()).toBeVisible();
  const headers = (await table.locator('thead th').allInnerTexts()).map((text) => text.trim());
  const index = headers.findIndex((text) => header.test(text));
  expect(index, `a column headed ${header} among ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(0);
  return table.locator('tbody tr').filter({ has: page.locator(`a[href="${rowHref}"]`) }).locator(':scope > td').nth(index);
}

/** A labelled field's value on a detail page. */
function fieldValue(page: Page, label: RegExp) {
  return page.locator('dt').filter({ hasText: label }).first().locator('xpath=following-sibling::*[1]');
}

const PAGES: { path: string; check: (page: Page, expected: Expected) => Promise<void>; shows: (expected: Expected) => string[] }[] = [
  {
    path: '/',
    check: async (page) => {
      await expect(page.getByTestId('wells-connection')).toHaveText('Connected');
      await expect(page.getByTestId('events-connection')).toHaveText('Connected');
    },
    shows: () => [],
  },
  {
    path: `/wells?q=${encodeURIComponent(known.well.uwi)}`,
    check: async (page, expected) => {
      await expect(await cellUnder(page, `/wells/${known.well.id}`, /^Spud/)).toHaveText(expected.spud);
    },
    shows: (expected) => [expected.spud],
  },
  {
    path: `/events?q=${encodeURIComponent(known.event.name)}`,
    check: async (page, expected) => {
      await expect(await cellUnder(page, `/events/${known.event.id}`, /^Starts/)).toHaveText(expected.eventStart);
    },
    shows: (expected) => [expected.eventStart],
  },
  {
    path: `/sources?q=${encodeURIComponent(known.source.name)}`,
    check: async (page, expected) => {
      await expect(await cellUnder(page, `/sources/${known.source.id}`, /^CO₂e/)).toHaveText(expected.co2eCell);
    },
    shows: (expected) => [expected.co2eCell],
  },
  {
    path: `/wells/${encodeURIComponent(known.well.id)}`,
    check: async (page, expected) => {
      await expect(fieldValue(page, /^Spud/)).toHaveText(expected.spud);
      await expect(fieldValue(page, /^Total depth/)).toHaveText(expected.totalDepth);
    },
    shows: (expected) => [expected.spud, expected.totalDepth],
  },
  {
    path: `/events/${encodeURIComponent(known.event.id)}`,
    check: async (page, expected) => {
      await expect(fieldValue(page, /^Starts/)).toHaveText(expected.eventStart);
    },
    shows: (expected) => [expected.eventStart],
  },
  {
    path: `/sources/${encodeURIComponent(known.source.id)}`,
    check: async (page, expected) => {
      await expect(fieldValue(page, /^CO₂/)).toHaveText(expected.co2eField);
    },
    shows: (expected) => [expected.co2eField],
  },
];

/** Collects what the page reports about hydration: React's #418 and any "hydration" message. */
function watchHydration(page: Page): string[] {
  const problems: string[] = [];
  const note = (text: string) => {
    if (/hydrat|#418|errors\/418|did not match|server rendered html/i.test(text)) problems.push(text.slice(0, 300));
  };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') note(message.text());
  });
  page.on('pageerror', (error) => note(`${error.message}\n${error.stack ?? ''}`));
  return problems;
}

/** Opens a page, waits for it to hydrate and settle, and answers its server HTML. */
async function open(page: Page, path: string): Promise<string> {
  const response = await page.goto(path, { waitUntil: 'networkidle' });
  expect(response?.status()).toBe(200);
  // Hydration (and the browser's own setting after it) has run by now; give React a moment more.
  await page.waitForTimeout(300);
  return (await response?.text()) ?? '';
}

const SETTINGS = [
  { name: 'German locale', use: { locale: 'de-DE' } },
  { name: 'Chicago time zone', use: { timezoneId: 'America/Chicago' } },
  { name: 'German locale in Tokyo', use: { locale: 'de-DE', timezoneId: 'Asia/Tokyo' } },
];

for (const setting of SETTINGS) {
  test.describe(setting.name, () => {
    test.use(setting.use);

    for (const { path, check, shows } of PAGES) {
      test(`${path}: no hydration error, and the browser's locale and zone in the end and on the next load`, async ({ page, context }) => {
        const problems = watchHydration(page);
        // First visit: no `tz` cookie yet, so the server renders in UTC and the browser switches after hydrating.
        await open(page, path);
        const own = await browserSetting(page);
        const expected = expectedTexts(own);
        await check(page, expected);
        expect(problems, 'hydration problems on the first visit').toEqual([]);
        await expect(page.locator('html')).toHaveAttribute('lang', own.locale);
        const tz = (await context.cookies()).find((cookie) => cookie.name === 'tz');
        expect(tz?.value, 'the browser stores its time zone for the server').toBe(own.timeZone);
        expect(tz?.path).toBe('/');

        // Next visit: the server already renders in the user's locale and zone.
        const html = await open(page, path);
        for (const text of shows(expected)) expect(html, `the server's HTML shows ${text}`).toContain(text);
        await check(page, expected);
        expect(problems, 'hydration problems on the second visit').toEqual([]);
      });
    }

    if (setting.use.locale === 'de-DE') {
      test('numbers and dates read German (grouping with ".", day-first dates)', async ({ page }) => {
        await open(page, `/sources/${encodeURIComponent(known.source.id)}`);
        // CO₂e is above a thousand in the seed: German groups it with a dot.
        expect(known.source.co2e).toBeGreaterThan(1000);
        await expect(fieldValue(page, /^CO₂/)).toHaveText(/^\d{1,3}(\.\d{3})+(,\d+)?$/);
        await open(page, `/wells/${encodeURIComponent(known.well.id)}`);
        await expect(fieldValue(page, /^Total depth/)).toHaveText(/^\d{1,3}(\.\d{3})+(,\d+)?$/);
        await expect(fieldValue(page, /^Spud/)).toHaveText(/^\d{2}\.\d{2}\.\d{4}$/);
      });
    }
  });
}

test.describe('a tz cookie the browser does not agree with', () => {
  test.use({ timezoneId: 'America/Chicago' });

  for (const value of ['Not/AZone', 'Asia/Tokyo', 'x'.repeat(300)]) {
    test(`${value.slice(0, 20)}: ignored or replaced without an error, then the browser's zone`, async ({ page, context, baseURL }) => {
      await context.addCookies([{ name: 'tz', value, url: baseURL as string }]);
      const problems = watchHydration(page);
      await open(page, `/events/${encodeURIComponent(known.event.id)}`);
      const expected = expectedTexts(await browserSetting(page));
      await expect(fieldValue(page, /^Starts/)).toHaveText(expected.eventStart);
      expect(problems).toEqual([]);
      const tz = (await context.cookies()).find((cookie) => cookie.name === 'tz');
      expect(tz?.value).toBe('America/Chicago');
    });
  }
});
