/**
 * Page figures measured in Chromium (the same Debian Chromium the end-to-end tests drive):
 * JavaScript downloaded for the first load of /wells, the server's response time for / and
 * /wells, and how long one keystroke takes to filter 5,000 wells and paint.
 */
import { chromium, type Page } from '@playwright/test';
import { Agent, request } from 'undici';
import { DEMO_USERS } from '../sandbox/defaults';
import { DEFAULT_SEED } from '../sandbox/server';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const [, ben] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];

export interface PageFigures {
  wellsJsKbGzip: number;
  overviewP50Ms: number;
  wellsP50Ms: number;
  keystrokeP50Ms: number;
  keystrokeMaxMs: number;
  keystrokes: number;
}

/** Signs the bench's user in through the sandbox's form, landing on /wells. */
export async function signIn(page: Page, appUrl: string) {
  await page.goto(`${appUrl}/login?returnTo=%2Fwells`);
  await page.getByRole('link', { name: 'Sign in with Peloton' }).click();
  await page.getByLabel('Email').fill(ben.email);
  await page.getByLabel('Password').fill(ben.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('user-name').waitFor();
}

async function serverP50(url: string, cookie: string, count: number): Promise<number> {
  const agent = new Agent({ connections: 1 });
  const samples: number[] = [];
  for (let i = 0; i < count + 5; i += 1) {
    const started = performance.now();
    const response = await request(url, { headers: { cookie }, dispatcher: agent });
    await response.body.arrayBuffer();
    if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
    if (i >= 5) samples.push(performance.now() - started);
  }
  await agent.close();
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

export async function measurePages(appUrl: string, seedWells: (count: number) => Promise<void>): Promise<PageFigures> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, appUrl);

    // First load of /wells with an empty cache: every script's encoded (gzip) size.
    const cold = await browser.newContext({ storageState: await context.storageState() });
    const coldPage = await cold.newPage();
    let scriptBytes = 0;
    coldPage.on('requestfinished', (finished) => {
      if (finished.resourceType() !== 'script') return;
      void finished.sizes().then((sizes) => (scriptBytes += sizes.responseBodySize));
    });
    await coldPage.goto(`${appUrl}/wells`, { waitUntil: 'networkidle' });
    await coldPage.waitForTimeout(500);
    await cold.close();

    const cookie = (await context.cookies(appUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
    const overviewP50Ms = await serverP50(`${appUrl}/`, cookie, 60);
    const wellsP50Ms = await serverP50(`${appUrl}/wells`, cookie, 60);

    // 5,000 wells; each keystroke timed from its input event to the next frame after the view
    // (table, count, plot) changed. The input itself also changes the DOM, so wait for a change
    // outside the search box.
    await seedWells(5000);
    // The gateway may still hold the 600-well answer for its cache lifetime (5 s).
    await page.waitForTimeout(6000);
    await page.goto(`${appUrl}/wells`);
    // About 8 % of seeded wells are hidden by their security type: wait for a four-digit count.
    await page.getByRole('navigation', { name: 'Pages' }).getByText(/\d,\d{3} wells/).waitFor({ timeout: 60_000 });
    const search = page.getByRole('searchbox', { name: /search/i });
    await page.evaluate(() => {
      const w = window as unknown as { __keystrokes: number[]; __pending: number | null };
      w.__keystrokes = [];
      w.__pending = null;
      const input = document.querySelector('input[type="search"]') as HTMLInputElement;
      input.addEventListener('input', (event) => {
        w.__pending = event.timeStamp;
      });
      new MutationObserver((mutations) => {
        if (mutations.every((mutation) => mutation.target === input)) return;
        const started = w.__pending;
        if (started === null) return;
        w.__pending = null;
        requestAnimationFrame(() => setTimeout(() => w.__keystrokes.push(performance.now() - started), 0));
      }).observe(document.querySelector('main') as HTMLElement, { childList: true, subtree: true, characterData: true, attributes: true });
    });
    for (const key of 'mustang 1') {
      await search.press(key === ' ' ? 'Space' : key);
      await page.waitForTimeout(400);
    }
    const keystrokes = (await page.evaluate(() => (window as unknown as { __keystrokes: number[] }).__keystrokes)).sort((a, b) => a - b);
    await seedWells(DEFAULT_SEED.wells);
    return {
      wellsJsKbGzip: scriptBytes / 1024,
      overviewP50Ms,
      wellsP50Ms,
      keystrokeP50Ms: keystrokes[Math.floor(keystrokes.length / 2)] ?? Number.NaN,
      keystrokeMaxMs: keystrokes[keystrokes.length - 1] ?? Number.NaN,
      keystrokes: keystrokes.length,
    };
  } finally {
    await browser.close();
  }
}
