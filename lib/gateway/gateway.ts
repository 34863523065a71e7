import 'server-only';
import { Readable } from 'node:stream';
import type { NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { AppError, errorResponse, toAppError } from '@/lib/errors';
import { applyCookies } from '@/lib/http/cookies';
import { hasCsrfHeader, isCrossSiteWrite } from '@/lib/http/csrf';
import { log } from '@/lib/log';
import {
  clearedSessionCookies,
  isAdmin,
  needsTouch,
  readSessionCookies,
  sessionCookiesToSet,
  type CookieToSet,
  type SessionState,
} from '@/lib/session';
import { getClientToken, TokenRequestError } from '@/lib/tokens/client-credentials';
import { recordGatewayRefusal } from '@/lib/observability/store';
import { assertLoginActive, getUserAccessToken, newestKnownState, SessionEndedError, IDP_RETRY_AFTER_SECONDS } from '@/lib/tokens/user-tokens';
import { getUpstream } from '@/lib/upstreams/registry';
import { SAFE_METHODS, type UpstreamDefinition, type UpstreamName } from '@/lib/upstreams/types';
import { readLimitedBody } from '@/lib/gateway/body';
import { forwardedRequestHeaders, forwardedResponseHeaders } from '@/lib/gateway/headers';
import { upstreamPathFrom } from '@/lib/gateway/path';
import { callUpstream, neverReachedUpstream, type UpstreamResponse } from '@/lib/gateway/upstream-call';
import type { Slot } from '@/lib/gateway/rate-limiter';
import { getResponseCache, MAX_CACHED_BODY_BYTES, upstreamForbidsStoring, wantsFreshAnswer, type CachedAnswer } from '@/lib/gateway/response-cache';
import { getForcedRenewals } from '@/lib/tokens/forced-renewals';
import { keyedIdHash, storeIdKey } from '@/lib/tokens/keys';

/** A token with less than this left is renewed before it is sent. */
const TOKEN_MIN_REMAINING_MS = 5_000;
/** Upstream 429s on safe methods are retried this many times, honouring Retry-After. */
const MAX_429_RETRIES = 3;
const BACKOFF_MS = [1000, 2000, 4000];
/** A Retry-After longer than this is passed on to the browser instead of waited out. */
const MAX_RETRY_AFTER_MS = 4000;

/**
 * One gateway call: `/api/<upstream>/<path>` → `<base URL>/<path>` with the right token and
 * headers. Checks CSRF, the session, the path, the caller's rights and the body size before any
 * upstream call; renews a rejected token once; waits for the rate limit; streams the answer.
 */
export async function handleGateway(request: NextRequest, name: UpstreamName, requestId: string): Promise<Response> {
  try {
    const { response, cookies } = await gatewayCall(request, name, requestId);
    return cookies.length > 0 ? applyCookies(response, cookies) : response;
  } catch (thrown) {
    const { failure, cookies } = thrown instanceof FailureWithCookies ? thrown : { failure: thrown, cookies: [] };
    const error = toAppError(failure);
    // A call cancelled because its browser left is no failure; anything else that failed is,
    // even if the browser has gone too (a write runs to its end and may fail on its own).
    if (error.code === 'CLIENT_CLOSED_REQUEST') log.info('gateway.client_gone', { requestId, upstream: name });
    else if (error.status >= 500) log.warn('gateway.failed', { requestId, upstream: name, errorCode: error.code, cause: error.cause });
    const response = errorResponse(error, requestId);
    return cookies.length > 0 ? applyCookies(response, cookies) : response;
  }
}

/** A failure whose answer must still set (or clear) the session cookies. */
class FailureWithCookies extends Error {
  constructor(
    readonly failure: unknown,
    readonly cookies: CookieToSet[],
  ) {
    super('gateway failure');
  }
}

/** `error` with the session cookies known so far, unless it already carries its own. */
function withCookies(error: unknown, cookies: CookieToSet[] | null): unknown {
  return error instanceof FailureWithCookies || !cookies ? error : new FailureWithCookies(error, cookies);
}

/** A call that passed every check: what to send where, on whose behalf. */
interface AuthorizedCall {
  definition: UpstreamDefinition;
  method: string;
  path: string;
  search: string;
  /** Safe methods may be retried (a connection that never reached the upstream, a 429). */
  safe: boolean;
  /** A read whose browser has gone is cancelled; a write runs to its end (half a write is worse). */
  signal: AbortSignal | undefined;
  headers: Record<string, string>;
  body: Buffer | undefined;
  state: SessionState;
  cache: CachePlan;
}

/** A token to send, and the session it came with. */
interface Credential {
  token: string;
  expiresAt: number;
  issuedAt: number;
  obtainedAt: number;
  /** The newest session state known for this login. */
  state: SessionState;
  /** The session cookies the answer must set (a renewal changed the session), or null. */
  cookies: CookieToSet[] | null;
}

/** The four steps: authorize, obtain the credential, send with retries, answer. */
async function gatewayCall(request: NextRequest, name: UpstreamName, requestId: string): Promise<{ response: Response; cookies: CookieToSet[] }> {
  const call = await authorize(request, name);
  const credential = await obtainCredential(call.definition, { state: call.state, cookies: null }, requestId);
  try {
    const hit = call.cache.key && !call.cache.bypass ? getResponseCache().get(call.cache.key) : undefined;
    if (hit) return { response: cachedResponse(hit, requestId), cookies: await answerCookies(credential) };
    const sent = await sendWithRetries(call, credential, requestId);
    const cookies = await answerCookies(sent.credential);
    if (!call.safe && sent.response.statusCode < 400) getResponseCache().invalidate(call.definition.name);
    try {
      return { response: await answer(call.definition, sent.response, requestId, call.cache, sent.renewed), cookies };
    } catch (error) {
      throw withCookies(error, cookies);
    }
  } catch (error) {
    throw withCookies(error, credential.cookies);
  }
}

/**
 * Every check before any upstream call: CSRF, the upstream, the path, a session (and, for
 * service-token calls, that its login is still active and that writes come from an admin), the
 * body size. Answers the call to make.
 */
async function authorize(request: NextRequest, name: UpstreamName): Promise<AuthorizedCall> {
  const method = request.method.toUpperCase();
  if (!hasCsrfHeader(request.headers)) {
    throw new AppError('CSRF_REJECTED', { message: 'Gateway calls must carry the X-CSRF: 1 header.' });
  }
  const safe = SAFE_METHODS.has(method);
  if (!safe && isCrossSiteWrite(request.headers)) throw new AppError('CSRF_REJECTED');
  const definition = getUpstream(name);
  if (!definition) throw new AppError('NOT_CONFIGURED', { message: `${name} is not configured on this dashboard.` });
  const { path, search } = upstreamPathFrom(request.url, `/api/${name}`);

  const read = await readSessionCookies(request.cookies);
  if (read.status !== 'ok') {
    const error = new AppError('SIGN_IN_REQUIRED', {
      message: read.status === 'expired' ? 'Your session has ended. Please sign in again.' : 'Please sign in.',
    });
    throw read.status === 'none' ? error : new FailureWithCookies(error, clearedSessionCookies());
  }
  const state = read.state;
  const user = state.session.user;
  const isRead = definition.isRead(method, path);
  if (definition.auth.kind === 'client') {
    // User-token calls learn this while getting the token; service-token calls must ask.
    try {
      await assertLoginActive(state.session.sid);
    } catch (error) {
      throw new FailureWithCookies(error, clearedSessionCookies());
    }
    if (!isRead && !isAdmin(user)) {
      throw new AppError('FORBIDDEN', { message: `Only administrators may change data in ${definition.label}.` });
    }
  }
  const body = await readLimitedBody(request, getConfig().gateway.maxBodyBytes);
  return {
    definition,
    method,
    path,
    search,
    safe,
    // (A read still waiting for a WellView slot gives its turn to the next caller.)
    signal: isRead ? request.signal : undefined,
    headers: forwardedRequestHeaders(request.headers),
    body,
    state,
    cache: cachePlan(definition, request, method, user.sub, `${path}${search}`),
  };
}

/**
 * A token for the call: the service's, or the user's (renewed by the token engine when due, in
 * which case the answer must carry the new session cookies). `rejected` is a token the upstream
 * refused, which the engine must not answer again.
 */
async function obtainCredential(
  definition: UpstreamDefinition,
  held: Pick<Credential, 'state' | 'cookies'>,
  requestId: string,
  rejected?: string,
): Promise<Credential> {
  if (definition.auth.kind === 'client') {
    try {
      const token = await getClientToken(definition.auth.spec, { rejected });
      return { token: token.accessToken, expiresAt: token.expiresAt, issuedAt: token.issuedAt, obtainedAt: Date.now(), ...held };
    } catch (error) {
      throw serviceTokenFailure(definition, error);
    }
  }
  try {
    const result = await getUserAccessToken(held.state, { requestId, rejected });
    const access = result.state.access;
    return {
      token: result.accessToken,
      expiresAt: access?.expiresAt ?? Number.POSITIVE_INFINITY,
      issuedAt: access?.issuedAt ?? 0,
      obtainedAt: Date.now(),
      state: result.changed ? result.state : held.state,
      cookies: result.changed ? await sessionCookiesToSet(result.state) : held.cookies,
    };
  } catch (error) {
    if (error instanceof SessionEndedError && error.clearCookies) throw new FailureWithCookies(error, clearedSessionCookies());
    throw error;
  }
}

/** Where the retries stand: the credential to send and which retries are used up. */
interface Attempt {
  credential: Credential;
  /** A token the upstream refused (after which one renewal was made). */
  rejected: string | undefined;
  renewed: boolean;
  reconnected: boolean;
  backoffs: number;
}

/**
 * Sends the call, waiting for a rate-limit slot first where the upstream has one: once more
 * with a renewed token after a 401, once more when a safe call never reached the upstream, and
 * up to three times more when a safe call gets a short 429. Answers the last response.
 */
async function sendWithRetries(
  call: AuthorizedCall,
  first: Credential,
  requestId: string,
): Promise<{ response: UpstreamResponse; credential: Credential; renewed: boolean }> {
  let attempt: Attempt = { credential: first, rejected: undefined, renewed: false, reconnected: false, backoffs: 0 };
  try {
    for (;;) {
      const slot = await takeSlot(call, attempt, requestId);
      attempt = { ...attempt, credential: slot.credential };
      let response: UpstreamResponse;
      try {
        response = await send(call, attempt.credential.token, slot.counted, resendCount(attempt));
      } catch (error) {
        if (call.safe && !attempt.reconnected && neverReachedUpstream(error)) {
          attempt = { ...attempt, reconnected: true };
          continue;
        }
        throw error;
      }
      const next = await retryAfterAnswer(call, attempt, response, requestId);
      if (!next.retry) return { response, credential: next.attempt.credential, renewed: next.attempt.renewed };
      attempt = next.attempt;
    }
  } catch (error) {
    throw withCookies(error, attempt.credential.cookies);
  }
}

/**
 * Waits for the upstream's rate-limit slot (if it has a limiter). A long wait can outlast the
 * token: it is renewed here then, which is rare (the renewal margin exceeds the longest wait), so
 * calls do not pile up behind a refresh after their slot. (Only when the wait itself ran the
 * token short: one that was already short has just been through the token engine, and asking
 * again would retry a failing provider at once.)
 */
async function takeSlot(call: AuthorizedCall, attempt: Attempt, requestId: string): Promise<{ credential: Credential; counted: Slot | null }> {
  const { limiter } = call.definition;
  const credential = attempt.credential;
  if (!limiter) return { credential, counted: null };
  const slot = await limiter.acquire(call.signal, call.state.session.user.sub);
  const now = Date.now();
  const ranShort = credential.expiresAt - now < TOKEN_MIN_REMAINING_MS && credential.expiresAt - credential.obtainedAt >= TOKEN_MIN_REMAINING_MS;
  if (!ranShort) return { credential, counted: slot };
  try {
    return { credential: await obtainCredential(call.definition, credential, requestId, attempt.rejected), counted: slot };
  } catch (error) {
    slot.answered();
    throw error;
  }
}

/** How many times this call has been sent before (a trace's `http.request.resend_count`). */
function resendCount(attempt: Attempt): number {
  return attempt.backoffs + Number(attempt.renewed) + Number(attempt.reconnected);
}

/** The upstream call itself; its answer (or failure) is reported to the rate limiter's slot. */
async function send(call: AuthorizedCall, accessToken: string, slot: Slot | null, retry: number): Promise<UpstreamResponse> {
  const { definition, method, path, search, headers, body, signal } = call;
  try {
    return await callUpstream(definition, { method, path, search, headers, body, accessToken, signal, retry });
  } finally {
    slot?.answered();
  }
}

/**
 * Whether an upstream answer is worth another try, and with what: a 401 once with a renewed
 * token (another request may already have renewed it, which costs nothing; otherwise a renewal
 * is forced, within the per-credential cap), a 429 to a safe call after its Retry-After (at most
 * 4 s) or a backoff of 1, 2, 4 s, three times. A response not retried is left unread.
 */
async function retryAfterAnswer(
  call: AuthorizedCall,
  attempt: Attempt,
  response: UpstreamResponse,
  requestId: string,
): Promise<{ retry: boolean; attempt: Attempt }> {
  const { definition } = call;
  if (response.statusCode === 401 && !attempt.renewed) {
    recordGatewayRefusal('unauthorized');
    const sent = attempt.credential;
    const latest = await obtainCredential(definition, sent, requestId);
    const credentialId = definition.auth.kind === 'client' ? `service:${definition.name}` : `login:${storeIdKey('login', latest.state.session.sid)}`;
    if (latest.token !== sent.token || getForcedRenewals().tryTake(credentialId, sent.issuedAt)) {
      await response.body.dump();
      const renewed = latest.token !== sent.token ? latest : await obtainCredential(definition, latest, requestId, sent.token);
      return { retry: true, attempt: { ...attempt, credential: renewed, rejected: sent.token, renewed: true } };
    }
    // Beyond the cap the 401 goes to the caller as the upstream's own rejection.
    log.warn('gateway.forced_renewal_capped', { requestId, upstream: definition.name });
    return { retry: false, attempt: { ...attempt, credential: latest } };
  }
  if (response.statusCode === 429) {
    recordGatewayRefusal('rateLimited');
    const waitMs = retryAfterMs(response.headers['retry-after']) ?? BACKOFF_MS[attempt.backoffs] ?? 4000;
    if (call.safe && attempt.backoffs < MAX_429_RETRIES && waitMs <= MAX_RETRY_AFTER_MS) {
      await response.body.dump();
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      return { retry: true, attempt: { ...attempt, backoffs: attempt.backoffs + 1 } };
    }
  }
  return { retry: false, attempt };
}

/**
 * The session cookies the answer sets: those of a renewal; else, when the idle timer is due to
 * move, the newest state known for this login with `lastSeenAt` now; else none.
 */
async function answerCookies(credential: Credential): Promise<CookieToSet[]> {
  if (credential.cookies) return credential.cookies;
  if (!needsTouch(credential.state.session)) return [];
  const newest: SessionState = await newestKnownState(credential.state);
  return sessionCookiesToSet({ ...newest, session: { ...newest.session, lastSeenAt: Date.now() } });
}

interface CachePlan {
  /** Null when this call is never cached (not a GET, or the cache is off). */
  key: string | null;
  bypass: boolean;
  shared: boolean;
}

/** GETs are cached per user for user-token upstreams and shared for service-token ones. */
function cachePlan(definition: UpstreamDefinition, request: NextRequest, method: string, sub: string, target: string): CachePlan {
  const shared = definition.auth.kind === 'client';
  if (method !== 'GET' || getConfig().gateway.cacheTtlMs <= 0) return { key: null, bypass: true, shared };
  const scope = shared ? 'shared' : keyedIdHash('response-cache', sub);
  return { key: `${definition.name}|${scope}|${target}`, bypass: wantsFreshAnswer(request.headers), shared };
}

function cachedResponse(hit: CachedAnswer, requestId: string): Response {
  const headers = new Headers(hit.headers);
  headers.set('x-cache', 'HIT');
  headers.set('x-request-id', requestId);
  return new Response(new Uint8Array(hit.body), { status: hit.status, headers });
}

async function answer(definition: UpstreamDefinition, response: UpstreamResponse, requestId: string, cache: CachePlan, renewed: boolean): Promise<Response> {
  const status = response.statusCode;
  if (status >= 500) {
    await response.body.dump();
    throw new AppError('UPSTREAM_ERROR', {
      message: `${definition.label} had a problem answering (HTTP ${status}). Please try again.`,
      details: { upstreamStatus: status },
    });
  }
  if (status === 401 && renewed) {
    await response.body.dump();
    throw new AppError('UPSTREAM_ERROR', {
      message: `${definition.label} did not accept the dashboard's credentials, even after renewing them.`,
      details: { upstreamStatus: status },
    });
  }
  if (status >= 400) throw await upstreamRejection(definition, response);
  const headers = forwardedResponseHeaders(response.headers);
  headers.set('cache-control', 'no-store');
  const noBody = status === 204 || status === 304 || response.headers['content-length'] === '0';
  if (noBody) {
    await response.body.dump();
    return new Response(null, { status, headers });
  }
  const length = Number(response.headers['content-length'] ?? Number.NaN);
  const known = Number.isInteger(length);
  const storable =
    cache.key !== null &&
    status === 200 &&
    known &&
    length <= MAX_CACHED_BODY_BYTES &&
    !upstreamForbidsStoring(response.headers['cache-control'], cache.shared);
  // What is cached is the answer without this request's own headers.
  const storedHeaders = storable ? [...headers.entries()] : [];
  headers.set('x-request-id', requestId);
  headers.set('x-cache', cache.key && !cache.bypass ? 'MISS' : 'BYPASS');
  if (cache.key && !storable) getResponseCache().forget(cache.key);
  if (storable || (known && length <= BUFFER_AT_MOST_BYTES)) {
    // Small: read it whole, so an answer that breaks off is a clean 502, not a truncated 200.
    let bytes: ArrayBuffer;
    try {
      bytes = await response.body.arrayBuffer();
    } catch (error) {
      throw new AppError('UPSTREAM_ERROR', {
        message: `${definition.label}'s answer broke off before it was complete. Please try again.`,
        details: { upstreamStatus: status },
        cause: error,
      });
    }
    if (storable && cache.key) {
      const stored: CachedAnswer = { status, headers: storedHeaders, body: Buffer.from(bytes) };
      getResponseCache().set(cache.key, definition.name, stored, getConfig().gateway.cacheTtlMs);
    }
    return new Response(bytes, { status, headers });
  }
  // Large or of unknown length: streamed through, never held whole.
  const stream = Readable.toWeb(response.body) as ReadableStream<Uint8Array>;
  return new Response(stream, { status, headers });
}

/** Answers up to this size are read whole before answering; larger ones are streamed. */
const BUFFER_AT_MOST_BYTES = 64 * 1024;

/** Upstream error bodies kept in our answer at most this big; larger ones are dropped. */
const MAX_UPSTREAM_ERROR_BYTES = 16 * 1024;

/**
 * An upstream 4xx, passed on with its status in our error shape: its own message when it has
 * one, and its JSON body as `upstream` so a page can show field-level details.
 */
async function upstreamRejection(definition: UpstreamDefinition, response: UpstreamResponse): Promise<AppError> {
  const status = response.statusCode;
  let upstream: unknown = null;
  const text = await readAtMost(response, MAX_UPSTREAM_ERROR_BYTES);
  if (text !== null) {
    try {
      upstream = JSON.parse(text);
    } catch {
      upstream = null;
    }
  }
  const message = upstreamMessage(upstream) ?? `${definition.label} refused the request (HTTP ${status}).`;
  const code = status === 404 ? 'NOT_FOUND' : status === 429 ? 'UPSTREAM_RATE_LIMITED' : 'UPSTREAM_REJECTED';
  return new AppError(code, {
    status,
    message: status === 429 ? `${definition.label} is busy. Please retry shortly.` : message,
    retryAfter: status === 429 ? (retryAfterMs(response.headers['retry-after']) ?? 1000) / 1000 : undefined,
    details: { upstreamStatus: status, ...(upstream !== null ? { upstream } : {}) },
  });
}

/** The body as text when it fits in `limit` bytes; otherwise null (and the rest is discarded). */
async function readAtMost(response: UpstreamResponse, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        await response.body.dump();
        return null;
      }
      chunks.push(chunk as Buffer);
    }
  } catch {
    return null;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The human message in the error shapes our upstreams use. */
function upstreamMessage(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  const nested = record.error && typeof record.error === 'object' ? (record.error as Record<string, unknown>) : null;
  for (const candidate of [nested?.message, record.message, record.error_description, record.title, typeof record.error === 'string' ? record.error : null]) {
    if (typeof candidate === 'string' && candidate.trim()) return candidate.trim().slice(0, 500);
  }
  return null;
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function serviceTokenFailure(definition: UpstreamDefinition, error: unknown): AppError {
  if (error instanceof AppError && !(error instanceof TokenRequestError)) return error;
  const code = error instanceof TokenRequestError ? error.reason : 'provider_unavailable';
  const refused = code !== 'provider_unavailable' && code !== 'invalid_response';
  return new AppError('IDP_UNAVAILABLE', {
    message: refused
      ? `The ${definition.label} sign-in service refused the dashboard's credentials (${code}). An administrator should check them.`
      : `The ${definition.label} sign-in service is unavailable right now. Please try again shortly.`,
    retryAfter: IDP_RETRY_AFTER_SECONDS,
    details: { reason: code },
    cause: error,
  });
}
