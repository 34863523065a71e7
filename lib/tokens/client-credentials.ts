import 'server-only';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { expiresAtFrom, isDueForRenewal } from '@/lib/auth/token-times';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { traceTokenRequest, withSpan } from '@/lib/observability/tracing';
import { processSingleton } from '@/lib/runtime';
import { openSeal, seal } from '@/lib/session';
import { fingerprint, storeKey } from '@/lib/tokens/keys';
import { recordClientTokenLookup, recordTokenRequest } from '@/lib/observability/store';
import { SingleFlight } from '@/lib/tokens/single-flight';
import { getTokenStore } from '@/lib/tokens/store-factory';

/**
 * Client-credentials tokens for service APIs (Events: IdentityServer4, form body and `scope`;
 * METI: Auth0, JSON body and `audience`). One generic provider, configured per API. Tokens are
 * cached until shortly before expiry under a key made of every parameter of the token request,
 * so a token for one scope or audience is never handed out for another; concurrent callers on a
 * cold or expiring cache share one token request.
 */

export interface ClientCredentialsSpec {
  /** Name for logs and the admin page, e.g. `events`. */
  service: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  bodyFormat: 'form' | 'json';
  scope?: string;
  audience?: string;
  /** Renew this long before expiry at most (half the lifetime if shorter). */
  renewBeforeMs: number;
}

/** Token-request failures, by the OAuth `error` code the provider gave (not its HTTP status). */
export type TokenErrorCode =
  | 'invalid_client'
  | 'invalid_scope'
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'invalid_response'
  | 'provider_unavailable';

/**
 * A token request that failed. An {@link AppError} (502 `IDP_UNAVAILABLE`, `reason` in the body),
 * so one that reaches the error translator untouched is still a clean answer, never a 500.
 */
export class TokenRequestError extends AppError {
  constructor(
    /** The OAuth `error` code the provider gave, or what went wrong on the way. */
    readonly reason: TokenErrorCode,
    message: string,
    /** The token service's HTTP status, when it answered. */
    readonly providerStatus: number | null,
    options?: { cause?: unknown },
  ) {
    super('IDP_UNAVAILABLE', { message, cause: options?.cause, retryAfter: 5, details: { reason } });
    this.name = 'TokenRequestError';
  }

  /** Worth retrying: the provider may answer differently in a moment. */
  get transient(): boolean {
    return this.reason === 'provider_unavailable' || this.reason === 'invalid_response';
  }
}

export interface ClientToken {
  accessToken: string;
  issuedAt: number;
  expiresAt: number;
  scope: string | null;
}

const cachedSchema = z.object({
  accessToken: z.string(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  scope: z.string().nullable(),
});

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
});

const REQUEST_TIMEOUT_MS = 10_000;
const RETRY_DELAYS_MS = [250, 1000];

const KNOWN_CODES = new Set<string>([
  'invalid_client',
  'invalid_scope',
  'invalid_request',
  'unauthorized_client',
  'access_denied',
]);

/** Specs are built once per process, so each one's key is worked out once, not per call. */
const cacheKeys = new WeakMap<ClientCredentialsSpec, string>();

/** The cache key: a store key (hash) of every parameter that shapes the token (secret included). */
export function cacheKey(spec: ClientCredentialsSpec): string {
  const known = cacheKeys.get(spec);
  if (known) return known;
  const parameters = JSON.stringify([
    spec.tokenUrl,
    spec.clientId,
    spec.clientSecret,
    spec.bodyFormat,
    spec.scope ?? null,
    spec.audience ?? null,
  ]);
  const key = `client-token:${storeKey('client-credentials', parameters)}`;
  cacheKeys.set(spec, key);
  return key;
}

/** The lease outlasts the token request's retries; a dead holder frees it by expiry. */
const FETCH_LOCK = { leaseMs: 15_000, waitMs: 20_000 };

const flights = () => processSingleton('client-token-flights', () => new SingleFlight<ClientToken>());

async function readCache(key: string): Promise<ClientToken | null> {
  const sealed = await getTokenStore().get(key);
  if (!sealed) return null;
  return openSeal(cachedSchema, sealed);
}

function isFresh(token: ClientToken, spec: ClientCredentialsSpec, now = Date.now()): boolean {
  return !isDueForRenewal(token.issuedAt, token.expiresAt, now, spec.renewBeforeMs);
}

/**
 * A valid token for this API: from the cache while fresh, else from one shared token request.
 * With `rejected`, the caller reports that this token got a 401: it is dropped (unless a newer
 * one already replaced it) and a new one is fetched.
 */
export async function getClientToken(
  spec: ClientCredentialsSpec,
  options: { rejected?: string; force?: boolean } = {},
): Promise<ClientToken> {
  const key = cacheKey(spec);
  const cached = await readCache(key);
  const dropped = cached !== null && (options.force || cached.accessToken === options.rejected);
  const hit = cached !== null && !dropped && isFresh(cached, spec);
  recordClientTokenLookup(spec.service, hit);
  if (hit) return cached;
  try {
    const fetchToken = () => fetchAndCache(spec, key, dropped ? cached : null);
    // The span covers the shared lock, the cache re-read and the token request(s).
    const traced = () => withSpan('token.client_credentials', { attributes: { 'oauth.provider': spec.service, 'oauth.grant_type': 'client_credentials' } }, fetchToken);
    return await flights().run(key, traced).promise;
  } catch (error) {
    // Renewal failed, but the cached token still works for a little while: keep using it.
    if (cached && !dropped && cached.expiresAt > Date.now() + 1000) return cached;
    throw error;
  }
}

