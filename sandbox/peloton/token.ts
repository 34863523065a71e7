import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { PELOTON_AUDIENCE, PELOTON_CLIENT, WELLVIEW_SERVICE_CLIENT } from '../defaults';
import { bodyParameters, clientCredentials, sendJson, type SandboxRequest } from '../http';
import type { SandboxContext } from '../context';
import { REFRESH_ABSOLUTE_MS, REFRESH_IDLE_MS, type Login, type LoginStore } from './logins';

const CLIENTS = new Map<string, { secret: string; grants: string[] }>([
  [PELOTON_CLIENT.clientId, { secret: PELOTON_CLIENT.clientSecret, grants: ['authorization_code', 'refresh_token'] }],
  [WELLVIEW_SERVICE_CLIENT.clientId, { secret: WELLVIEW_SERVICE_CLIENT.clientSecret, grants: ['client_credentials'] }],
]);

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function oauthError(response: ServerResponse, status: number, error: string, description: string, basic = false): void {
  sendJson(response, status, { error, error_description: description }, {
    ...NO_STORE,
    ...(basic ? { 'www-authenticate': 'Basic realm="peloton"' } : {}),
  });
}

const userinfoUrl = (context: SandboxContext) => `${context.issuers.peloton}userinfo`;

async function issueTokens(context: SandboxContext, login: Login, logins: LoginStore, withRefresh: boolean) {
  const fault = context.state.fault('peloton');
  const ttl = fault.accessTokenTtlSeconds ?? 900;
  const user = context.users.find((candidate) => candidate.sub === login.sub);
  const key = context.keys.peloton;
  const issuer = context.issuers.peloton;
  const accessToken = await key.sign(
    {
      iss: issuer,
      sub: login.sub,
      aud: login.audience ? [login.audience, userinfoUrl(context)] : userinfoUrl(context),
      azp: login.clientId,
      scope: login.scope,
      'https://peloton.com/org_unit': 'demo-org',
    },
    ttl,
    'at+jwt',
  );
  const scopes = login.scope.split(' ');
  const idToken = await key.sign(
    {
      iss: issuer,
      sub: login.sub,
      aud: login.clientId,
      auth_time: login.authTime,
      ...(login.nonce ? { nonce: login.nonce } : {}),
      ...(scopes.includes('profile') && user ? { name: user.name } : {}),
      ...(scopes.includes('email') && user ? { email: user.email, email_verified: user.emailVerified } : {}),
      sid: login.id,
    },
    3600,
  );
  return {
    access_token: accessToken,
    id_token: idToken,
    token_type: 'Bearer',
    scope: login.scope,
    ...(fault.omitExpiresIn ? {} : { expires_in: ttl }),
    ...(withRefresh ? { refresh_token: logins.issueRefreshToken(login.id) } : {}),
  };
}

/** POST /peloton/oauth/token: authorization_code (PKCE), refresh_token (rotating), client_credentials. */
export async function token(request: SandboxRequest, response: ServerResponse, context: SandboxContext, logins: LoginStore) {
  const { params, format } = bodyParameters(request);
  const grant = params.grant_type ?? '';
  context.state.countTokenRequest('peloton', grant);
  if (format === 'other') return oauthError(response, 400, 'invalid_request', 'Send a form-encoded or JSON body.');
  const credentials = clientCredentials(request, params);
  const client = credentials.clientId ? CLIENTS.get(credentials.clientId) : undefined;
  if (!client || client.secret !== credentials.clientSecret) {
    return oauthError(response, 401, 'invalid_client', 'Client authentication failed.', credentials.method === 'basic');
  }
  const clientId = credentials.clientId as string;
  if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grant)) {
    return oauthError(response, 400, 'unsupported_grant_type', `Unsupported grant type: ${grant || '(none)'}`);
  }
  if (!client.grants.includes(grant)) return oauthError(response, 400, 'unauthorized_client', `This client may not use ${grant}.`);

  if (grant === 'authorization_code') return authorizationCode(params, clientId, response, context, logins);
  if (grant === 'refresh_token') return refresh(params, clientId, response, context, logins);
  return clientCredentialsGrant(params, clientId, response, context);
}

