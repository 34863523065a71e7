'use client';

import { memo, useMemo } from 'react';
import type { WellRow } from '@/lib/upstreams/wellview/schemas';

const WIDTH = 640;
const HEIGHT = 320;

type PlacedRow = WellRow & { well: { latitude: number; longitude: number } };

/**
 * A location plot of the filtered wells from their coordinates (no map tiles: nothing leaves
 * the dashboard). Points are scaled to the wells' own bounding box and drawn as one SVG path
 * (a round dot per point): one element instead of thousands keeps typing in the search box
 * fast with 5,000 wells.
 */
export const WellsMap = memo(function WellsMap({ rows }: { rows: readonly WellRow[] }) {
  const plot = useMemo(() => {
    const points = rows.filter((row) => typeof row.well.latitude === 'number' && typeof row.well.longitude === 'number') as PlacedRow[];
    if (points.length === 0) return null;
    let [minLat, maxLat, minLon, maxLon] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const { well } of points) {
      minLat = Math.min(minLat, well.latitude);
      maxLat = Math.max(maxLat, well.latitude);
      minLon = Math.min(minLon, well.longitude);
      maxLon = Math.max(maxLon, well.longitude);
    }
    const spanLat = Math.max(maxLat - minLat, 0.01);
    const spanLon = Math.max(maxLon - minLon, 0.01);
    const x = (lon: number) => (10 + ((lon - minLon) / spanLon) * (WIDTH - 20)).toFixed(1);
    const y = (lat: number) => (10 + ((maxLat - lat) / spanLat) * (HEIGHT - 20)).toFixed(1);
    const path = points.map(({ well }) => `M${x(well.longitude)} ${y(well.latitude)}h0`).join('');
    return { count: points.length, path };
  }, [rows]);

  if (!plot) return null;
  return (
    <figure className="mt-6 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <figcaption className="mb-2 text-sm font-medium">
        Locations of the {plot.count.toLocaleString()} filtered wells with coordinates
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Plot of ${plot.count} well locations`} className="h-auto w-full">
        <rect x="0" y="0" width={WIDTH} height={HEIGHT} className="fill-slate-50 dark:fill-slate-800" />
        <path d={plot.path} strokeWidth="5" strokeLinecap="round" className="stroke-brand-500/70" fill="none" />
      </svg>
    </figure>
  );
});
