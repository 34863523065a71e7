/**
 * First data on screen (`npm run bench -- pages`), in Chromium against the sandbox: for each page,
 * signed in, warm server, a new tab each run: the time from navigation start to the first data
 * row visible, and whether the first HTML already held rows; and what a page view costs in
 * WellView calls with the gateway's response cache cold and warm.
 */
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { Agent, request } from 'undici';
import { knownValues } from '../sandbox/profiles/known-values';
import { CHROMIUM, signIn } from './pages';

/** One page and how its first data shows: in the DOM (`selector` + text) and in the HTML. */
interface PageProbe {
  label: string;
  path: string;
  /** The first data row: an element matching this, with text matching `text` when given. */
  selector: string;
  text?: string;
  /** The same data in the server's HTML. */
  html: RegExp;
}

export interface FirstRowFigures {
  label: string;
  path: string;
  runs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  htmlHeldRows: boolean;
  htmlKb: number;
}

export interface WellviewCallFigures {
  label: string;
  cold: number;
  warm: number;
}

const RUNS = 5;
const ROW = 'main table tbody tr';
const ROW_HTML = /<tbody[^>]*>\s*<tr/;

function probes(): PageProbe[] {
  const known = knownValues();
  return [
    { label: 'overview', path: '/', selector: 'main li p[aria-live]', text: '\\d', html: /aria-live="polite">[\d,.\s]+</ },
    { label: 'wells', path: '/wells', selector: ROW, html: ROW_HTML },
    { label: 'events', path: '/events', selector: ROW, html: ROW_HTML },
    { label: 'sources', path: '/sources', selector: ROW, html: ROW_HTML },
    { label: 'a well', path: `/wells/${encodeURIComponent(known.well.id)}`, selector: 'main h1', html: /<h1[^>]*>[^<]*\d/ },
    { label: 'an event', path: `/events/${encodeURIComponent(known.event.id)}`, selector: 'main h1', html: /<h1[^>]*>[^<]+</ },
    { label: 'a source', path: `/sources/${encodeURIComponent(known.source.id)}`, selector: 'main h1', html: /<h1[^>]*>[^<]+</ },
  ];
}

/**
 * Runs before the page's own scripts: watches the DOM as the parser and React build it, and keeps
 * the time of the first animation frame after a matching element is in the page and not hidden
 * (streamed content waits in a hidden container until React moves it into place). Plain
 * JavaScript text: tsx would add helpers to a compiled function that the page does not have.
 */
function firstRowWatcher(probe: { selector: string; text?: string }): string {
  return `(() => {
    const selector = ${JSON.stringify(probe.selector)};
    const pattern = ${probe.text ? `new RegExp(${JSON.stringify(probe.text)})` : 'null'};
    const observer = new MutationObserver(() => {
      if (window.__firstRowMs !== undefined) return;
      const found = Array.from(document.querySelectorAll(selector)).some(
        (element) => element.isConnected && !element.closest('[hidden]') && (!pattern || pattern.test(element.textContent || '')),
      );
      if (!found) return;
      observer.disconnect();
      requestAnimationFrame(() => { window.__firstRowMs = performance.now(); });
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  })();`;
}

async function timeFirstRow(context: BrowserContext, appUrl: string, probe: PageProbe): Promise<number> {
  const page = await context.newPage();
  try {
    await page.addInitScript(firstRowWatcher(probe));
    await page.goto(`${appUrl}${probe.path}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { __firstRowMs?: number }).__firstRowMs !== undefined, undefined, {
      timeout: 30_000,
      polling: 50,
    });
    return await page.evaluate(() => (window as unknown as { __firstRowMs: number }).__firstRowMs);
  } finally {
    await page.close();
  }
}

async function firstHtml(appUrl: string, path: string, cookie: string): Promise<string> {
  const agent = new Agent({ connections: 1 });
  try {
    const response = await request(`${appUrl}${path}`, { headers: { cookie }, dispatcher: agent });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}`);
    return text;
  } finally {
    await agent.close();
  }
}

const median = (sorted: number[]) => ((sorted[(sorted.length - 1) >> 1] as number) + (sorted[sorted.length >> 1] as number)) / 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `wellviewCalls()` reads the sandbox's count of WellView answers since `resetStats()`.
 * `cacheTtlMs` is the gateway's response-cache lifetime: waiting past it makes the cache cold.
 */
export async function measureFirstPaint(
  appUrl: string,
  sandbox: { resetStats(): Promise<void>; wellviewCalls(): Promise<number> },
  cacheTtlMs: number,
  options: { pagesOnly?: boolean; countingUrl?: string } = {},
): Promise<{ pages: FirstRowFigures[]; wellview: WellviewCallFigures[] }> {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const context = await browser.newContext();
    const signInPage = await context.newPage();
    await signIn(signInPage, appUrl);
    await signInPage.close();
    const cookie = (await context.cookies(appUrl)).map((c) => `${c.name}=${c.value}`).join('; ');

    const pages: FirstRowFigures[] = [];
    for (const probe of probes()) {
      // Warm server (and browser cache): one load first, not counted.
      await timeFirstRow(context, appUrl, probe);
      const runs: number[] = [];
      for (let run = 0; run < RUNS; run += 1) runs.push(await timeFirstRow(context, appUrl, probe));
      const sorted = [...runs].sort((a, b) => a - b);
      const html = await firstHtml(appUrl, probe.path, cookie);
      pages.push({
        label: probe.label,
        path: probe.path,
        runs,
        medianMs: median(sorted),
        minMs: sorted[0] as number,
        maxMs: sorted[sorted.length - 1] as number,
        htmlHeldRows: probe.html.test(html),
        htmlKb: Buffer.byteLength(html) / 1024,
      });
    }

    if (options.pagesOnly) return { pages, wellview: [] };
    // WellView calls per page view: a full load in a new tab, until the network is idle (so any
    // fetch after hydration counts too); cold = past the cache lifetime, warm = again at once.
    const known = knownValues();
    const views: { label: string; paths: string[] }[] = [
      { label: 'overview', paths: ['/'] },
      { label: 'wells', paths: ['/wells'] },
      { label: 'a well', paths: [`/wells/${encodeURIComponent(known.well.id)}`] },
      { label: 'overview, then wells', paths: ['/', '/wells'] },
    ];
    // On an instance of its own (a response cache long enough for the warm figure), signed in too.
    const countingUrl = options.countingUrl ?? appUrl;
    const counting = countingUrl === appUrl ? context : await browser.newContext();
    if (counting !== context) {
      const page = await counting.newPage();
      await signIn(page, countingUrl);
      await page.close();
    }
    const load = async (path: string) => {
      const page = await counting.newPage();
      await page.goto(`${countingUrl}${path}`, { waitUntil: 'networkidle' });
      await page.close();
    };
    const wellview: WellviewCallFigures[] = [];
    for (const view of views) {
      await sleep(cacheTtlMs + 1000);
      await sandbox.resetStats();
      for (const path of view.paths) await load(path);
      const cold = await sandbox.wellviewCalls();
      await sandbox.resetStats();
      for (const path of view.paths) await load(path);
      const warm = await sandbox.wellviewCalls();
      wellview.push({ label: view.label, cold, warm });
    }
    return { pages, wellview };
  } finally {
    await browser.close();
  }
}
