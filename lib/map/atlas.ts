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
/** Width over height of the map's drawing (640 × 400): how much more than the wells' box a narrow view shows across. */
const DRAWING_ASPECT = 1.6;

/**
 * The region whose outlines are drawn: for a wide extent of a conic shape, a fixed region around
 * its centre and parallels, so every such extent of that shape (typing, zooming) reuses one
 * drawing; for a wide Mercator extent (world-spanning wells), the box widened by its span and
 * snapped to a 10° grid; for a narrower extent (a basin), about what the drawing can show with
 * half as much again around it, snapped to a grid as coarse as that: the few states near the
 * view, drawn in a few milliseconds (not every state within 10° of it, which took tens on a
 * keystroke that refits the map), and nearby extents still share the drawing.
 */
export function outlineWindow(box: GeoBox, shape: ProjectionShape): GeoBox {
  const span = Math.max(box.east - box.west, box.north - box.south);
  if (shape.kind === 'conic' && span >= WIDE_SPAN) {
    return {
      west: shape.centre - 60,
      east: shape.centre + 60,
      south: Math.max(-90, shape.parallels[0] - 30),
      north: Math.min(90, shape.parallels[1] + 30),
    };
  }
  const snapped = (west: number, south: number, east: number, north: number, step: number): GeoBox => ({
    west: Math.max(-180, Math.floor(west / step) * step),
    east: Math.min(180, Math.ceil(east / step) * step),
    south: Math.max(-90, Math.floor(south / step) * step),
    north: Math.min(90, Math.ceil(north / step) * step),
  });
  if (span >= WIDE_SPAN) return snapped(box.west - span, box.south - span, box.east + span, box.north + span, 10);
  // The drawing shows at most `span` of latitude and span × aspect / cos(latitude) of longitude
  // (at the poleward edge, where a degree of longitude is shortest); half as much again around
  // it. Only the larger span counts, so extents that differ in their smaller one share the window.
  const edgeLat = Math.min(MAX_LAT, Math.max(Math.abs(box.south), Math.abs(box.north)));
  const halfLon = ((span * DRAWING_ASPECT) / Math.cos((edgeLat * Math.PI) / 180)) * 0.75 + 0.5;
  const halfLat = span * 0.75 + 0.5;
  const midLon = (box.west + box.east) / 2;
  const midLat = (box.south + box.north) / 2;
  const step = 2 ** Math.ceil(Math.log2(Math.max(halfLon, halfLat)));
  return snapped(midLon - halfLon, midLat - halfLat, midLon + halfLon, midLat + halfLat, step);
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
