import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadAtlas, outlinePaths, outlineWindow } from '@/lib/map/atlas';
import {
  baseProjection,
  clusterPoints,
  extentOf,
  fitProjection,
  isOneSpot,
  placeable,
  snapExtent,
  type GeoBox,
  type MapPoint,
  type MapSize,
} from '@/lib/map/geometry';

const SIZE: MapSize = { width: 640, height: 400, padding: 16 };
const CELL = 24;
const MAX_MARKS = Math.ceil(SIZE.width / CELL + 1) * Math.ceil(SIZE.height / CELL + 1);

/** Deterministic pseudo-random wells in a box (a tiny LCG, so failures reproduce). */
function wells(count: number, box: GeoBox, seed = 1): MapPoint[] {
  let state = seed;
  const next = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: count }, (_, index) => ({
    id: `w${index}`,
    name: `Well ${index}`,
    lat: box.south + next() * (box.north - box.south),
    lon: box.west + next() * (box.east - box.west),
  }));
}

/** Projects and clusters as the map does, and checks the marks: in view, bounded, every well in exactly one. */
function checkMarks(points: MapPoint[]) {
  const box = snapExtent(extentOf(points) as GeoBox);
  const { projection } = fitProjection(box, SIZE);
  const marks = clusterPoints(points, projection, CELL);
  expect(marks.length).toBeLessThanOrEqual(MAX_MARKS);
  const seen: string[] = [];
  for (const mark of marks) {
    // Inside the drawing, give or take floating-point rounding.
    expect(mark.x).toBeGreaterThanOrEqual(-1e-6);
    expect(mark.x).toBeLessThanOrEqual(SIZE.width + 1e-6);
    expect(mark.y).toBeGreaterThanOrEqual(-1e-6);
    expect(mark.y).toBeLessThanOrEqual(SIZE.height + 1e-6);
    if (mark.kind === 'point') seen.push(mark.point.id);
    else {
      expect(mark.points.length).toBeGreaterThan(1);
      seen.push(...mark.points.map((point) => point.id));
    }
  }
  expect(seen.sort()).toEqual(points.map((point) => point.id).sort());
  return marks;
}

