/**
 * The wells map's geometry, free of React and of the atlas: which points can be placed, the
 * extent to show, the projection fitted to it, and grid clustering in screen space. Pure and
 * cheap (5,000 points in a few milliseconds), so it runs on every keystroke.
 */
import { geoConicConformal, geoMercator, type GeoProjection } from 'd3-geo';

/** One well to place: the neutral input of the map. */
export interface MapPoint {
  id: string;
  name: string;
  lat: number;
  lon: number;
}

/** A longitude/latitude box in degrees. */
export interface GeoBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface MapSize {
  width: number;
  height: number;
  /** Room kept free at each edge, so markers at the extent's edge are drawn whole. */
  padding: number;
}

/** A point or a group of points; `cell` names its grid cell (stable while the projection is, so a view can key marks by it). */
export type MapMark =
  | { kind: 'point'; cell: number; x: number; y: number; point: MapPoint }
  | { kind: 'cluster'; cell: number; x: number; y: number; points: MapPoint[] };

/** Smallest span shown, so one well (or wells at one spot) still gives a sensible region. */
const MIN_SPAN = 0.5;
/** Mercator's y grows without bound towards the poles: latitudes beyond this are fitted as this. */
export const MAX_LAT = 85;

/** Points with usable coordinates (finite, on the globe); the others cannot be placed. */
export function placeable(points: readonly MapPoint[]): MapPoint[] {
  return points.filter(
    (point) =>
      Number.isFinite(point.lat) && Number.isFinite(point.lon) && Math.abs(point.lat) <= 90 && Math.abs(point.lon) <= 180,
  );
}

/** The points' bounding box, or null when there are none. */
export function extentOf(points: readonly MapPoint[]): GeoBox | null {
  if (points.length === 0) return null;
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { lat, lon } of points) {
    if (lon < west) west = lon;
    if (lon > east) east = lon;
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  }
  return { west, south, east, north };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/**
 * The extent widened to a grid whose step grows with its span (a power of two degrees), so
 * typing in the search refits the map only when the wells' extent changes noticeably: the
 * projection and the outlines are cached by this box.
 */
export function snapExtent(box: GeoBox): GeoBox {
  const midLon = (box.west + box.east) / 2;
  const midLat = (box.south + box.north) / 2;
  const halfLon = Math.max(box.east - box.west, MIN_SPAN) / 2;
  const halfLat = Math.max(box.north - box.south, MIN_SPAN) / 2;
  const span = Math.max(halfLon, halfLat) * 2;
  const step = 2 ** Math.floor(Math.log2(span / 4));
  return {
    west: clamp(Math.floor((midLon - halfLon) / step) * step, -180, 180),
    east: clamp(Math.ceil((midLon + halfLon) / step) * step, -180, 180),
    south: clamp(Math.floor((midLat - halfLat) / step) * step, -90, 90),
    north: clamp(Math.ceil((midLat + halfLat) / step) * step, -90, 90),
  };
}

/** The box's outline, sampled along each edge (parallels curve in a conic projection). */
function boxOutline(box: GeoBox): [number, number][] {
  const samples: [number, number][] = [];
  for (let i = 0; i <= 8; i += 1) {
    const lon = box.west + ((box.east - box.west) * i) / 8;
    const lat = box.south + ((box.north - box.south) * i) / 8;
    samples.push([lon, box.south], [lon, box.north], [box.west, lat], [box.east, lat]);
  }
  return samples;
}

/** The shape of a projection (its family, rotation and parallels), without scale or translation. */
export interface ProjectionShape {
  kind: 'conic' | 'mercator';
  centre: number;
  parallels: [number, number];
  /** Identifies the shape: outlines drawn for one shape serve every extent fitted with it. */
  key: string;
}

/** Scale of the unfitted projection the outlines are drawn with (enough for 0.1-unit rounding to stay sub-pixel). */
export const BASE_SCALE = 1000;

/**
 * Conformal conic with standard parallels inside the box (true shapes for a state- or
 * province-sized region), or Mercator when the box spans the equator or reaches towards a pole,
 * where a conic does not fit. Centre and parallels are rounded, so nearby extents share a shape.
 */
