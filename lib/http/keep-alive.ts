import 'server-only';
import { subscribe } from 'node:diagnostics_channel';
import type { Server } from 'node:http';

/**
 * Node closes an idle keep-alive connection after 5 s by default. A client or load balancer that
 * reuses the connection at that moment has it closed under it: no answer, nothing logged, and
 * behind a load balancer with a 60 s idle timeout an intermittent 502. The server must therefore
 * keep idle connections open longer than whatever sits in front of it.
 */

/** Headers must be allowed to arrive for a little longer than an idle connection lives. */
export const HEADERS_TIMEOUT_MARGIN_MS = 1_000;

export interface ServerTimeouts {
  keepAliveTimeout: number;
  headersTimeout: number;
  requestTimeout: number;
}

/** The timeouts for a keep-alive of `keepAliveTimeoutMs`, given the server's current request timeout. */
export function serverTimeouts(keepAliveTimeoutMs: number, currentRequestTimeout: number): ServerTimeouts {
  const headersTimeout = keepAliveTimeoutMs + HEADERS_TIMEOUT_MARGIN_MS;
  // Node expects requestTimeout >= headersTimeout (0 means no request timeout at all).
  const requestTimeout = currentRequestTimeout === 0 ? 0 : Math.max(currentRequestTimeout, headersTimeout);
  return { keepAliveTimeout: keepAliveTimeoutMs, headersTimeout, requestTimeout };
}

const configured = new WeakSet<Server>();
let installed = false;

/**
 * Sets `keepAliveTimeout` (and `headersTimeout` = keep-alive + 1 s) on the HTTP server that serves
 * this app, whichever way it was started (`next start`, the standalone `server.js`, the tests):
 * Next.js creates that server itself and exposes no option for the headers timeout, so the server
 * is taken from Node's `http.server.request.start` diagnostics channel on its first request.
 * Node reads `keepAliveTimeout` when a response finishes, so even the first connection keeps it.
 */
export function installKeepAlive(keepAliveTimeoutMs: number): void {
  if (installed) return;
  installed = true;
  subscribe('http.server.request.start', (message) => {
    const { server } = message as { server?: Server };
    if (!server || configured.has(server)) return;
    configured.add(server);
    Object.assign(server, serverTimeouts(keepAliveTimeoutMs, server.requestTimeout));
  });
}
