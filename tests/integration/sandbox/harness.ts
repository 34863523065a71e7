/**
 * Shared set-up for the sandbox's own integration tests: an in-process sandbox on a free port,
 * its control routes, and clients for each provider that speak plain HTTP through `fetch`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  EVENTS_CLIENT,
  METI_AUDIENCE,
  METI_CLIENT,
  PELOTON_AUDIENCE,
  PELOTON_CLIENT,
  WELLVIEW_REGION,
  WELLVIEW_SERVICE_CLIENT,
  WELLVIEW_SUBSCRIPTION_KEYS,
  type DemoUser,
} from '../../../sandbox/defaults';
import type { SandboxProfile } from '../../../sandbox/profiles';
import { startSandbox, type RunningSandbox } from '../../../sandbox/server';

export const LOOPBACK_REDIRECT_URI = 'http://127.0.0.1:3999/api/auth/callback';
export const [SUBSCRIPTION_KEY, SECOND_SUBSCRIPTION_KEY] = WELLVIEW_SUBSCRIPTION_KEYS;

export interface SandboxStats {
  tokenRequests: Record<string, Record<string, number>>;
  refreshReuseDetected: number;
  revokedLogins: number;
  revocations: number;
  responses: Record<string, Record<string, number>>;
  maxCallsPerSecond: Record<string, number>;
  faults: Record<string, Record<string, unknown>>;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}

export interface OAuthError {
  error: string;
  error_description?: string;
}

/** A sandbox started before the file's tests and stopped after them; counters reset before each test. */
export interface SandboxHandle {
  readonly url: string;
  readonly sandbox: RunningSandbox;
  stats(): Promise<SandboxStats>;
  reset(): Promise<void>;
  fault(fault: Record<string, unknown>): Promise<Response>;
}

export function setUpSandbox(options: { resetBeforeEach?: boolean; profile?: SandboxProfile } = {}): SandboxHandle {
  let running: RunningSandbox | undefined;
  const started = () => {
    if (!running) throw new Error('The sandbox has not started');
    return running;
  };
  const handle: SandboxHandle = {
    get url() {
      return started().url;
    },
    get sandbox() {
      return started();
    },
    async stats() {
      const response = await fetch(`${started().url}/__sandbox/stats`);
      if (response.status !== 200) throw new Error(`stats answered ${response.status}`);
      return (await response.json()) as SandboxStats;
    },
    async reset() {
      const response = await fetch(`${started().url}/__sandbox/reset`, { method: 'POST' });
      if (response.status !== 200) throw new Error(`reset answered ${response.status}`);
    },
    fault: (fault) => postJson(`${started().url}/__sandbox/faults`, fault),
  };
  beforeAll(async () => {
    running = await startSandbox({ port: 0, profile: options.profile });
  });
  afterAll(async () => {
    await running?.close();
  });
  if (options.resetBeforeEach !== false) beforeEach(() => handle.reset());
  return handle;
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export function postForm(
  url: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
    redirect: 'manual',
  });
}

export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
}

/** The claims of a JWT, unverified (for lifetimes and audiences the test already trusts). */
export function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('Not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Resolves just after a JWT's `exp` has passed (verifiers compare whole seconds). */
export function untilExpired(token: string): Promise<void> {
  const exp = decodeClaims(token).exp;
  if (typeof exp !== 'number') throw new Error('The token has no exp');
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 + 50 - Date.now())));
}

/** A fresh PKCE pair (RFC 7636, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizationResult {
  code: string;
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  /** The raw Location the provider redirected to. */
  location: URL;
}

export interface AuthorizeOptions {
  scope?: string;
  audience?: string;
  redirectUri?: string;
}

/** The query of an authorization request, with fresh state, nonce and PKCE. */
export function authorizeUrl(baseUrl: string, options: AuthorizeOptions = {}) {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(12).toString('base64url');
  const nonce = randomBytes(12).toString('base64url');
  const redirectUri = options.redirectUri ?? LOOPBACK_REDIRECT_URI;
  const url = new URL(`${baseUrl}/peloton/authorize`);
  url.search = new URLSearchParams({
    client_id: PELOTON_CLIENT.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: options.scope ?? 'openid profile email offline_access',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(options.audience === undefined
      ? { audience: PELOTON_AUDIENCE }
      : options.audience
        ? { audience: options.audience }
        : {}),
  }).toString();
  return { url, verifier, state, nonce, redirectUri };
}

/** Reads the sign-in form the way a browser would: its action (resolved) and its transaction id. */
export function readLoginForm(html: string, pageUrl: URL): { action: URL; transaction: string } {
  const action = /<form[^>]*\baction="([^"]+)"/.exec(html)?.[1];
  const transaction = /name="transaction" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !transaction) throw new Error('The page has no sign-in form');
  return { action: new URL(action, pageUrl), transaction };
}

