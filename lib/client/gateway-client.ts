/**
 * The browser's side of the gateway: every call carries `X-CSRF: 1`, gives up after a timeout a
 * little longer than the gateway's own, and every failure becomes a {@link GatewayError} with a
 * code and a plain message — including 200s that are no answer (HTML, empty, an error object).
 */
import { readAnswer, UpstreamAnswerError } from '@/lib/upstreams/shared/answer';

/** The gateway's upstream timeout (30 s by default); pages may pass the configured one. */
export const DEFAULT_GATEWAY_TIMEOUT_MS = 30_000;
/** Our own queueing and the network on top of the gateway's timeout. */
export const CLIENT_TIMEOUT_MARGIN_MS = 5_000;

export class GatewayError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly retryAfter: number | null,
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  get signInRequired(): boolean {
    return this.code === 'SIGN_IN_REQUIRED';
  }

  /** An answer that will be the same on a retry: a refusal, or a body that is not data. */
  get permanent(): boolean {
    if (this.busy || this.signInRequired) return false;
    if (this.code === 'ERROR_ANSWER' || this.code === 'UNEXPECTED_SHAPE') return true;
    return this.status >= 400 && this.status < 500;
  }

  /** Busy rather than broken: our queue, a refresh in progress elsewhere, or the provider's rate limit. */
  get busy(): boolean {
    return this.status === 429 || this.code === 'RATE_LIMITED' || this.code === 'UPSTREAM_RATE_LIMITED' || this.code === 'BUSY';
  }
}

async function toError(response: Response): Promise<GatewayError> {
  let code = `HTTP_${response.status}`;
  let message = `The request failed (HTTP ${response.status}).`;
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown; error_description?: unknown };
    if (body.error && typeof body.error === 'object') {
      const error = body.error as { code?: unknown; message?: unknown };
      if (typeof error.code === 'string') code = error.code;
      if (typeof error.message === 'string') message = error.message;
    } else if (typeof body.message === 'string') {
      message = body.message;
    } else if (typeof body.error_description === 'string') {
      message = body.error_description;
    }
  } catch {
    // Not JSON: keep the generic message.
  }
  if (response.status === 404 && code.startsWith('HTTP_')) code = 'NOT_FOUND';
  const retryAfter = Number(response.headers.get('retry-after'));
  return new GatewayError(message, response.status, code, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
}

/** Names the provider behind a dashboard URL, for messages. */
export function sourceOf(url: string): string {
  const path = url.replace(/^https?:\/\/[^/]+/, '');
  if (path.startsWith('/api/wellview/') || path.startsWith('/api/targets/wellview')) return 'WellView';
  if (path.startsWith('/api/events/')) return 'Events';
  if (path.startsWith('/api/meti/')) return 'METI';
  return 'The dashboard';
}

/** A {@link GatewayError} for an answer that arrived with a success status but is not data. */
export function answerError(error: UpstreamAnswerError): GatewayError {
  return new GatewayError(error.message, 502, error.code, null);
}

let defaultTimeoutMs = DEFAULT_GATEWAY_TIMEOUT_MS + CLIENT_TIMEOUT_MARGIN_MS;

/** Adopts the server's configured upstream timeout (pages pass it down in their settings). */
export function setGatewayTimeout(upstreamTimeoutMs: number): void {
  if (Number.isFinite(upstreamTimeoutMs) && upstreamTimeoutMs > 0) defaultTimeoutMs = upstreamTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS;
}

/** How a call leaves: `fetch` in the browser; on the server, the dashboard's own API in-process. */
export type GatewayTransport = (url: string, init: RequestInit) => Promise<Response>;

let transportSource: () => GatewayTransport | undefined = () => undefined;

/**
 * Server only (`lib/server-data/transport.ts`): where the calls made while rendering go, so the
 * same clients read the same routes, with the same checks, token and cache, without a socket.
 * `source` answers undefined outside a server render, and the call goes to `fetch`.
 */
export function setGatewayTransportSource(source: () => GatewayTransport | undefined): void {
  transportSource = source;
}

export interface GatewayFetchOptions extends RequestInit {
  /** Give up after this long (default: the gateway's timeout plus a margin). */
  timeoutMs?: number;
}

/**
 * Calls a dashboard `/api` route and parses its JSON answer. Never waits forever: after
 * `timeoutMs` it fails with `CLIENT_TIMEOUT`; an empty, HTML, non-JSON or error-object 200 fails
 * with a message that says which.
 */
export async function gatewayFetch<T>(url: string, init: GatewayFetchOptions = {}): Promise<T> {
  const { timeoutMs = defaultTimeoutMs, ...request } = init;
  const headers = new Headers(request.headers);
  headers.set('x-csrf', '1');
  if (request.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const controller = new AbortController();
  const outer = request.signal;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const source = sourceOf(url);
  try {
    const send = transportSource() ?? fetch;
    const response = await send(url, { ...request, headers, credentials: 'same-origin', signal: controller.signal });
    if (!response.ok) throw await toError(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return readAnswer(text, response.headers.get('content-type'), source) as T;
  } catch (error) {
    if (timedOut) {
      throw new GatewayError(
        `${source} did not answer within ${Math.round(timeoutMs / 1000)} seconds. Try again; if it keeps happening, the provider may be down.`,
        504,
        'CLIENT_TIMEOUT',
        null,
      );
    }
    if (error instanceof UpstreamAnswerError) throw answerError(error);
    if (error instanceof GatewayError || (error instanceof Error && error.name === 'AbortError')) throw error;
    throw new GatewayError(`${source} could not be reached from this browser. Check the connection and try again.`, 0, 'NETWORK_ERROR', null);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  }
}

/** Sends the browser to sign in and back to this very view. */
export function redirectToSignIn(): void {
  const here = `${window.location.pathname}${window.location.search}`;
  // A full navigation on purpose: the ended session's cookies are cleared by the server's answer.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`/login?error=session_expired&returnTo=${encodeURIComponent(here)}`);
}
