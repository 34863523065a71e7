/**
 * The wells map's cost with 5,000 wells, two ways:
 * - in Chromium against the sandbox: each keystroke in the wells search timed from its input
 *   event to the first frame after the map itself changed (so the figure includes filtering,
 *   the table and the map: the whole commit), typing a name and then deleting it back to all
 *   5,000 wells (the widest refit);
 * - in Node, without a browser: the map's own work for 5,000 points (placing, fitting,
 *   clustering, rendering its markup) and drawing the outlines for a new extent.
 */
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
  p50Ms: number;
  maxMs: number;
  samples: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

/** Keystroke to painted map, 5,000 wells, in Chromium. `seedWells` reseeds the sandbox's WellView. */
export async function measureMapKeystrokes(appUrl: string, seed: (count: number) => Promise<void>): Promise<MapKeystrokeFigures> {
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
      const w = window as unknown as { __mapKeys: number[]; __pending: number | null };
      w.__mapKeys = [];
      w.__pending = null;
      const input = document.querySelector('input[type="search"]') as HTMLInputElement;
      input.addEventListener('input', (event) => {
        w.__pending = event.timeStamp;
      });
      // Watch the whole page, not the figure: a search that matches nothing removes the map, and
      // the next one mounts a new one. A change counts when it is inside the map or adds or removes it.
      // (No named helper functions in here: the bundler's name helper does not exist in the page.)
      new MutationObserver((mutations) => {
        const started = w.__pending;
        if (started === null) return;
        const touchesMap = mutations.some(
          (m) =>
            (m.target instanceof Element ? m.target : m.target.parentElement)?.closest('figure') != null ||
            [...m.addedNodes, ...m.removedNodes].some((node) => node instanceof Element && node.matches('figure')),
        );
        if (!touchesMap) return;
        w.__pending = null;
        requestAnimationFrame(() => setTimeout(() => w.__mapKeys.push(performance.now() - started), 0));
      }).observe(document.querySelector('main') as HTMLElement, { childList: true, subtree: true, characterData: true, attributes: true });
    });
    const search = page.getByRole('searchbox', { name: /search/i });
    const keys = [...'mustang 1'].map((key) => (key === ' ' ? 'Space' : key));
    for (const key of [...keys, ...keys.map(() => 'Backspace')]) {
      await search.press(key);
      await page.waitForTimeout(400);
    }
    const samples = (await page.evaluate(() => (window as unknown as { __mapKeys: number[] }).__mapKeys)).sort((a, b) => a - b);
    return { p50Ms: percentile(samples, 0.5), maxMs: samples[samples.length - 1] ?? Number.NaN, samples: samples.length };
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
