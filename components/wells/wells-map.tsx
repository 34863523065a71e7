'use client';

import { useRouter } from 'next/navigation';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { loadAtlas, loadedAtlas, outlinePaths, outlineWindow, type Atlas, type Outlines } from '@/lib/map/atlas';
import { useDisplay } from '@/hooks/use-display';
import type { Display } from '@/lib/display/setting';
import { formatCount } from '@/lib/format';
import {
  clusterPoints,
  extentOf,
  fitProjection,
  inBox,
  isOneSpot,
  placeable,
  snapExtent,
  type GeoBox,
  type MapMark,
  type MapPoint,
  type MapSize,
} from '@/lib/map/geometry';

export type { MapPoint } from '@/lib/map/geometry';

const SIZE: MapSize = { width: 640, height: 400, padding: 16 };
/** Cluster cell in SVG units: at most about 28 × 18 marks, however many wells. */
const CELL = 24;
/** The text alternative and a spot's list show this many wells, then a count. */
const LIST_LIMIT = 100;

let fitted: { key: string; positions: WeakMap<MapPoint, readonly [number, number]> } = { key: '', positions: new WeakMap() };
/**
 * The points' positions under the fit for a snapped box (the drawing size is fixed): while the
 * wells' extent stays in one box, typing projects each well once, not on every keystroke.
 */
function positionsFor(box: string): WeakMap<MapPoint, readonly [number, number]> {
  if (fitted.key !== box) fitted = { key: box, positions: new WeakMap() };
  return fitted.positions;
}

const wellHref = (id: string) => `/wells/${encodeURIComponent(id)}`;

/** Opens a link in the app without a full page load, unless the user asked for a new tab or window. */
function useAppNavigation() {
  const router = useRouter();
  return (event: MouseEvent, href: string) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.push(href);
  };
}

/**
 * State and country outlines, drawn once per projection shape and region (cached) and placed on
 * this extent with a transform: a keystroke that moves or zooms the view only changes the transform.
 * Memoized on those strings, so a render that only moves wells skips it, and drawn in an SVG of its
 * own, on a layer of its own (`will-change`), so Chromium rasterizes its long paths again only when
 * they or their transform change, not when a well does.
 */
const MapOutlines = memo(function MapOutlines({ outlines, transform, stroke }: { outlines: Outlines; transform: string; stroke: string }) {
  return (
    <svg
      viewBox={`0 0 ${SIZE.width} ${SIZE.height}`}
      aria-hidden="true"
      className="pointer-events-none absolute inset-0 h-full w-full will-change-transform"
    >
      <g transform={transform}>
        <path data-outline="countries" d={outlines.countries} className="fill-white stroke-slate-400 dark:fill-slate-900 dark:stroke-slate-600" strokeWidth={stroke} />
        <path data-outline="states" d={outlines.states} className="fill-white stroke-slate-400 dark:fill-slate-900 dark:stroke-slate-600" strokeWidth={stroke} />
      </g>
    </svg>
  );
});

function clusterLabel(display: Display, points: readonly MapPoint[], oneSpot: boolean): string {
  const names = points
    .slice(0, 3)
    .map((point) => point.name)
    .join(', ');
  return `${formatCount(display, points.length)} wells (${names}${points.length > 3 ? ', …' : ''}): ${oneSpot ? 'list them' : 'zoom in'}`;
}

/**
 * The wells and groups. Keyed by grid cell, so a keystroke that changes which wells a cell holds
 * updates its element in place; each mark is named by `aria-label` (no `<title>`: fewer nodes to
 * create and lay out, and the name is the same).
 */
