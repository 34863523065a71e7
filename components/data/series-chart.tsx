import { useDisplay } from '@/hooks/use-display';
import { formatAnyNumber, humanizeKey } from '@/lib/format';
import type { Series } from '@/components/data/value-shape';

const WIDTH = 360;
const HEIGHT = 140;
const PAD = { left: 56, right: 12, top: 10, bottom: 24 };

/**
 * A small line chart of a numeric series (monthly emissions and the like), drawn as plain SVG.
 * It is an image to assistive technology, with a label that states the range; the caller shows
 * the same numbers as a table next to it.
 */
export function SeriesChart({ series, label }: { series: Series; label: string }) {
  const display = useDisplay();
  const { points, valueKey } = series;
  const values = points.map((point) => point.value);
  const min = Math.min(0, ...values);
  const max = Math.max(...values);
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  const spanTime = last.time - first.time;
  // Scaled first, so a span between huge doubles (1e308 and -1e308) cannot overflow to Infinity.
  const scale = Math.max(Math.abs(min), Math.abs(max)) || 1;
  const spanValue = max / scale - min / scale || 1;
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  // Equal times (or one instant) would divide by zero: fall back to evenly spaced points.
  const x = (time: number, index: number) =>
    PAD.left + (spanTime > 0 ? ((time - first.time) / spanTime) * innerWidth : (index / Math.max(points.length - 1, 1)) * innerWidth);
  const y = (value: number) => PAD.top + (1 - (value / scale - min / scale) / spanValue) * innerHeight;
  const line = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.time, index).toFixed(1)} ${y(point.value).toFixed(1)}`).join('');
  const lowest = Math.min(...values);
  const description = `${label}: ${humanizeKey(valueKey).toLowerCase()} over ${points.length} periods from ${first.label} to ${last.label}; lowest ${formatAnyNumber(display, lowest)}, highest ${formatAnyNumber(display, max)}.`;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={description} className="h-auto w-full max-w-md text-slate-500 dark:text-slate-400">
      <title>{description}</title>
      <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(min)} y2={y(min)} className="stroke-slate-300 dark:stroke-slate-700" />
      <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={HEIGHT - PAD.bottom} className="stroke-slate-300 dark:stroke-slate-700" />
      <text x={PAD.left - 6} y={y(max) + 4} textAnchor="end" className="fill-current text-[10px]">
        {formatAnyNumber(display, max)}
      </text>
      <text x={PAD.left - 6} y={y(min) + 4} textAnchor="end" className="fill-current text-[10px]">
        {formatAnyNumber(display, min)}
      </text>
      <text x={PAD.left} y={HEIGHT - 6} className="fill-current text-[10px]">
        {first.label.slice(0, 24)}
      </text>
      <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" className="fill-current text-[10px]">
        {last.label.slice(0, 24)}
      </text>
      <path d={line} fill="none" strokeWidth="2" className="stroke-brand-500" />
      {points.length <= 120 &&
        points.map((point, index) => (
          <circle key={index} cx={x(point.time, index)} cy={y(point.value)} r="2.5" className="fill-brand-600 dark:fill-brand-100" />
        ))}
    </svg>
  );
}