/** Drops the cached token for this API (admin "clear cache"). */
export async function clearClientToken(spec: ClientCredentialsSpec): Promise<void> {
  await getTokenStore().delete(cacheKey(spec));
}

async function fetchAndCache(spec: ClientCredentialsSpec, key: string, dropped: ClientToken | null): Promise<ClientToken> {
  // One token request across every instance sharing the store: the others wait, then read it.
  return getTokenStore().withLock(`lock:${key}`, FETCH_LOCK, async () => {
    // Another instance may have fetched while this one waited for its turn.
    const again = await readCache(key);
    if (again && isFresh(again, spec) && again.accessToken !== dropped?.accessToken) return again;
    const token = await requestWithRetries(spec);
    const ttlMs = Math.max(token.expiresAt - Date.now(), 1000);
    await getTokenStore().set(key, await seal(token, Math.ceil(ttlMs / 1000) + 60), ttlMs);
    return token;
  });
}

async function requestWithRetries(spec: ClientCredentialsSpec): Promise<ClientToken> {
  for (let attempt = 0; ; attempt += 1) {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const token = await traceTokenRequest(
        { provider: spec.service, grant: 'client_credentials', tokenUrl: spec.tokenUrl, retry: attempt },
        () => requestToken(spec),
      );
      recordTokenRequest(spec.service, 'client_credentials', null, seconds());
      return token;
    } catch (error) {
      const failure =
        error instanceof TokenRequestError
          ? error
          : new TokenRequestError('provider_unavailable', 'The token service could not be reached.', null, { cause: error });
      recordTokenRequest(spec.service, 'client_credentials', { code: failure.reason, message: failure.message }, seconds());
      log.warn('tokens.client_credentials.failed', { service: spec.service, errorCode: failure.reason, status: failure.providerStatus, attempt });
      const delay = RETRY_DELAYS_MS[attempt];
      if (!failure.transient || delay === undefined) throw failure;
      await new Promise((resolve) => setTimeout(resolve, delay * (0.75 + Math.random() / 2)));
    }
  }
}

async function requestToken(spec: ClientCredentialsSpec): Promise<ClientToken> {
  const parameters: Record<string, string> = {
    grant_type: 'client_credentials',
    client_id: spec.clientId,
    client_secret: spec.clientSecret,
    ...(spec.scope ? { scope: spec.scope } : {}),
    ...(spec.audience ? { audience: spec.audience } : {}),
  };
  const body = spec.bodyFormat === 'json' ? JSON.stringify(parameters) : new URLSearchParams(parameters).toString();
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(spec.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': spec.bodyFormat === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      cache: 'no-store',
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new TokenRequestError(
      'provider_unavailable',
      timedOut ? 'The token service did not answer in time.' : 'The token service could not be reached.',
      null,
      { cause: error },
    );
  }
  let payload: unknown;
  try {
    payload = await response.json();
  } catch (error) {
    throw new TokenRequestError(
      response.ok ? 'invalid_response' : 'provider_unavailable',
      `The token service answered ${response.status} without valid JSON.`,
      response.status,
      { cause: error },
    );
  }
  if (!response.ok) throw errorFromBody(payload, response.status);
  const parsed = tokenResponseSchema.safeParse(payload);
  if (!parsed.success) {
    throw new TokenRequestError('invalid_response', 'The token service answered without an access token.', response.status);
  }
  return {
    accessToken: parsed.data.access_token,
    issuedAt: started,
    // Without expires_in the JWT's exp decides (see expiresAtFrom for how clock skew is handled).
    expiresAt: expiresAtFrom(parsed.data.access_token, parsed.data.expires_in, started),
    scope: parsed.data.scope ?? null,
  };
}

function errorFromBody(payload: unknown, status: number): TokenRequestError {
  const body = z.object({ error: z.string(), error_description: z.string().optional() }).safeParse(payload);
  if (body.success && KNOWN_CODES.has(body.data.error)) {
    const description = body.data.error_description ? `: ${body.data.error_description.slice(0, 200)}` : '';
    return new TokenRequestError(body.data.error as TokenErrorCode, `The token service refused (${body.data.error})${description}`, status);
  }
  return new TokenRequestError('provider_unavailable', `The token service failed (HTTP ${status}).`, status);
}

/** What the admin page may know about a cached token: never the token itself. */
export interface CachedTokenInfo {
  issuedAt: number;
  expiresAt: number;
  /** First 8 hex of the token's SHA-256. */
  fingerprint: string;
  /** Granted scopes, space-separated. */
  scope: string | null;
  audience: string | null;
}

/** Describes the token this API would use now (from the shared cache), or null when none is cached. */
export async function describeCachedToken(spec: ClientCredentialsSpec): Promise<CachedTokenInfo | null> {
  const cached = await readCache(cacheKey(spec));
  if (!cached || cached.expiresAt <= Date.now()) return null;
  const claims = grantedClaims(cached.accessToken);
  return {
    issuedAt: cached.issuedAt,
    expiresAt: cached.expiresAt,
    fingerprint: fingerprint(cached.accessToken),
    scope: cached.scope ?? claims.scope,
    audience: claims.audience ?? spec.audience ?? null,
  };
}

/**
 * The scope and audience a JWT access token was granted. Read without verifying: they are only
 * shown to admins, never trusted. Opaque tokens give nulls.
 */
function grantedClaims(accessToken: string): { scope: string | null; audience: string | null } {
  const join = (value: unknown) =>
    typeof value === 'string' ? value : Array.isArray(value) && value.every((item) => typeof item === 'string') ? value.join(' ') : null;
  try {
    const claims = decodeJwt(accessToken);
    return { scope: join(claims.scope), audience: join(claims.aud) };
  } catch {
    return { scope: null, audience: null };
  }
}