async function authorizationCode(
  params: Record<string, string>,
  clientId: string,
  response: ServerResponse,
  context: SandboxContext,
  logins: LoginStore,
) {
  const entry = params.code ? logins.codes.get(params.code) : undefined;
  if (!entry || entry.clientId !== clientId) return oauthError(response, 400, 'invalid_grant', 'Invalid authorization code.');
  if (entry.used) {
    // RFC 6749 §4.1.2: a replayed code revokes what it issued.
    if (entry.familyId && logins.revoke(entry.familyId)) context.state.revokedLogins += 1;
    return oauthError(response, 400, 'invalid_grant', 'Invalid authorization code.');
  }
  entry.used = true;
  if (entry.expiresAt < Date.now()) return oauthError(response, 400, 'invalid_grant', 'Authorization code expired.');
  if (params.redirect_uri !== entry.redirectUri) return oauthError(response, 400, 'invalid_grant', 'redirect_uri does not match.');
  const verifier = params.code_verifier ?? '';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  if (!/^[\w.~-]{43,128}$/.test(verifier) || challenge !== entry.codeChallenge) {
    return oauthError(response, 400, 'invalid_grant', 'PKCE verification failed.');
  }
  const now = Date.now();
  const login: Login = {
    id: randomUUID(),
    sub: entry.sub,
    clientId,
    scope: entry.scope,
    audience: entry.audience,
    nonce: entry.nonce,
    authTime: entry.authTime,
    createdAt: now,
    lastUsedAt: now,
    revoked: false,
  };
  logins.logins.set(login.id, login);
  entry.familyId = login.id;
  const offline = entry.scope.split(' ').includes('offline_access');
  sendJson(response, 200, await issueTokens(context, login, logins, offline), NO_STORE);
}

async function refresh(params: Record<string, string>, clientId: string, response: ServerResponse, context: SandboxContext, logins: LoginStore) {
  const invalid = () => oauthError(response, 400, 'invalid_grant', 'Unknown or invalid refresh token.');
  const record = params.refresh_token ? logins.refreshTokens.get(params.refresh_token) : undefined;
  const login = record ? logins.logins.get(record.loginId) : undefined;
  if (!record || !login || login.clientId !== clientId) return invalid();
  if (login.revoked) return invalid();
  if (record.used) {
    // Reuse detection, as Auth0 does it: the whole login is revoked.
    context.state.refreshReuseDetected += 1;
    if (logins.revoke(login.id)) context.state.revokedLogins += 1;
    return invalid();
  }
  const now = Date.now();
  if (now - login.createdAt > REFRESH_ABSOLUTE_MS || now - login.lastUsedAt > REFRESH_IDLE_MS) return invalid();
  record.used = true;
  login.lastUsedAt = now;
  sendJson(response, 200, await issueTokens(context, login, logins, true), NO_STORE);
}

async function clientCredentialsGrant(params: Record<string, string>, clientId: string, response: ServerResponse, context: SandboxContext) {
  if (params.audience !== PELOTON_AUDIENCE) {
    return oauthError(response, 403, 'access_denied', `Service not enabled within domain: ${params.audience ?? '(none)'}`);
  }
  const fault = context.state.fault('peloton');
  const ttl = fault.accessTokenTtlSeconds ?? 900;
  const accessToken = await context.keys.peloton.sign(
    { iss: context.issuers.peloton, sub: `${clientId}@clients`, aud: PELOTON_AUDIENCE, azp: clientId, gty: 'client-credentials' },
    ttl,
    'at+jwt',
  );
  sendJson(response, 200, { access_token: accessToken, token_type: 'Bearer', ...(fault.omitExpiresIn ? {} : { expires_in: ttl }) }, NO_STORE);
}

export function isKnownClient(clientId: string | undefined, secret: string | undefined): boolean {
  const client = clientId ? CLIENTS.get(clientId) : undefined;
  return client !== undefined && client.secret === secret;
}
