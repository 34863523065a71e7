import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Accepts an incoming request id only when it is short and plain; otherwise makes a new one. */
export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get(REQUEST_ID_HEADER);
  return incoming && /^[\w.-]{8,64}$/.test(incoming) ? incoming : randomUUID();
}
