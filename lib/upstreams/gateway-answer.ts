import { GatewayError } from '@/lib/client/gateway-client';
import { UpstreamAnswerError, readAnswer } from '@/lib/upstreams/shared/answer';

/**
 * The browser's read of a service API through the gateway, for the METI and Events clients. Unlike
 * a plain `response.json()`, it never leaves a page waiting or showing a parser's message: an
 * empty body, an HTML page, text, or a 200 carrying an error object become a {@link GatewayError}
 * that says what arrived and what to check, and a call that outlives the gateway's own timeout
 * is given up a little after it.
 */

/** How long past the gateway's upstream timeout the browser still waits (queueing, the token). */
const TIMEOUT_MARGIN_MS = 5_000;

export interface AnswerRequest {
  url: string;
  /** Present for a read that is a POST (Events' list query). */
  body?: string;
  /** Names the API in messages ("METI", "Engagifii Events"). */
  source: string;
  /** The gateway's upstream timeout (ms). */
  timeoutMs?: number;
  /** What the user can do about an answer in the wrong format. */
  hint?: string;
}

async function errorFrom(response: Response): Promise<GatewayError> {
  let code = response.status === 404 ? 'NOT_FOUND' : `HTTP_${response.status}`;
  let message = `The request failed (HTTP ${response.status}).`;
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown; error_description?: unknown };
    if (body.error && typeof body.error === 'object') {
      const error = body.error as { code?: unknown; message?: unknown };
      if (typeof error.code === 'string') code = error.code;
      if (typeof error.message === 'string') message = error.message;
    } else if (typeof body.message === 'string') message = body.message;
    else if (typeof body.error_description === 'string') message = body.error_description;
  } catch {
    // Not JSON: the generic message stands.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return new GatewayError(message, response.status, code, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
}

/**
 * Reads one answer through the gateway and returns its JSON; throws a {@link GatewayError} for
 * every way it can fail (HTTP error, timeout, network, a body that is not usable data).
 */
export async function fetchAnswer(request: AnswerRequest): Promise<unknown> {
  const headers = new Headers({ 'x-csrf': '1', accept: 'application/json' });
  if (request.body !== undefined) headers.set('content-type', 'application/json');
  const limit = (request.timeoutMs ?? 30_000) + TIMEOUT_MARGIN_MS;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.body === undefined ? 'GET' : 'POST',
      body: request.body,
      headers,
      credentials: 'same-origin',
      signal: AbortSignal.timeout(limit),
    });
  } catch (error) {
    if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new GatewayError(`${request.source} did not answer within ${Math.round(limit / 1000)} seconds. Try again in a moment.`, 504, 'TIMEOUT', null);
    }
    throw new GatewayError('The dashboard could not be reached. Check your connection and try again.', 0, 'NETWORK', null);
  }
  if (!response.ok) throw await errorFrom(response);
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new GatewayError(`${request.source}'s answer broke off. Try again.`, 502, 'UPSTREAM_BROKEN', null);
  }
  try {
    return readAnswer(text, response.headers.get('content-type'), request.source);
  } catch (error) {
    throw asGatewayError(error, request.hint);
  }
}

/** An {@link UpstreamAnswerError} (or anything thrown while reading an answer) as a page shows it. */
export function asGatewayError(error: unknown, hint?: string): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof UpstreamAnswerError) {
    return new GatewayError(hint ? `${error.message} ${hint}` : error.message, 502, error.code, null);
  }
  const message = error instanceof Error ? error.message : 'The answer could not be read.';
  return new GatewayError(hint ? `${message} ${hint}` : message, 502, 'UNEXPECTED_SHAPE', null);
}
