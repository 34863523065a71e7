import type { ServerResponse } from 'node:http';
import type { ProviderName } from './defaults';
import { sendJson } from './http';
import type { Fault } from './state';

const IDENTITY_PROVIDERS = new Set<ProviderName>(['peloton', 'events-identity', 'meti-identity']);

/** An injected error, in the shape the provider itself uses for errors. */
export function sendInjectedError(provider: ProviderName, response: ServerResponse, fault: Fault): void {
  const status = fault.errorStatus ?? 500;
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) headers['retry-after'] = String(fault.retryAfterSeconds ?? 1);
  if (status === 401) headers['www-authenticate'] = 'Bearer error="invalid_token", error_description="The access token expired"';
  const message = `Injected failure (HTTP ${status})`;
  if (IDENTITY_PROVIDERS.has(provider)) {
    const error = status === 503 ? 'temporarily_unavailable' : status >= 500 ? 'server_error' : status === 401 ? 'invalid_client' : 'invalid_request';
    return sendJson(response, status, { error, error_description: message }, headers);
  }
  if (provider === 'wellview') {
    if (status === 401) return sendJson(response, 401, { error: 'unauthorized', error_description: 'The access token expired' }, headers);
    const text = status === 429 ? `Rate limit is exceeded. Try again in ${fault.retryAfterSeconds ?? 1} seconds.` : message;
    return sendJson(response, status, { statusCode: status, message: text }, headers);
  }
  if (provider === 'events') {
    if (status === 401) return sendJson(response, 401, { error: 'invalid_token', error_description: 'The access token expired' }, headers);
    return sendJson(response, status, { error: { code: 'INJECTED', message } }, headers);
  }
  sendJson(response, status, { error: status === 401 ? 'unauthorized' : 'server_error', message }, headers);
}

/** A 200 whose body is not the JSON its content type promises. */
export function sendMalformedBody(response: ServerResponse): void {
  const text = '{"data": [{"id": "1", "name": "truncated';
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Promises a body, sends half of it and drops the connection. */
export function sendCutBody(response: ServerResponse): void {
  const text = JSON.stringify({ data: Array.from({ length: 50 }, (_, index) => ({ id: String(index), name: `Item ${index}` })) });
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.write(text.slice(0, Math.floor(text.length / 2)), () => response.destroy());
}
