/**
 * The outlines under the wells map, from TopoJSON atlases bundled with the app (no tile server,
 * nothing fetched from elsewhere): US states from `us-atlas`, countries from `world-atlas`
 * (Canada and Mexico among them). Loaded on first use as a separate chunk, so the list pages'
 * first load does not carry them, and converted to GeoJSON once.
 */
import { geoBounds, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { baseProjection, type GeoBox, type ProjectionShape } from '@/lib/map/geometry';

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

/** ISO 3166 numeric code of the United States in world-atlas: drawn from us-atlas's states instead. */
const USA = '840';

function regions(topology: Topology, name: string, skip?: string): Region[] {
  const object = topology.objects[name] as GeometryCollection<{ name?: string }>;
  const collection = feature(topology, object) as GeoJSON.FeatureCollection<GeoJSON.Geometry, { name?: string }>;
  return collection.features
    .filter((item) => item.id !== skip)
    .map((item) => ({ name: item.properties?.name ?? '', feature: item, bounds: geoBounds(item) }));
}

let loading: Promise<Atlas> | null = null;
let loaded: Atlas | null = null;

/** The atlas, imported once per page load (shared by every map on the page). */
export function loadAtlas(): Promise<Atlas> {
  loading ??= Promise.all([import('us-atlas/states-10m.json'), import('world-atlas/countries-110m.json')]).then(
    ([us, world]) =>
      (loaded = {
        states: regions(us.default as unknown as Topology, 'states'),
        countries: regions(world.default as unknown as Topology, 'countries', USA),
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
  /** One path for every US state near the view, in base-projection coordinates. */
  states: string;
  /** One path for every other country near the view (Canada, Mexico…). */
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
 * The outlines near a box as SVG path data in the coordinates of the shape's base projection
 * (placed on the map with `fitProjection(...).transform`), cached by shape and window: a new
 * extent of the same shape costs nothing, only a new region or shape draws again.
 */
export function outlinePaths(atlas: Atlas, shape: ProjectionShape, box: GeoBox): Outlines {
  const window = outlineWindow(box, shape);
  const key = `${shape.key}|${window.west},${window.south},${window.east},${window.north}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const path = geoPath(baseProjection(shape)).digits(1);
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
