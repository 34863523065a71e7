/**
 * Shared pieces of the page specs: a signed-in browser state (signed in once per worker, through
 * the sandbox's real form), sandbox controls that undo themselves after each test, CSV downloads,
 * axe scans and screenshots.
 */
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { appUrl, sandboxUrl } from '../../playwright.config';
import { DEMO_USERS, WELLVIEW_TARGET, type DemoUser } from '../../sandbox/defaults';
import { seedWells, type WellRecord } from '../../sandbox/seed';
import { DEFAULT_SEED } from '../../sandbox/server';

export { expect };

export const regularUser = DEMO_USERS.find((user) => !user.admin) as DemoUser;

/** Signs in from a signed-out page through the dashboard's login page and the sandbox's form. */
export async function signInThroughForm(page: Page, user: DemoUser = regularUser): Promise<void> {
  await expect(page).toHaveURL(/\/login\?returnTo=/);
  await page.getByRole('link', { name: 'Sign in with Peloton' }).click();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('user-name')).toHaveText(user.name);
}

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

export interface SandboxControls {
  fault(fault: Record<string, unknown>): Promise<void>;
  /** Clears every fault now (the fixture also does it after the test). */
  clearFaults(): Promise<void>;
  seedWells(count: number): Promise<void>;
}

/** The first page of well headers, as the pages ask for it (so it shares their gateway cache entry). */
export const WELLS_LIST = `/api/wellview/${WELLVIEW_TARGET.orgUnit}/${WELLVIEW_TARGET.app}/${WELLVIEW_TARGET.version}/wellheader/data?limit=5000&offset=0`;

/**
 * GETs through the dashboard's gateway with the page's session. `fresh` bypasses the gateway's
 * short-lived response cache (and refreshes it), as `Cache-Control: no-cache` does for any client.
 */
export async function gatewayGet(page: Page, path: string, options: { fresh?: boolean } = {}) {
  return page.request.get(path, {
    headers: { 'x-csrf': '1', ...(options.fresh ? { 'cache-control': 'no-cache' } : {}) },
  });
}

async function control(path: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${sandboxUrl}/__sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`Sandbox ${path} answered ${response.status}: ${await response.text()}`);
}

export const test = base.extend<{ sandbox: SandboxControls }, { signedInState: StorageState }>({
  signedInState: [
    async ({ browser }, provide) => {
      const context = await browser.newContext({ baseURL: appUrl });
      const page = await context.newPage();
      await page.goto('/');
      await signInThroughForm(page);
      const state = await context.storageState();
      await context.close();
      await provide(state);
    },
    { scope: 'worker' },
  ],
  storageState: async ({ signedInState }, provide) => provide(signedInState),
  sandbox: async ({ page }, provide) => {
    let seeded = false;
    let faulted = false;
    await provide({
      async fault(fault) {
        faulted = true;
        await control('/faults', fault);
      },
      async clearFaults() {
        await control('/reset');
      },
      async seedWells(count) {
        seeded = true;
        await control('/seed', { wells: count });
      },
    });
    // Undo whatever the test changed, so every test starts from the same sandbox.
    if (faulted) await control('/reset');
    if (seeded) {
      await control('/seed', { wells: DEFAULT_SEED.wells });
      // The gateway may still hold this user's answer from the changed seed for a few seconds.
      expect((await gatewayGet(page, WELLS_LIST, { fresh: true })).status()).toBe(200);
    }
  },
});

/** The wells the sandbox's WellView shows (its default seed, minus the restricted ones). */
export function sandboxWells(count: number = DEFAULT_SEED.wells): {
  visible: WellRecord[];
  restricted: WellRecord[];
} {
  const all = seedWells(count);
  return {
    visible: all.filter((well) => well.sysSecurityTyp === null),
    restricted: all.filter((well) => well.sysSecurityTyp !== null),
  };
}

/** Parses RFC 4180 CSV (quoted cells may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

export interface CsvFile {
  filename: string;
  header: string[];
  rows: Record<string, string>[];
}

/** Clicks the export control, waits for the download and reads it as CSV. */
export async function downloadCsv(page: Page): Promise<CsvFile> {
  const control = page.getByRole('button', { name: /CSV/ });
  await expect(control).toBeEnabled();
  const [download] = await Promise.all([page.waitForEvent('download'), control.click()]);
  const path = await download.path();
  const [header = [], ...lines] = parseCsv(await readFile(path, 'utf8'));
  const rows = lines.map((cells) =>
    Object.fromEntries(header.map((name, index) => [name, cells[index] ?? ''])),
  );
  for (const cells of lines)
    expect(cells, 'every CSV line has one cell per header').toHaveLength(header.length);
  return { filename: download.suggestedFilename(), header, rows };
}

/** Asserts axe finds nothing serious or critical, in the light and the dark colour scheme. */
export async function expectAccessible(page: Page, ready: Locator): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(ready).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(' | ')}`,
      );
    expect(serious, `axe on ${page.url()} in ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

/** A full-page screenshot kept as an artifact under test-results/ (never committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}
