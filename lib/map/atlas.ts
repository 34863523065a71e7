/**
 * The outlines under the wells map, from TopoJSON atlases bundled with the app (no tile server,
 * nothing fetched from elsewhere): US states from `us-atlas`, Canadian provinces and territories
 * from `canada-provinces.json` (Natural Earth's, see scripts/canada-atlas.ts), other countries
 * (Mexico among them) from `world-atlas`. Loaded on first use as a separate chunk, so the list pages'
 * first load does not carry them, and converted to GeoJSON once.
 */
import { geoBounds, geoPath, type GeoProjection } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { baseProjection, MAX_LAT, type GeoBox, type ProjectionShape } from '@/lib/map/geometry';

interface Region {
  name: string;
  feature: GeoJSON.Feature;
  /** geoBounds: west may exceed east for a region across the antimeridian. */
  bounds: [[number, number], [number, number]];
}

export interface Atlas {
  states: Region[];
  countries: Region[];
}

/** ISO 3166 numeric codes of the countries drawn by their states or provinces instead. */
const BY_STATE = new Set(['840', '124']);

function regions(topology: Topology, name: string, skip: ReadonlySet<string> = new Set()): Region[] {
  const object = topology.objects[name] as GeometryCollection<{ name?: string }>;
  const collection = feature(topology, object) as GeoJSON.FeatureCollection<GeoJSON.Geometry, { name?: string }>;
  return collection.features
    .filter((item) => !skip.has(String(item.id)))
    .map((item) => ({ name: item.properties?.name ?? '', feature: item, bounds: geoBounds(item) }));
}

let loading: Promise<Atlas> | null = null;
let loaded: Atlas | null = null;

/** The atlas, imported once per page load (shared by every map on the page). */
export function loadAtlas(): Promise<Atlas> {
  loading ??= Promise.all([
    import('us-atlas/states-10m.json'),
    import('@/lib/map/canada-provinces.json'),
    import('world-atlas/countries-110m.json'),
  ]).then(
    ([us, canada, world]) =>
      (loaded = {
        states: [
          ...regions(us.default as unknown as Topology, 'states'),
          ...regions(canada.default as unknown as Topology, 'provinces'),
        ],
        countries: regions(world.default as unknown as Topology, 'countries', BY_STATE),
      }),
  );
  return loading;
}

/**
 * The atlas if this page has loaded it already, else null: a map mounted again (a search that
 * matched nothing, then something) draws its outlines in its first render, not a few frames later.
 */
export function loadedAtlas(): Atlas | null {
  return loaded;
}

function intersects([[west, south], [east, north]]: Region['bounds'], box: GeoBox): boolean {
  if (south > box.north || north < box.south) return false;
  // Across the antimeridian the region spans [west, 180] and [-180, east].
  if (west > east) return box.east >= west || box.west <= east;
  return !(west > box.east || east < box.west);
}

export interface Outlines {
  /** One path for every US state and Canadian province near the view, in base-projection coordinates. */
  states: string;
  /** One path for every other country near the view (Mexico…). */
  countries: string;
}

const cache = new Map<string, Outlines>();
const CACHE_SIZE = 16;

/** Extents at least this wide (degrees) share one drawing per conic shape; narrower ones get a window of their own. */
const WIDE_SPAN = 20;

/**
 * The region whose outlines are drawn: for a wide extent of a conic shape, a fixed region around
 * its centre and parallels, so every such extent of that shape (typing, zooming) reuses one
 * drawing; for a narrower extent (a basin) or Mercator (world-spanning wells), the box widened by
 * its span (at least 10°) and snapped to a 10° grid, so a basin's view draws the few states near
 * it, not the continent, and nearby extents still share the drawing.
 */
export function outlineWindow(box: GeoBox, shape: ProjectionShape): GeoBox {
  if (shape.kind === 'conic' && Math.max(box.east - box.west, box.north - box.south) >= WIDE_SPAN) {
    return {
      west: shape.centre - 60,
      east: shape.centre + 60,
      south: Math.max(-90, shape.parallels[0] - 30),
      north: Math.min(90, shape.parallels[1] + 30),
    };
  }
  const margin = Math.max(10, box.east - box.west, box.north - box.south);
  const snap = (value: number, round: (x: number) => number) => round(value / 10) * 10;
  return {
    west: Math.max(-180, snap(box.west - margin, Math.floor)),
    east: Math.min(180, snap(box.east + margin, Math.ceil)),
    south: Math.max(-90, snap(box.south - margin, Math.floor)),
    north: Math.min(90, snap(box.north + margin, Math.ceil)),
  };
}

/**
 * The projection clipped to a window's projected bounds (its edges sampled, conic edges curve):
 * a region that reaches into the window (Nunavut's coast, from a North Dakota basin) is drawn
 * only as far as the view can show, not whole.
 */
function clippedTo(window: GeoBox, projection: GeoProjection): GeoProjection {
  const points: [number, number][] = [];
  const south = Math.max(window.south, -MAX_LAT);
  const north = Math.min(window.north, MAX_LAT);
  for (let step = 0; step <= 8; step += 1) {
    const lon = window.west + ((window.east - window.west) * step) / 8;
    const lat = south + ((north - south) * step) / 8;
    points.push([lon, south], [lon, north], [window.west, lat], [window.east, lat]);
  }
  const placed = points.map((point) => projection(point)).filter((point): point is [number, number] => point !== null);
  if (placed.length === 0) return projection;
  const xs = placed.map(([x]) => x);
  const ys = placed.map(([, y]) => y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // A margin, so a clipped edge never shows inside the view.
  const margin = Math.max(x1 - x0, y1 - y0) * 0.05;
  return projection.clipExtent([
    [x0 - margin, y0 - margin],
    [x1 + margin, y1 + margin],
  ]);
}

/**
 * The outlines near a box as SVG path data in the coordinates of the shape's base projection
 * (placed on the map with `fitProjection(...).transform`), cached by shape and window: a new
 * extent of the same shape costs nothing, only a new region or shape draws again.
 */
export function outlinePaths(atlas: Atlas, shape: ProjectionShape, box: GeoBox): Outlines {
  const window = outlineWindow(box, shape);
  const key = `${shape.key}|${window.west},${window.south},${window.east},${window.north}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const path = geoPath(clippedTo(window, baseProjection(shape))).digits(1);
  const draw = (list: Region[]) =>
    list
      .filter((region) => intersects(region.bounds, window))
      .map((region) => path(region.feature) ?? '')
      .join('');
  const outlines = { states: draw(atlas.states), countries: draw(atlas.countries) };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, outlines);
  return outlines;
}
