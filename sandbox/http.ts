import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request as the fake providers see it: path split from query, body already read. */
export interface SandboxRequest {
  method: string;
  /** Path inside the provider's prefix, e.g. `/oauth/token`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  raw: IncomingMessage;
}

export class BodyTooLargeError extends Error {}

export const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    // No form-action: Chromium applies it to the redirect back to the client after sign-in.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  response.end(html);
}

export function redirect(response: ServerResponse, location: string, status = 302): void {
  response.writeHead(status, { location, 'cache-control': 'no-store', 'content-length': 0 });
  response.end();
}

/** Form-encoded or JSON body parameters, as an OAuth token endpoint reads them. */
export function bodyParameters(request: SandboxRequest): { params: Record<string, string>; format: 'form' | 'json' | 'other' } {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const text = request.body.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') {
    return { params: Object.fromEntries(new URLSearchParams(text)), format: 'form' };
  }
  if (type === 'application/json') {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const params: Record<string, string> = {};
        for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') params[key] = value;
        return { params, format: 'json' };
      }
    } catch {
      // fall through
    }
    return { params: {}, format: 'json' };
  }
  return { params: {}, format: 'other' };
}

/** Client credentials from HTTP Basic or from the body (client_secret_basic / client_secret_post). */
export function clientCredentials(
  request: SandboxRequest,
  params: Record<string, string>,
): { clientId?: string; clientSecret?: string; method: 'basic' | 'post' | 'none' } {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    if (at > 0) {
      const clientId = decodeComponent(decoded.slice(0, at));
      const clientSecret = decodeComponent(decoded.slice(at + 1));
      // Malformed percent-encoding authenticates no one (and must not throw).
      if (clientId === null || clientSecret === null) return { method: 'basic' };
      return { clientId, clientSecret, method: 'basic' };
    }
  }
  if (params.client_id) return { clientId: params.client_id, clientSecret: params.client_secret, method: 'post' };
  return { method: 'none' };
}

/** A percent-encoded path segment or credential, decoded; null when its encoding is malformed. */
export function decodeComponent(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

export function bearerToken(request: SandboxRequest): string | null {
  const header = request.headers.authorization;
  if (!header || !/^bearer\s+/i.test(header)) return null;
  return header.replace(/^bearer\s+/i, '').trim() || null;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