const Marks = memo(function Marks({ marks, onCluster }: { marks: MapMark[]; onCluster: (points: MapPoint[]) => void }) {
  const navigate = useAppNavigation();
  const display = useDisplay();
  return (
    <g>
      {marks.map((mark) => {
        const [cx, cy] = [mark.x.toFixed(1), mark.y.toFixed(1)];
        if (mark.kind === 'point') {
          const href = wellHref(mark.point.id);
          return (
            <a key={`p:${mark.cell}`} href={href} aria-label={mark.point.name} onClick={(event) => navigate(event, href)} className="group">
              <circle
                cx={cx}
                cy={cy}
                r="4"
                className="fill-brand-600 stroke-white group-hover:fill-brand-700 group-focus-visible:stroke-slate-900 dark:stroke-slate-900 dark:group-focus-visible:stroke-white"
                strokeWidth="1.5"
              />
            </a>
          );
        }
        const oneSpot = isOneSpot(mark.points);
        const label = clusterLabel(display, mark.points, oneSpot);
        const activate = () => onCluster(mark.points);
        const radius = Math.min(5 + Math.log2(mark.points.length) * 1.4, 11);
        return (
          <g
            key={`c:${mark.cell}`}
            role="button"
            tabIndex={0}
            aria-label={label}
            onClick={activate}
            onKeyDown={(event: KeyboardEvent) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                activate();
              }
            }}
            className="group cursor-pointer outline-none"
          >
            <circle
              cx={cx}
              cy={cy}
              r={radius.toFixed(1)}
              className="fill-brand-500/80 stroke-white group-hover:fill-brand-600 group-focus-visible:stroke-slate-900 dark:stroke-slate-900 dark:group-focus-visible:stroke-white"
              strokeWidth="2"
            />
            <text x={cx} y={(mark.y + 3).toFixed(1)} textAnchor="middle" className="pointer-events-none fill-white text-[9px] font-semibold">
              {mark.points.length > 999 ? `${Math.floor(mark.points.length / 1000)}k` : mark.points.length}
            </text>
          </g>
        );
      })}
    </g>
  );
});