export function projectionShape(box: GeoBox): ProjectionShape {
  const south = clamp(box.south, -MAX_LAT, MAX_LAT);
  const north = clamp(box.north, -MAX_LAT, MAX_LAT);
  const span = north - south;
  const rough = (value: number, step: number) => Math.round(value / step) * step;
  // 5° steps: a conic's shape barely changes within them, and each shape is one drawing of the outlines.
  const centre = rough((box.west + box.east) / 2, 5);
  const conic = (south >= 5 || north <= -5) && span <= 50 && Math.abs(south) <= 75 && Math.abs(north) <= 75;
  const parallels: [number, number] = conic ? [rough(south + span / 6, 5), rough(north - span / 6, 5)] : [0, 0];
  const kind = conic ? 'conic' : 'mercator';
  return { kind, centre, parallels, key: `${kind}:${centre}:${parallels.join(',')}` };
}

/** The shape's projection at BASE_SCALE, untranslated, without adaptive resampling (outlines are simplified already). */
export function baseProjection(shape: ProjectionShape): GeoProjection {
  const projection = shape.kind === 'conic' ? geoConicConformal().parallels(shape.parallels) : geoMercator();
  return projection.rotate([-shape.centre, 0]).scale(BASE_SCALE).translate([0, 0]).precision(0);
}

/** A projection of the box's shape fitted to the drawing; `transform` maps base-projection coordinates onto it. */
export function fitProjection(
  box: GeoBox,
  size: MapSize,
): { projection: GeoProjection; shape: ProjectionShape; transform: string; scale: number } {
  const shape = projectionShape(box);
  const fitted = { ...box, south: clamp(box.south, -MAX_LAT, MAX_LAT), north: clamp(box.north, -MAX_LAT, MAX_LAT) };
  const projection = baseProjection(shape).fitExtent(
    [
      [size.padding, size.padding],
      [size.width - size.padding, size.height - size.padding],
    ],
    { type: 'MultiPoint', coordinates: boxOutline(fitted) },
  );
  // d3 projects as translate + scale × raw: the same shape at another scale is an affine map.
  const [tx, ty] = projection.translate();
  const scale = projection.scale() / BASE_SCALE;
  const transform = `translate(${tx.toFixed(2)} ${ty.toFixed(2)}) scale(${scale.toPrecision(6)})`;
  return { projection, shape, transform, scale };
}

/**
 * Grid clustering in screen space: points whose projected positions share a `cell`-pixel cell
 * become one cluster at their mean position; a cell with one point stays a point. The number
 * of marks is bounded by the number of cells, however many points there are, and every point is
 * in exactly one mark. `projected`, when given, keeps each point's position for this projection, so
 * the next call with the same projection (the next keystroke) does not project it again.
 */
export function clusterPoints(
  points: readonly MapPoint[],
  projection: GeoProjection,
  cell: number,
  projected?: WeakMap<MapPoint, readonly [number, number]>,
): MapMark[] {
  const cells = new Map<number, { x: number; y: number; points: MapPoint[] }>();
  for (const point of points) {
    let position = projected?.get(point);
    if (!position) {
      // Fitting stops at ±85° (Mercator's poles are at infinity); wells beyond sit at that edge.
      const xy = projection([point.lon, clamp(point.lat, -MAX_LAT, MAX_LAT)]);
      // Off the projection's domain (cannot happen for placeable points, but never drop a well silently):
      // such a point joins the cell at the origin.
      position = xy && Number.isFinite(xy[0]) && Number.isFinite(xy[1]) ? [xy[0], xy[1]] : [0, 0];
      projected?.set(point, position);
    }
    const [x, y] = position;
    const key = Math.floor(x / cell) * 100_003 + Math.floor(y / cell);
    const entry = cells.get(key);
    if (entry) {
      entry.x += x;
      entry.y += y;
      entry.points.push(point);
    } else {
      cells.set(key, { x, y, points: [point] });
    }
  }
  const marks: MapMark[] = [];
  for (const [key, entry] of cells) {
    const count = entry.points.length;
    const [x, y] = [entry.x / count, entry.y / count];
    const first = entry.points[0] as MapPoint;
    marks.push(count === 1 ? { kind: 'point', cell: key, x, y, point: first } : { kind: 'cluster', cell: key, x, y, points: entry.points });
  }
  return marks;
}

/** Whether a point lies in a box (edges included). */
export function inBox(point: MapPoint, box: GeoBox): boolean {
  return point.lon >= box.west && point.lon <= box.east && point.lat >= box.south && point.lat <= box.north;
}

/** Whether a cluster's wells sit at (nearly) one spot, so zooming cannot separate them. */
export function isOneSpot(points: readonly MapPoint[]): boolean {
  const box = extentOf(points);
  return !box || (box.east - box.west < 1e-4 && box.north - box.south < 1e-4);
}
