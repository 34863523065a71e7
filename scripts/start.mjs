#!/usr/bin/env node
/**
 * `npm start`: the production server exactly as the container runs it, `.next/standalone/server.js`
 * (with `.next/static` and `public/` copied in). Takes `next start`'s flags `-p/--port` and
 * `-H/--hostname`; `PORT` works too. Defaults: port 3000, every interface.
 * Keep-alive and headers timeouts come from the app itself (`KEEP_ALIVE_TIMEOUT_MS`, default 65 s).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { prepareStandalone } from './standalone.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function option(short, long) {
  const args = process.argv.slice(2);
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === short || arg === long) return args[index + 1];
    if (arg.startsWith(`${long}=`)) return arg.slice(long.length + 1);
  }
  return undefined;
}

let server;
try {
  server = prepareStandalone(root);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const port = option('-p', '--port') ?? process.env.PORT ?? '3000';
if (!/^\d+$/.test(port)) {
  console.error(`The port must be a number (got "${port}").`);
  process.exit(1);
}
process.env.PORT = port;
// server.js reads HOSTNAME, which shells and containers set to the machine's name: choose here.
process.env.HOSTNAME = option('-H', '--hostname') ?? '0.0.0.0';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
// server.js's own keep-alive setting covers the connections that arrive before the app's first
// request installs KEEP_ALIVE_TIMEOUT_MS with its matching headers timeout (lib/http/keep-alive.ts).
process.env.KEEP_ALIVE_TIMEOUT ??= process.env.KEEP_ALIVE_TIMEOUT_MS ?? '65000';
// server.js loads env files from .next/standalone, where the build copies only .env and
// .env.production: load this checkout's (.env.local included) as `next start` would. Variables
// already set win, as there.
createRequire(import.meta.url)('@next/env').loadEnvConfig(root, false, {
  info: () => {},
  error: console.error,
});
await import(pathToFileURL(server).href);