/** A bounded list of wells as links: the map's text alternative, and what a cluster at one spot opens. */
function WellList({ points, label }: { points: readonly MapPoint[]; label: string }) {
  const display = useDisplay();
  const shown = points.slice(0, LIST_LIMIT);
  return (
    <div className="mt-2 text-sm">
      <table className="w-full text-left">
        <caption className="sr-only">{label}</caption>
        <thead>
          <tr className="text-slate-500 dark:text-slate-400">
            <th scope="col" className="py-1 pr-3 font-medium">Well</th>
            <th scope="col" className="py-1 pr-3 font-medium">Latitude</th>
            <th scope="col" className="py-1 font-medium">Longitude</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((point) => (
            <tr key={point.id} className="border-t border-slate-100 dark:border-slate-800">
              <td className="py-1 pr-3">
                <a href={wellHref(point.id)} className="text-brand-600 underline dark:text-brand-100">
                  {point.name}
                </a>
              </td>
              <td className="py-1 pr-3 tabular-nums">{point.lat.toFixed(5)}</td>
              <td className="py-1 tabular-nums">{point.lon.toFixed(5)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {points.length > shown.length && (
        <p className="mt-1 text-slate-500 dark:text-slate-400">
          {formatCount(display, points.length - shown.length)} more; narrow the search to list them.
        </p>
      )}
    </div>
  );
}

interface Focus {
  /** The points this focus was chosen from: a new filter ends it. */
  from: readonly MapPoint[];
  box?: GeoBox;
  listed?: MapPoint[];
}

/**
 * The filtered wells on a map of state and country outlines (bundled atlas, drawn with d3-geo,
 * nothing fetched from a tile server). The projection is fitted to the wells' extent; nearby
 * wells are grouped by screen cell, so 5,000 wells make at most a few hundred marks. Each well is
 * a link to its page and each group a button that zooms in (or lists the wells when they share
 * one spot); a table of the wells shown is the text alternative.
 */
export const WellsMap = memo(function WellsMap({ points }: { points: readonly MapPoint[] }) {
  const display = useDisplay();
  const [atlas, setAtlas] = useState<Atlas | null>(loadedAtlas);
  const [focus, setFocus] = useState<Focus | null>(null);
  const [listOpen, setListOpen] = useState(false);
  const svgRef = useRef<SVGSVGElement>(null);
  const spotRef = useRef<HTMLDivElement>(null);

  const placed = useMemo(() => placeable(points), [points]);
  // The atlas (about 75 KB compressed) is fetched when the map comes near the viewport: the
  // map sits under the table, and a user who never scrolls to it never pays for its outlines.
  const figureRef = useRef<HTMLElement>(null);
  const hasFigure = placed.length > 0;
  useEffect(() => {
    if (!hasFigure || atlas) return undefined;
    let live = true;
    const load = () =>
      loadAtlas().then(
        (loaded) => live && setAtlas(loaded),
        // Without outlines the wells are still placed correctly; nothing to tell the user.
        () => undefined,
      );
    const figure = figureRef.current;
    if (!figure || typeof IntersectionObserver === 'undefined') {
      void load();
      return () => {
        live = false;
      };
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        void load();
      },
      { rootMargin: '400px' },
    );
    observer.observe(figure);
    return () => {
      live = false;
      observer.disconnect();
    };
  }, [hasFigure, atlas]);

  const current = focus?.from === points ? focus : null;
  const shown = useMemo(() => (current?.box ? placed.filter((point) => inBox(point, current.box as GeoBox)) : placed), [placed, current]);
  const view = useMemo(() => {
    const extent = extentOf(shown);
    if (!extent) return null;
    const box = snapExtent(extent);
    const fit = fitProjection(box, SIZE);
    const windowBox = outlineWindow(box, fit.shape);
    const outlineKey = `${fit.shape.key}|${windowBox.west},${windowBox.south},${windowBox.east},${windowBox.north}`;
    const positions = positionsFor(`${box.west},${box.south},${box.east},${box.north}`);
    return { box, fit, outlineKey, marks: clusterPoints(shown, fit.projection, CELL, positions) };
  }, [shown]);
  // Drawing the outlines of a new region or shape takes longer than placing the wells: it
  // happens in a deferred render after the keystroke's frame, and outlines of another shape are
  // never shown under wells placed with this one.
  const outlineKey = useDeferredValue(view?.outlineKey);

  // Stable for Marks' memo: reads the points and focus of the latest render.
  const latest = useRef({ points, box: current?.box });
  useEffect(() => {
    latest.current = { points, box: current?.box };
  });
  const onCluster = useCallback((members: MapPoint[]) => {
    const spot = isOneSpot(members);
    const { points: from, box } = latest.current;
    setFocus(spot ? { from, box, listed: members } : { from, box: extentOf(members) ?? undefined });
    // The activated group is gone after a zoom: keep keyboard users in the map (Tab reaches its marks next).
    requestAnimationFrame(() => (spot ? spotRef.current : svgRef.current)?.focus());
  }, []);
  const outlines = atlas && view && outlineKey === view.outlineKey ? outlinePaths(atlas, view.fit.shape, view.box) : null;

  if (placed.length === 0) return null;
  const unplaced = points.length - placed.length;

  return (
    <figure ref={figureRef} className="mt-6 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <figcaption className="mb-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm font-medium">
        <span data-testid="wells-map-count">
          Map of {formatCount(display, shown.length)} {current?.box ? `of the ${formatCount(display, placed.length)} ` : ''}filtered wells with coordinates
          {unplaced > 0 ? ` (${formatCount(display, unplaced)} without coordinates are not placed)` : ''}
        </span>
        {current?.box && (
          <button type="button" onClick={() => setFocus(null)} className="rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-700">
            Show all {formatCount(display, placed.length)} wells
          </button>
        )}
      </figcaption>
      <div className="relative overflow-hidden rounded-lg bg-sky-50 dark:bg-slate-800">
        {outlines && view && (
          // Stroke width set in drawing units, not with vector-effect="non-scaling-stroke", which Chromium paints slowly on long paths.
          <MapOutlines outlines={outlines} transform={view.fit.transform} stroke={(0.75 / view.fit.scale).toPrecision(4)} />
        )}
        <svg
          ref={svgRef}
          tabIndex={-1}
          viewBox={`0 0 ${SIZE.width} ${SIZE.height}`}
          role="group"
          aria-label={`Map of ${formatCount(display, shown.length)} wells; a number marks a group of nearby wells`}
          className="relative block h-auto w-full will-change-transform"
        >
          {view && <Marks marks={view.marks} onCluster={onCluster} />}
        </svg>
      </div>
      {current?.listed && (
        <div ref={spotRef} tabIndex={-1} role="region" aria-label="Wells at this spot" className="mt-3">
          <div className="flex items-center justify-between text-sm font-medium">
            <span>{formatCount(display, current.listed.length)} wells at this spot</span>
            <button type="button" onClick={() => setFocus(current.box ? { from: points, box: current.box } : null)} className="rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-700">
              Close
            </button>
          </div>
          <WellList points={current.listed} label="Wells at this spot" />
        </div>
      )}
      <details className="mt-3" onToggle={(event) => setListOpen(event.currentTarget.open)}>
        <summary className="cursor-pointer text-sm text-brand-600 underline dark:text-brand-100">List the wells on the map</summary>
        {listOpen && <WellList points={shown} label="Wells on the map" />}
      </details>
    </figure>
  );
});