describe('wells map geometry', () => {
  it('groups 5,000 wells into a bounded number of marks, every well in exactly one', () => {
    const points = wells(5000, { west: -104, east: -94, south: 28, north: 37 });
    const marks = checkMarks(points);
    expect(marks.length).toBeLessThan(510);
    expect(marks.some((mark) => mark.kind === 'cluster')).toBe(true);
  });

  it('keeps sparse wells as single points', () => {
    const points: MapPoint[] = [
      { id: 'a', name: 'A', lat: 31.9, lon: -102.1 },
      { id: 'b', name: 'B', lat: 47.8, lon: -103.2 },
      { id: 'c', name: 'C', lat: 53.5, lon: -113.5 },
    ];
    expect(checkMarks(points).every((mark) => mark.kind === 'point')).toBe(true);
  });

  it('fits one well, wells at one spot, the equator and the antimeridian without NaN', () => {
    checkMarks([{ id: 'solo', name: 'Solo', lat: 56.7, lon: -111.4 }]);
    const spot = [1, 2, 3].map((index) => ({ id: `s${index}`, name: `S${index}`, lat: 10, lon: 10 }));
    expect(isOneSpot(spot)).toBe(true);
    expect(checkMarks(spot)).toHaveLength(1);
    checkMarks(wells(300, { west: -80, east: 40, south: -40, north: 60 }));
    checkMarks([
      { id: 'e', name: 'E', lat: 52, lon: 179.5 },
      { id: 'w', name: 'W', lat: 52, lon: -179.5 },
      { id: 'n', name: 'N', lat: 90, lon: 0 },
      { id: 's', name: 'S', lat: -90, lon: 0 },
    ]);
  });

  it('leaves out wells without usable coordinates', () => {
    const points = [
      { id: 'ok', name: 'ok', lat: 1, lon: 2 },
      { id: 'nan', name: 'nan', lat: Number.NaN, lon: 2 },
      { id: 'far', name: 'far', lat: 91, lon: 2 },
      { id: 'inf', name: 'inf', lat: 1, lon: Infinity },
    ];
    expect(placeable(points).map((point) => point.id)).toEqual(['ok']);
  });

  it('snaps the extent outward, so small changes keep the same box', () => {
    const a = snapExtent({ west: -101.3, east: -98.2, south: 30.1, north: 33.6 });
    const b = snapExtent({ west: -101.1, east: -98.4, south: 30.2, north: 33.55 });
    expect(a).toEqual(b);
    expect(a.west).toBeLessThanOrEqual(-101.3);
    expect(a.east).toBeGreaterThanOrEqual(-98.2);
    expect(a.north).toBeGreaterThanOrEqual(33.6);
  });

  it('projects each well once per fitted box when given a cache, with the same marks, each named by its cell', () => {
    const points = wells(2000, { west: -104, east: -94, south: 28, north: 37 }, 7);
    const box = snapExtent(extentOf(points) as GeoBox);
    const { projection } = fitProjection(box, SIZE);
    let calls = 0;
    const counting = Object.assign((point: [number, number]) => {
      calls += 1;
      return projection(point);
    }, projection) as typeof projection;
    const cache = new WeakMap<MapPoint, readonly [number, number]>();
    const first = clusterPoints(points, counting, CELL, cache);
    expect(calls).toBe(points.length);
    // The next keystroke: a subset of the same wells in the same box projects nothing again.
    const subset = points.filter((_, index) => index % 3 === 0);
    const again = clusterPoints(subset, counting, CELL, cache);
    expect(calls).toBe(points.length);
    expect(again).toEqual(clusterPoints(subset, projection, CELL));
    // Cells are unique per call, and a cell keeps its key between calls with one projection.
    expect(new Set(first.map((mark) => mark.cell)).size).toBe(first.length);
    const cellsOfFirst = new Set(first.map((mark) => mark.cell));
    expect(again.every((mark) => cellsOfFirst.has(mark.cell))).toBe(true);
  });

  it('places any set of wells on the globe inside the drawing (property)', () => {
    const point = fc.record({
      id: fc.uuid(),
      name: fc.string(),
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lon: fc.double({ min: -180, max: 180, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(point, { minLength: 1, maxLength: 300, selector: (item) => item.id }), (points) => {
        checkMarks(points);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('wells map outlines', () => {
  it('draws US states for Texas wells and Canadian provinces for Alberta wells, from the bundled atlases', async () => {
    const atlas = await loadAtlas();
    expect(atlas.states.length).toBeGreaterThanOrEqual(50 + 13);
    const alberta_ = atlas.states.find((region) => region.name === 'Alberta');
    // Alberta runs from 49° N to 60° N, and from the Rockies to 110° W.
    expect(alberta_?.bounds[0][1]).toBeCloseTo(49, 0);
    expect(alberta_?.bounds[1][1]).toBeCloseTo(60, 0);
    expect(alberta_?.bounds[1][0]).toBeCloseTo(-110, 0);
    expect(atlas.states.map((region) => region.name)).toEqual(expect.arrayContaining(['Texas', 'British Columbia', 'Québec', 'Nunavut']));
    // Canada and the US are drawn by their parts, not again as one outline each.
    expect(atlas.countries.map((region) => region.name)).not.toEqual(expect.arrayContaining(['Canada']));
    expect(atlas.countries.some((region) => region.name === 'Mexico')).toBe(true);
    const texas = snapExtent({ west: -104, east: -94, south: 28, north: 37 });
    const outlines = outlinePaths(atlas, fitProjection(texas, SIZE).shape, texas);
    expect(outlines.states).toMatch(/^M[\d.-]/);
    const alberta = snapExtent({ west: -119, east: -110, south: 49, north: 60 });
    const north = outlinePaths(atlas, fitProjection(alberta, SIZE).shape, alberta);
    expect(north.countries.length).toBeGreaterThan(100);
    expect(north.states.length).toBeGreaterThan(100);
  });

  it('places outlines with the same transform as the wells: a state corner lands where the projection puts it', () => {
    const box = snapExtent({ west: -104, east: -94, south: 28, north: 37 });
    const fit = fitProjection(box, SIZE);
    const base = baseProjection(fit.shape)([-103.06, 36.5]) as [number, number];
    const [, tx, ty, k] = /translate\(([-\d.]+) ([-\d.]+)\) scale\(([-\d.e]+)\)/.exec(fit.transform)?.map(Number) ?? [];
    const placed = fit.projection([-103.06, 36.5]) as [number, number];
    expect(Math.abs((tx as number) + (k as number) * base[0] - placed[0])).toBeLessThan(0.05);
    expect(Math.abs((ty as number) + (k as number) * base[1] - placed[1])).toBeLessThan(0.05);
  });

  it('reuses one drawing of the outlines for nearby extents (the cache answers)', async () => {
    const atlas = await loadAtlas();
    const a = snapExtent({ west: -104, east: -94, south: 28, north: 37 });
    const b = snapExtent({ west: -103, east: -95, south: 29, north: 36 });
    expect(fitProjection(a, SIZE).shape.key).toBe(fitProjection(b, SIZE).shape.key);
    expect(outlinePaths(atlas, fitProjection(a, SIZE).shape, a)).toBe(outlinePaths(atlas, fitProjection(b, SIZE).shape, b));
  });

  it('draws a basin from about what the view shows, not the 30° around it: the keystroke that refits the map stays cheap', async () => {
    const atlas = await loadAtlas();
    const basin = snapExtent({ west: -104.1, east: -102.5, south: 47.1, north: 48.7 });
    const fit = fitProjection(basin, SIZE);
    const window = outlineWindow(basin, fit.shape);
    expect(window.east - window.west).toBeLessThanOrEqual(16);
    expect(window.north - window.south).toBeLessThanOrEqual(12);
    // North Dakota and its neighbours, clipped: a few KB of path, not the western states and provinces (89 KB).
    const outlines = outlinePaths(atlas, fit.shape, basin);
    expect(outlines.states).toMatch(/^M[\d.-]/);
    expect(outlines.states.length + outlines.countries.length).toBeLessThan(20_000);
  });

  it('draws a basin-sized view from the states near it, and its window covers the whole drawing (property)', async () => {
    const atlas = await loadAtlas();
    const wide = snapExtent({ west: -104, east: -80, south: 28, north: 48 });
    const basin = snapExtent({ west: -104.1, east: -102.5, south: 47.1, north: 48.7 });
    const wideOutlines = outlinePaths(atlas, fitProjection(wide, SIZE).shape, wide);
    const basinOutlines = outlinePaths(atlas, fitProjection(basin, SIZE).shape, basin);
    expect(basinOutlines.states).toMatch(/^M[\d.-]/);
    expect(basinOutlines.states.length).toBeLessThan(wideOutlines.states.length / 2);
    fc.assert(
      fc.property(
        fc.double({ min: -160, max: 140, noNaN: true }),
        fc.double({ min: -75, max: 65, noNaN: true }),
        fc.double({ min: 0, max: 18, noNaN: true }),
        fc.double({ min: 0, max: 18, noNaN: true }),
        (west, south, width, height) => {
          const box = snapExtent({ west, south, east: Math.min(180, west + width), north: Math.min(90, south + height) });
          if (Math.max(box.east - box.west, box.north - box.south) >= 20) return;
          const fit = fitProjection(box, SIZE);
          const window = outlineWindow(box, fit.shape);
          for (const [x, y] of [[0, 0], [SIZE.width, 0], [0, SIZE.height], [SIZE.width, SIZE.height], [SIZE.width / 2, 0], [SIZE.width / 2, SIZE.height]]) {
            const [lon, lat] = fit.projection.invert?.([x as number, y as number]) ?? [NaN, NaN];
            expect(lon).toBeGreaterThanOrEqual(window.west - 1e-6);
            expect(lon).toBeLessThanOrEqual(window.east + 1e-6);
            expect(lat).toBeGreaterThanOrEqual(Math.max(-90, window.south) - 1e-6);
            expect(lat).toBeLessThanOrEqual(window.north + 1e-6);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
