import { CLIENT_TIMEOUT_MARGIN_MS, GatewayError, gatewayFetch } from '@/lib/client/gateway-client';
import { UpstreamAnswerError } from '@/lib/upstreams/shared/answer';

/**
 * The METI and Events clients' read through the gateway: {@link gatewayFetch} (X-CSRF, a timeout
 * a little past the gateway's own, empty/HTML/non-JSON/error-object 200s as errors), with the
 * client's own advice added to answers in the wrong format, so the page says what to check.
 */

export interface AnswerRequest {
  url: string;
  /** Present for a read that is a POST (Events' list query). */
  body?: string;
  /** Names the API in messages ("METI", "Engagifii Events"). */
  source: string;
  /** The gateway's upstream timeout (ms); the browser waits a margin longer. */
  timeoutMs?: number;
  /** What the user can do about an answer in the wrong format. */
  hint?: string;
}

/** Codes of answers that arrived but are not usable data (see `lib/upstreams/shared/answer.ts`). */
const ANSWER_CODES = new Set(['EMPTY_ANSWER', 'HTML_ANSWER', 'NOT_JSON', 'ERROR_ANSWER', 'UNEXPECTED_SHAPE', 'PAGING_STOPPED']);

/**
 * Reads one answer through the gateway and returns its JSON; throws a {@link GatewayError} for
 * every way it can fail (HTTP error, timeout, network, a body that is not usable data).
 */
export async function fetchAnswer(request: AnswerRequest): Promise<unknown> {
  try {
    return await gatewayFetch<unknown>(request.url, {
      method: request.body === undefined ? 'GET' : 'POST',
      body: request.body,
      headers: { accept: 'application/json' },
      ...(request.timeoutMs ? { timeoutMs: request.timeoutMs + CLIENT_TIMEOUT_MARGIN_MS } : {}),
    });
  } catch (error) {
    throw asGatewayError(error, request.hint);
  }
}

/** An {@link UpstreamAnswerError} (or anything thrown while reading an answer) as a page shows it. */
export function asGatewayError(error: unknown, hint?: string): GatewayError {
  const withHint = (message: string) => (hint ? `${message} ${hint}` : message);
  if (error instanceof GatewayError) {
    if (!ANSWER_CODES.has(error.code) || !hint || error.message.includes(hint)) return error;
    return new GatewayError(withHint(error.message), error.status, error.code, error.retryAfter);
  }
  if (error instanceof UpstreamAnswerError) return new GatewayError(withHint(error.message), 502, error.code, null);
  const message = error instanceof Error ? error.message : 'The answer could not be read.';
  return new GatewayError(withHint(message), 502, 'UNEXPECTED_SHAPE', null);
}
