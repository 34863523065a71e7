import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadAtlas, outlinePaths } from '@/lib/map/atlas';
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
  it('draws US states for Texas wells and Canada for Alberta wells, from the bundled atlases', async () => {
    const atlas = await loadAtlas();
    expect(atlas.states.length).toBeGreaterThanOrEqual(50);
    expect(atlas.countries.some((region) => region.name === 'Canada')).toBe(true);
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
});