/**
 * Drives Peloton's authorization-code flow as a browser would: opens the authorize page, submits
 * the HTML form and takes the code from the redirect to the (unserved) loopback callback.
 */
export async function authorize(
  baseUrl: string,
  user: DemoUser,
  options: AuthorizeOptions = {},
): Promise<AuthorizationResult> {
  const request = authorizeUrl(baseUrl, options);
  const page = await fetch(request.url, { redirect: 'manual' });
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}`);
  const form = readLoginForm(await page.text(), request.url);
  const submitted = await postForm(form.action.toString(), {
    transaction: form.transaction,
    email: user.email,
    password: user.password,
    action: 'login',
  });
  const locationHeader = submitted.headers.get('location');
  if (submitted.status !== 302 || !locationHeader) throw new Error(`sign-in answered ${submitted.status}`);
  const location = new URL(locationHeader);
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`sign-in redirected without a code: ${locationHeader}`);
  return {
    code,
    state: request.state,
    nonce: request.nonce,
    verifier: request.verifier,
    redirectUri: request.redirectUri,
    location,
  };
}

/** Exchanges a code at Peloton's token endpoint (client_secret_post). */
export function exchangeCode(
  baseUrl: string,
  grant: { code: string; verifier: string; redirectUri: string },
  client: { clientId: string; clientSecret: string } = PELOTON_CLIENT,
): Promise<Response> {
  return postForm(`${baseUrl}/peloton/oauth/token`, {
    grant_type: 'authorization_code',
    client_id: client.clientId,
    client_secret: client.clientSecret,
    code: grant.code,
    code_verifier: grant.verifier,
    redirect_uri: grant.redirectUri,
  });
}

export function refreshGrant(baseUrl: string, refreshToken: string): Promise<Response> {
  return postForm(`${baseUrl}/peloton/oauth/token`, {
    grant_type: 'refresh_token',
    client_id: PELOTON_CLIENT.clientId,
    client_secret: PELOTON_CLIENT.clientSecret,
    refresh_token: refreshToken,
  });
}

/** Signs a user in and returns Peloton's token response. */
export async function signIn(
  baseUrl: string,
  user: DemoUser,
  options: AuthorizeOptions = {},
): Promise<TokenResponse & { nonce: string }> {
  const grant = await authorize(baseUrl, user, options);
  const response = await exchangeCode(baseUrl, grant);
  if (response.status !== 200)
    throw new Error(`code exchange answered ${response.status}: ${await response.text()}`);
  return { ...((await response.json()) as TokenResponse), nonce: grant.nonce };
}

async function tokenOrThrow(response: Response): Promise<TokenResponse> {
  if (response.status !== 200)
    throw new Error(`token endpoint answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as TokenResponse;
}

/** A WellView service token from Peloton (client credentials). */
export async function wellviewServiceToken(baseUrl: string): Promise<string> {
  const response = await postForm(`${baseUrl}/peloton/oauth/token`, {
    grant_type: 'client_credentials',
    client_id: WELLVIEW_SERVICE_CLIENT.clientId,
    client_secret: WELLVIEW_SERVICE_CLIENT.clientSecret,
    audience: PELOTON_AUDIENCE,
  });
  return (await tokenOrThrow(response)).access_token;
}

export async function eventsToken(baseUrl: string): Promise<string> {
  const response = await postForm(`${baseUrl}/events-identity/connect/token`, {
    grant_type: 'client_credentials',
    client_id: EVENTS_CLIENT.clientId,
    client_secret: EVENTS_CLIENT.clientSecret,
    scope: 'EventsApi',
  });
  return (await tokenOrThrow(response)).access_token;
}

export async function metiToken(
  baseUrl: string,
  client: { clientId: string; clientSecret: string } = METI_CLIENT,
  scope?: string,
): Promise<string> {
  const response = await postJson(`${baseUrl}/meti-identity/oauth/token`, {
    grant_type: 'client_credentials',
    client_id: client.clientId,
    client_secret: client.clientSecret,
    audience: METI_AUDIENCE,
    ...(scope ? { scope } : {}),
  });
  return (await tokenOrThrow(response)).access_token;
}

/** The headers WellView (behind API Management) wants on every call. */
export function wellviewHeaders(
  token: string | null,
  key: string = SUBSCRIPTION_KEY,
): Record<string, string> {
  return {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    'ocp-apim-subscription-key': key,
    'x-peloton-region': WELLVIEW_REGION,
    'content-type': 'application/json',
  };
}
