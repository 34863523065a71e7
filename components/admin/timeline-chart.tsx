'use client';

import { useId } from 'react';
import type { TimelinePoint } from '@/lib/admin/token-status-schema';
import { When } from '@/components/admin/time';

const SERIES = [
  { key: 'refreshes', label: 'Refreshes', fill: 'fill-brand-500', swatch: 'bg-brand-500' },
  { key: 'tokenRequests', label: 'Token requests', fill: 'fill-emerald-500', swatch: 'bg-emerald-500' },
  { key: 'unauthorized', label: '401s', fill: 'fill-amber-500', swatch: 'bg-amber-500' },
  { key: 'rateLimited', label: '429s', fill: 'fill-orange-600', swatch: 'bg-orange-600' },
  { key: 'errors', label: 'Errors', fill: 'fill-red-600', swatch: 'bg-red-600' },
] as const;

const MINUTES = 60;
const WIDTH = 720;
const HEIGHT = 140;
const LEFT = 36;
const BOTTOM = 18;

/**
 * The last hour, one stacked bar per minute, as an inline SVG with a text alternative (title,
 * description with the totals, and the same numbers as a table). Minutes are placed relative to
 * when the report was made, so the server's and the browser's render agree.
 */
export function TimelineChart({ points, generatedAt }: { points: TimelinePoint[]; generatedAt: string }) {
  const titleId = useId();
  const descId = useId();
  const end = Math.floor(new Date(generatedAt).getTime() / 60_000) * 60_000;
  const totals = SERIES.map((series) => points.reduce((sum, point) => sum + point[series.key], 0));
  const max = Math.max(
    1,
    ...points.map((point) => SERIES.reduce((sum, series) => sum + point[series.key], 0)),
  );
  const slot = (WIDTH - LEFT) / MINUTES;
  const plot = HEIGHT - BOTTOM;
  const summary = SERIES.map((series, index) => `${series.label}: ${totals[index]}`).join(', ');

  return (
    <figure>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        className="h-auto w-full"
        data-testid="timeline-chart"
      >
        <title id={titleId}>Token activity per minute over the last hour</title>
        <desc id={descId}>{`Totals for the last 60 minutes. ${summary}.`}</desc>
        <line x1={LEFT} x2={WIDTH} y1={plot} y2={plot} className="stroke-slate-300 dark:stroke-slate-700" />
        <text x={LEFT - 6} y={10} textAnchor="end" className="fill-slate-500 text-[10px]">
          {max}
        </text>
        <text x={LEFT - 6} y={plot} textAnchor="end" className="fill-slate-500 text-[10px]">
          0
        </text>
        {[
          [0, '60 min ago', 'start'],
          [30, '30 min ago', 'middle'],
          [MINUTES, 'now', 'end'],
        ].map(([at, label, anchor]) => (
          <text
            key={label}
            x={LEFT + (at as number) * slot}
            y={HEIGHT - 4}
            textAnchor={anchor as 'start'}
            className="fill-slate-500 text-[10px]"
          >
            {label}
          </text>
        ))}
        {points.map((point) => {
          const index = MINUTES - 1 - Math.round((end - new Date(point.minute).getTime()) / 60_000);
          if (index < 0 || index >= MINUTES) return null;
          let top = plot;
          return SERIES.map((series) => {
            const height = (point[series.key] / max) * (plot - 8);
            if (height <= 0) return null;
            top -= height;
            return (
              <rect
                key={`${point.minute}-${series.key}`}
                x={LEFT + index * slot + 1}
                y={top}
                width={slot - 2}
                height={height}
                className={series.fill}
              >
                <title>{`${new Date(point.minute).toISOString().slice(11, 16)} UTC · ${series.label}: ${point[series.key]}`}</title>
              </rect>
            );
          });
        })}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs">
        {SERIES.map((series, index) => (
          <span key={series.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className={`inline-block h-2.5 w-2.5 rounded-sm ${series.swatch}`} />
            {series.label}: <span className="font-medium tabular-nums">{totals[index]}</span>
          </span>
        ))}
        <span className="text-slate-500">in the last 60 minutes, on this instance</span>
      </figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-600 dark:text-slate-400">Show as a table</summary>
        {points.length === 0 ? (
          <p className="mt-2 text-slate-500">Nothing happened in the last hour.</p>
        ) : (
          <table className="mt-2 min-w-full text-left text-xs">
            <thead>
              <tr>
                <th scope="col" className="py-1 pr-4">
                  Minute
                </th>
                {SERIES.map((series) => (
                  <th key={series.key} scope="col" className="py-1 pr-4">
                    {series.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((point) => (
                <tr key={point.minute} className="border-t border-slate-100 dark:border-slate-800">
                  <th scope="row" className="py-1 pr-4 font-normal">
                    <When iso={point.minute} />
                  </th>
                  {SERIES.map((series) => (
                    <td key={series.key} className="py-1 pr-4 tabular-nums">
                      {point[series.key]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </figure>
  );
}
