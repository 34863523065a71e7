/**
 * The standalone server (`output: 'standalone'` in next.config.mjs): `next build` writes
 * `.next/standalone/server.js` with the node_modules it needs, but leaves out `.next/static` and
 * `public/`. This copies them in, exactly as the Dockerfile does, for `npm start` and the tests.
 * Plain JavaScript: `npm start` must run on Node alone.
 */
import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Copies `.next/static` and `public/` into `.next/standalone` once per build (a marker holds the
 * build id) and returns the path of its `server.js`. Throws when there is no standalone build.
 */
export function prepareStandalone(root) {
  const standalone = path.join(root, '.next', 'standalone');
  const server = path.join(standalone, 'server.js');
  const buildIdFile = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(server) || !existsSync(buildIdFile)) {
    throw new Error('There is no standalone build (.next/standalone/server.js): run `npm run build` first.');
  }
  const buildId = readFileSync(buildIdFile, 'utf8').trim();
  const marker = path.join(standalone, '.assets-build-id');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === buildId) return server;
  const copies = [
    [path.join(root, '.next', 'static'), path.join(standalone, '.next', 'static')],
    [path.join(root, 'public'), path.join(standalone, 'public')],
  ];
  for (const [from, to] of copies) {
    if (!existsSync(from)) continue;
    // Copy beside, then swap: a server already running from here never sees half a folder.
    const fresh = `${to}.${process.pid}.tmp`;
    rmSync(fresh, { recursive: true, force: true });
    cpSync(from, fresh, { recursive: true });
    rmSync(to, { recursive: true, force: true });
    renameSync(fresh, to);
  }
  writeFileSync(marker, `${buildId}\n`);
  return server;
}
