/**
 * The wells map's cost with 5,000 wells, two ways:
 * - in Chromium against the sandbox (cold tab, warm server): each keystroke in the wells search
 *   timed from its key event to the frame painted after the last change it caused in the page
 *   (the search's results: table, count and map, outlines included, however many deferred renders
 *   that takes), typing two names and deleting them back to all 5,000 wells (see `keys`).
 *   After each keystroke the bench checks that the page shows that search's result (the count
 *   under the table and the map's count match the seeded wells), so a figure never times a
 *   frame that still showed an older result;
 * - in Node, without a browser: the map's own work for 5,000 points (placing, fitting,
 *   clustering, rendering its markup) and drawing the outlines for a new extent.
 */
import { writeFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { chromium } from '@playwright/test';
import { AppRouterContext, type AppRouterInstance } from 'next/dist/shared/lib/app-router-context.shared-runtime';
import { WellsMap } from '../components/wells/wells-map';
import { loadAtlas, outlinePaths } from '../lib/map/atlas';
import { clusterPoints, extentOf, fitProjection, placeable, snapExtent, type GeoBox, type MapPoint } from '../lib/map/geometry';
import { seedWells } from '../sandbox/seed';
import { DEFAULT_SEED } from '../sandbox/server';
import { CHROMIUM, signIn } from './pages';

export interface MapKeystrokeFigures {
  /** Key event to the frame painted after the search's result (table and map) was in the page. */
  p50Ms: number;
  maxMs: number;
  samples: number;
  /**
   * Key event to the next paint after its handlers (Event Timing, slowest keystroke): how long
   * the search box itself took to answer. Event Timing reports nothing under 16 ms: 16 means "under 16".
   */
  inputMaxMs: number;
  /** Keystrokes whose own handling took 16 ms or more. */
  slowInputs: number;
  /** Keystrokes typed; `samples` of them changed the result (a trailing space does not). */
  typed: number;
  /** Requests the page sent while typing. */
  requests: number;
  /** Every sample, in typing order, with its search text. */
  keystrokes: { text: string; ms: number }[];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

/** How many seeded wells the app should list, and place on the map, for a search (the app's haystack: name, UWI, operator, field, id). */
function expectedCounts(count: number, text: string): { total: number; placed: number } {
  const needle = text.trim().toLowerCase();
  const matching = seedWells(count)
    .filter((well) => well.sysSecurityTyp === null)
    // The app searches these fields joined by spaces (lib/upstreams/wellview/wells.ts), so a search may span two.
    .filter((well) => [well.wellname, well.wellida, well.operator, well.fieldname, well.idwell].filter(Boolean).join(' ').toLowerCase().includes(needle));
  const placed = matching.filter(
    (well) => typeof well.latitude === 'number' && typeof well.longitude === 'number' && Math.abs(well.latitude) <= 90 && Math.abs(well.longitude) <= 180,
  );
  return { total: matching.length, placed: placed.length };
}

/**
 * Keystroke to painted result, 5,000 wells, in Chromium. `seed` reseeds the sandbox's WellView.
 * With `tracePath`, a Chromium performance trace of the typing is written there (see bench/trace-summary.ts);
 * with `cpuProfilePath`, a sampled CPU profile of it (a `.cpuprofile`, for DevTools).
 */
export async function measureMapKeystrokes(
  appUrl: string,
  seed: (count: number) => Promise<void>,
  options: { tracePath?: string; cpuProfilePath?: string } = {},
): Promise<MapKeystrokeFigures> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, appUrl);
    await seed(5000);
    // The gateway may still hold the smaller answer for its cache lifetime (5 s).
    await page.waitForTimeout(6000);
    await page.goto(`${appUrl}/wells`);
    await page.getByTestId('wells-map-count').getByText(/Map of \d,\d{3} filtered/).waitFor({ timeout: 60_000 });
    // Outlines are loaded when the map nears the viewport; scroll to it and wait, so they are part of what is timed.
    await page.getByTestId('wells-map-count').scrollIntoViewIfNeeded();
    await page.locator('path[data-outline="states"][d^="M"]').waitFor({ state: 'attached', timeout: 30_000 });
    await page.evaluate(() => {
      type Sample = { start: number; painted: number | null; lastChange: number | null };
      const w = window as unknown as { __samples: Sample[]; __current: Sample | null; __input: { id: number; duration: number }[] };
      w.__samples = [];
      w.__current = null;
      w.__input = [];
      const input = document.querySelector('input[type="search"]') as HTMLInputElement;
      // The key event starts a sample (its timestamp is when the key was pressed, before any handler ran).
      document.addEventListener(
        'keydown',
        (event) => {
          if (event.target !== input) return;
          w.__current = { start: event.timeStamp, painted: null, lastChange: null };
          w.__samples.push(w.__current);
        },
        true,
      );
      // Every change in the page outside the box itself (table, count, map, outlines) moves the
      // sample's end to the frame painted after it: the last one is when the whole result showed.
      // (No named helper functions in here: the bundler's name helper does not exist in the page.)
      new MutationObserver((mutations) => {
        const sample = w.__current;
        if (!sample || mutations.every((mutation) => mutation.target === input)) return;
        sample.lastChange = performance.now();
        requestAnimationFrame(() =>
          setTimeout(() => {
            sample.painted = Math.max(sample.painted ?? 0, performance.now());
          }, 0),
        );
      }).observe(document.querySelector('main') as HTMLElement, { childList: true, subtree: true, characterData: true, attributes: true });
      // Event Timing: the key's own handlers to the next paint (entries under 16 ms are not reported).
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { interactionId?: number })[]) {
          if (entry.interactionId) w.__input.push({ id: entry.interactionId, duration: entry.duration });
        }
      }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
    });
    const search = page.getByRole('searchbox', { name: /search/i });
    await search.focus();
    // Two names typed and deleted: a lease across every basin (the view keeps its fit, the wells
    // change) and a basin (the view refits to it, new outlines are drawn, and "bakken 2" matches
    // nothing, so the map goes and comes back).
    const keys = ['mustang 1', 'bakken x'].flatMap((name) => {
      const typed = [...name].map((key) => (key === ' ' ? 'Space' : key));
      return [...typed, ...typed.map(() => 'Backspace')];
    });
    if (options.tracePath) await browser.startTracing(page, { path: options.tracePath, screenshots: false });
    // A sampled CPU profile of the typing (function names show in a build made without minifying).
    const cdp = options.cpuProfilePath ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const keystrokes: { text: string; ms: number }[] = [];
    // Requests the page makes while typing (link prefetches of the rows shown, mostly): they compete with the rendering.
    let requests = 0;
    page.on('request', () => (requests += 1));
    let typedText = '';
    for (const key of keys) {
      typedText = key === 'Backspace' ? typedText.slice(0, -1) : typedText + (key === 'Space' ? ' ' : key);
      // Keys go to the focused box: a locator action (`search.press`) would look the box up by its
      // role before each key, and reading its value right after the key (`search.inputValue()`) runs
      // that lookup, a walk of the whole page's ARIA tree, on the main thread inside the timed
      // window, between the deferred render's slices. The value is read once the page has settled.
      await page.keyboard.press(key);
      // Settled: at least 400 ms after the key and 300 ms without a change in the page.
      await page.waitForTimeout(400);
      await page.waitForFunction(
        () => {
          const sample = (window as unknown as { __current: { lastChange: number | null; painted: number | null } | null }).__current;
          return sample !== null && (sample.lastChange === null || (sample.painted !== null && performance.now() - sample.lastChange > 300));
        },
        undefined,
        { timeout: 10_000, polling: 50 },
      );
      const text = await search.inputValue();
      if (text !== typedText) throw new Error(`the search box holds "${text}", not "${typedText}": it lost the focus`);
      const expected = expectedCounts(5000, text);
      const shown = await page.evaluate(() => ({
        total: document.querySelector('nav[aria-label="Pages"] p')?.textContent ?? '',
        map: document.querySelector('[data-testid="wells-map-count"]')?.textContent ?? '',
      }));
      const total = Number(/^([\d,]+) wells/.exec(shown.total)?.[1]?.replace(/,/g, '') ?? NaN);
      const placed = expected.placed === 0 ? 0 : Number(/Map of ([\d,]+)/.exec(shown.map)?.[1]?.replace(/,/g, '') ?? NaN);
      if (total !== expected.total || placed !== expected.placed) {
        throw new Error(`after typing "${text}" the page shows ${shown.total} / ${shown.map || 'no map'}, not ${expected.total} wells / ${expected.placed} placed`);
      }
      const sample = await page.evaluate(() => {
        const current = (window as unknown as { __current: { start: number; painted: number | null } | null }).__current;
        return current && current.painted !== null ? current.painted - current.start : null;
      });
      // A keystroke that leaves the result as it was (a trailing space) changes nothing to time.
      if (sample !== null) keystrokes.push({ text, ms: sample });
    }
    if (options.tracePath) await browser.stopTracing();
    if (cdp && options.cpuProfilePath) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(options.cpuProfilePath, JSON.stringify(profile));
    }
    const samples = keystrokes.map((entry) => entry.ms).sort((a, b) => a - b);
    const input = await page.evaluate(() => (window as unknown as { __input: { id: number; duration: number }[] }).__input);
    return {
      p50Ms: percentile(samples, 0.5),
      maxMs: samples[samples.length - 1] ?? Number.NaN,
      samples: samples.length,
      typed: keys.length,
      requests,
      inputMaxMs: Math.max(16, ...input.map((entry) => entry.duration)),
      slowInputs: new Set(input.map((entry) => entry.id)).size,
      keystrokes,
    };
  } finally {
    await seed(DEFAULT_SEED.wells).catch(() => undefined);
    await browser.close();
  }
}

