import type { ServerResponse } from 'node:http';
import { EVENTS_CLIENT } from '../defaults';
import { bodyParameters, clientCredentials, sendJson, type SandboxRequest } from '../http';
import type { Provider, SandboxContext } from '../context';

/** The scope the Events API accepts, and the default token lifetime of the Events guide. */
export const EVENTS_API_SCOPE = 'EventsApi';
const DEFAULT_TTL_SECONDS = 3600;
const CLIENTS = new Map<string, { secret: string; scopes: string[] }>([
  [EVENTS_CLIENT.clientId, { secret: EVENTS_CLIENT.clientSecret, scopes: [EVENTS_API_SCOPE] }],
]);
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function oauthError(response: ServerResponse, error: string, description?: string): void {
  // IdentityServer4 answers every token-endpoint error with 400.
  sendJson(response, 400, description ? { error, error_description: description } : { error }, NO_STORE);
}

async function token(request: SandboxRequest, response: ServerResponse, context: SandboxContext) {
  const { params, format } = bodyParameters(request);
  context.state.countTokenRequest('events-identity', params.grant_type ?? '');
  // IdentityServer4 reads only form bodies.
  if (format !== 'form') return oauthError(response, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  const credentials = clientCredentials(request, params);
  const client = credentials.clientId ? CLIENTS.get(credentials.clientId) : undefined;
  if (!client || client.secret !== credentials.clientSecret) return oauthError(response, 'invalid_client', 'Client authentication failed');
  if (params.grant_type !== 'client_credentials') return oauthError(response, 'unsupported_grant_type');
  const requested = (params.scope ?? '').split(' ').filter(Boolean);
  // No scope asks for every scope the client is allowed (IdentityServer4's rule).
  const granted = requested.length ? requested : client.scopes;
  if (!granted.every((scope) => client.scopes.includes(scope))) {
    return oauthError(response, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed');
  }
  const fault = context.state.fault('events-identity');
  const ttl = fault.accessTokenTtlSeconds ?? DEFAULT_TTL_SECONDS;
  const accessToken = await context.keys['events-identity'].sign(
    { iss: context.issuers['events-identity'], aud: EVENTS_API_SCOPE, client_id: credentials.clientId, scope: granted },
    ttl,
    'at+jwt',
  );
  const body = { access_token: accessToken, token_type: 'Bearer', scope: granted.join(' '), ...(fault.omitExpiresIn ? {} : { expires_in: ttl }) };
  sendJson(response, 200, body, NO_STORE);
}

/** The Engagifii identity server (IdentityServer4): discovery, JWKS and `/connect/token`. */
export function createEventsIdentity(): Provider {
  return {
    name: 'events-identity',
    prefix: '/events-identity',
    async handle(request, response, context) {
      const issuer = context.issuers['events-identity'];
      const route = `${request.method} ${request.path}`;
      switch (route) {
        case 'GET /.well-known/openid-configuration':
          return sendJson(response, 200, {
            issuer,
            jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
            token_endpoint: `${issuer}/connect/token`,
            grant_types_supported: ['client_credentials'],
            scopes_supported: [EVENTS_API_SCOPE],
            token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          });
        case 'GET /.well-known/openid-configuration/jwks':
          return sendJson(response, 200, context.keys['events-identity'].jwks());
        case 'POST /connect/token':
          return token(request, response, context);
        default:
          return sendJson(response, 404, { error: 'not_found' });
      }
    },
  };
}
