/**
 * The outlines under the wells map, from TopoJSON atlases bundled with the app (no tile server,
 * nothing fetched from elsewhere): US states from `us-atlas`, countries from `world-atlas`
 * (Canada and Mexico among them). Loaded on first use as a separate chunk, so the list pages'
 * first load does not carry them, and converted to GeoJSON once.
 */
import { geoBounds, geoPath, type GeoProjection } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { GeoBox, MapSize } from '@/lib/map/geometry';

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

/** The atlas, imported once per page load (shared by every map on the page). */
export function loadAtlas(): Promise<Atlas> {
  loading ??= Promise.all([import('us-atlas/states-10m.json'), import('world-atlas/countries-110m.json')]).then(
    ([us, world]) => ({
      states: regions(us.default as unknown as Topology, 'states'),
      countries: regions(world.default as unknown as Topology, 'countries', USA),
    }),
  );
  return loading;
}

function intersects([[west, south], [east, north]]: Region['bounds'], box: GeoBox): boolean {
  if (south > box.north || north < box.south) return false;
  // Across the antimeridian the region spans [west, 180] and [-180, east].
  if (west > east) return box.east >= west || box.west <= east;
  return !(west > box.east || east < box.west);
}

export interface Outlines {
  /** One path for every US state in view. */
  states: string;
  /** One path for every other country in view (Canada, Mexico…). */
  countries: string;
}

const cache = new Map<string, Outlines>();
const CACHE_SIZE = 16;

/**
 * The outlines in view as SVG path data, for a projection fitted to `box`. Regions whose bounds
 * miss the (widened) box are skipped and the rest clipped to the drawing, so a zoomed-in map
 * costs little; answers are cached by `key` (the snapped box), so typing rarely redraws them.
 */
export function outlinePaths(atlas: Atlas, projection: GeoProjection, box: GeoBox, size: MapSize, key: string): Outlines {
  const cached = cache.get(key);
  if (cached) return cached;
  const margin = Math.max(box.east - box.west, box.north - box.south);
  const wide = { west: box.west - margin, east: box.east + margin, south: box.south - margin, north: box.north + margin };
  const clipped = projection.clipExtent([
    [-10, -10],
    [size.width + 10, size.height + 10],
  ]);
  const path = geoPath(clipped).digits(1);
  const draw = (list: Region[]) =>
    list
      .filter((region) => intersects(region.bounds, wide))
      .map((region) => path(region.feature) ?? '')
      .join('');
  const outlines = { states: draw(atlas.states), countries: draw(atlas.countries) };
  clipped.clipExtent(null);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, outlines);
  return outlines;
}
