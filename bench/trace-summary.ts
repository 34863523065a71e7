/**
 * `npx tsx bench/trace-summary.ts <trace.json> [keystrokes]`: where a Chromium trace's time went,
 * for the trace `MAP_TRACE=<file> npm run bench -- map` writes of the wells search. Sums the
 * renderer's main-thread work by kind (script, style, layout, paint…) and the raster threads' work,
 * per keystroke, and lists the longest main-thread tasks. Durations nest (a task holds its script,
 * style and layout), so the kinds are read side by side, not added up.
 */
import { readFileSync } from 'node:fs';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

const KINDS: Record<string, string[]> = {
  'task (all main-thread work)': ['ThreadControllerImpl::RunTask'],
  'script (functions called, nested in events and timers)': ['FunctionCall'],
  'event dispatch (keystroke handlers, sync render)': ['EventDispatch'],
  'garbage collection': ['MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'V8.GC_MARK_COMPACTOR', 'BlinkGC.AtomicPhase'],
  'style (UpdateLayoutTree)': ['UpdateLayoutTree'],
  layout: ['Layout'],
  'pre-paint': ['PrePaint'],
  'paint (display lists)': ['Paint'],
  'layerize and commit': ['Layerize', 'Commit'],
};

function main() {
  const [file, keysArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/trace-summary.ts <trace.json> [keystrokes]');
  const keys = Number(keysArg ?? 18);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const threadNames = new Map<string, string>();
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name') threadNames.set(`${event.pid}:${event.tid}`, event.args?.name ?? '');
  }
  const thread = (event: TraceEvent) => threadNames.get(`${event.pid}:${event.tid}`) ?? '';
  const complete = events.filter((event) => event.ph === 'X' && typeof event.dur === 'number');
  const main = complete.filter((event) => thread(event) === 'CrRendererMain');
  const totals = new Map<string, number>();
  for (const [kind, names] of Object.entries(KINDS)) {
    totals.set(kind, main.filter((event) => names.includes(event.name)).reduce((sum, event) => sum + (event.dur ?? 0), 0) / 1000);
  }
  const raster = complete
    .filter((event) => /Compositor|Raster|TileWorker/i.test(thread(event)) && /RasterTask|PaintToCanvas|RasterizerTask/.test(event.name))
    .reduce((sum, event) => sum + (event.dur ?? 0), 0);
  totals.set('raster (worker threads)', raster / 1000);
  console.log(`Per keystroke (${keys} keys), ms:`);
  for (const [kind, ms] of totals) console.log(`  ${kind.padEnd(42)} ${(ms / keys).toFixed(1).padStart(7)}`);
  const longest = main
    .filter((event) => KINDS['task (all main-thread work)']?.includes(event.name))
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, 8);
  console.log('Longest main-thread tasks, ms (and what ran in them):');
  for (const task of longest) {
    const end = task.ts + (task.dur ?? 0);
    const inside = new Map<string, number>();
    for (const event of main) {
      if (event === task || event.ts < task.ts || event.ts >= end) continue;
      for (const [kind, names] of Object.entries(KINDS)) {
        if (names.includes(event.name) && kind !== 'task (all main-thread work)') inside.set(kind, (inside.get(kind) ?? 0) + (event.dur ?? 0) / 1000);
      }
    }
    const parts = [...inside].filter(([, ms]) => ms >= 0.5).map(([kind, ms]) => `${kind.split(' ')[0]} ${ms.toFixed(1)}`);
    console.log(`  ${((task.dur ?? 0) / 1000).toFixed(1).padStart(7)}  ${parts.join(', ')}`);
  }
}

main();