export interface MapRenderFigures {
  /** Placing, fitting and clustering 5,000 points (median). */
  layoutMs: number;
  /** Rendering the whole map component's markup for 5,000 points (median). */
  renderMs: number;
  /** Drawing the outlines for a projection shape and region not drawn before (median). */
  outlinesMs: number;
  marks: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const router = { push() {}, replace() {}, prefetch() {}, back() {}, forward() {}, refresh() {} } as unknown as AppRouterInstance;

/** The map's own cost for 5,000 seeded wells, in Node (no browser, no layout or paint). */
export async function measureMapRender(rounds = 15): Promise<MapRenderFigures> {
  const points: MapPoint[] = seedWells(5000).flatMap((well) =>
    typeof well.latitude === 'number' && typeof well.longitude === 'number'
      ? [{ id: well.idwell, name: String(well.wellname ?? well.idwell), lat: well.latitude, lon: well.longitude }]
      : [],
  );
  const size = { width: 640, height: 400, padding: 16 };
  const layout: number[] = [];
  const render: number[] = [];
  const outlines: number[] = [];
  let marks = 0;
  const atlas = await loadAtlas();
  for (let round = 0; round < rounds; round += 1) {
    // A new array each round, as a new filter result would be.
    const input = points.slice(round % 2);
    let started = performance.now();
    const box = snapExtent(extentOf(placeable(input)) as GeoBox);
    marks = clusterPoints(input, fitProjection(box, size).projection, 24).length;
    layout.push(performance.now() - started);

    started = performance.now();
    renderToStaticMarkup(createElement(AppRouterContext.Provider, { value: router }, createElement(WellsMap, { points: input })));
    render.push(performance.now() - started);

    // A shape and region of its own each round, so the outline cache never answers.
    const moved = { ...box, west: box.west + 7 * (round - rounds), east: box.east + 7 * (round - rounds) };
    started = performance.now();
    outlinePaths(atlas, fitProjection(moved, size).shape, moved);
    outlines.push(performance.now() - started);
  }
  return { layoutMs: median(layout), renderMs: median(render), outlinesMs: median(outlines), marks };
}
