'use client';

import type { WellRow } from '@/lib/upstreams/wellview/schemas';

const WIDTH = 640;
const HEIGHT = 320;

/**
 * A location plot of the filtered wells from their coordinates (no map tiles: nothing leaves
 * the dashboard). Points are scaled to the wells' own bounding box.
 */
export function WellsMap({ rows }: { rows: readonly WellRow[] }) {
  const points = rows.filter(
    (row) => typeof row.well.latitude === 'number' && typeof row.well.longitude === 'number',
  ) as (WellRow & { well: { latitude: number; longitude: number } })[];
  if (points.length === 0) return null;
  const lats = points.map((row) => row.well.latitude);
  const lons = points.map((row) => row.well.longitude);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const spanLat = Math.max(maxLat - minLat, 0.01);
  const spanLon = Math.max(maxLon - minLon, 0.01);
  const x = (lon: number) => 10 + ((lon - minLon) / spanLon) * (WIDTH - 20);
  const y = (lat: number) => 10 + ((maxLat - lat) / spanLat) * (HEIGHT - 20);
  return (
    <figure className="mt-6 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <figcaption className="mb-2 text-sm font-medium">
        Locations of the {points.length.toLocaleString()} filtered wells with coordinates
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Plot of ${points.length} well locations`} className="h-auto w-full">
        <rect x="0" y="0" width={WIDTH} height={HEIGHT} className="fill-slate-50 dark:fill-slate-800" />
        {points.slice(0, 5000).map((row) => (
          <circle key={row.well.idwell} cx={x(row.well.longitude)} cy={y(row.well.latitude)} r="2.5" className="fill-brand-500/70">
            <title>{row.well.wellname ?? row.well.idwell}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}
