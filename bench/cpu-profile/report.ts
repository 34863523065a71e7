/**
 * Where a profile's time goes, per request: inclusive and self time by original function and
 * source line (the build's source maps turn Turbopack's minified chunks back into lib/ and
 * node_modules/ names). `filter` is a regular expression over the labels.
 *
 *   tsx bench/cpu-profile/report.ts <profile> <requests> [filter]
 *
 * The maps are read next to the chunks the profile names; MAP_ROOT=<dir>/ reads them from a copy
 * of that `.next/` instead (when the checkout was rebuilt since).
 */
import { existsSync, readFileSync } from 'node:fs';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }
const [file, requestsArg, filter] = process.argv.slice(2) as [string, string, string?];
const requests = Number(requestsArg);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const maps = new Map<string, TraceMap | null>();
function mapFor(url: string): TraceMap | null {
  if (!maps.has(url)) {
    const file = url.replace(/^file:\/\//, '');
    const path = `${process.env.MAP_ROOT ? file.replace(/^.*\/\.next\//, process.env.MAP_ROOT) : file}.map`;
    let map: TraceMap | null = null;
    if (url.includes('/.next/') && existsSync(path)) {
      const raw = JSON.parse(readFileSync(path, 'utf8'));
      try {
        map = new TraceMap(raw);
      } catch {
        map = null;
      }
    }
    maps.set(url, map);
  }
  return maps.get(url) ?? null;
}
const labels = new Map<number, string>();
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
function label(node: Node): string {
  let l = labels.get(node.id);
  if (l) return l;
  const { url, functionName, lineNumber, columnNumber } = node.callFrame;
  const map = mapFor(url);
  if (map) {
    const pos = originalPositionFor(map, { line: lineNumber + 1, column: columnNumber });
    const src = (pos.source ?? '?').replace(/^.*\/(node_modules\/)/, 'nm/').replace(/^.*turbopack:\/\/\/\[project\]\//, '');
    l = `${pos.name ?? functionName ?? '(anon)'} ${src}:${pos.line}`;
  } else {
    l = `${functionName || '(anon)'} ${url.replace(/^.*node_modules\//, 'nm/')}:${lineNumber}`;
  }
  labels.set(node.id, l);
  return l;
}
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const self = new Map<string, number>();
const incl = new Map<string, number>();
for (let i = 0; i < profile.samples.length; i += 1) {
  const dt = (profile.timeDeltas[i] ?? 0) / requests;
  const id = profile.samples[i] as number;
  const l0 = label(byId.get(id) as Node);
  self.set(l0, (self.get(l0) ?? 0) + dt);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur) as Node);
    if (seen.has(l)) continue;
    seen.add(l);
    incl.set(l, (incl.get(l) ?? 0) + dt);
  }
}
const re = new RegExp(filter ?? '.');
for (const [title, m] of [['inclusive µs/req', incl], ['self µs/req', self]] as const) {
  console.log(`\n## ${title}`);
  for (const [k, v] of [...m].filter(([k]) => re.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(`${v.toFixed(1).padStart(8)}  ${k}`);
}
