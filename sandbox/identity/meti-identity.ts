import type { ServerResponse } from 'node:http';
import { METI_AUDIENCE, METI_CLIENT, METI_READONLY_CLIENT, METI_SCOPES } from '../defaults';
import { bodyParameters, clientCredentials, sendJson, type SandboxRequest } from '../http';
import type { Provider, SandboxContext } from '../context';

const DEFAULT_TTL_SECONDS = 3600;
const CLIENTS = new Map<string, { secret: string; scopes: readonly string[]; name: string }>([
  [METI_CLIENT.clientId, { secret: METI_CLIENT.clientSecret, scopes: METI_SCOPES, name: 'Wellview Dashboard' }],
  [METI_READONLY_CLIENT.clientId, { secret: METI_READONLY_CLIENT.clientSecret, scopes: ['read:sources'], name: 'Read-only reporting' }],
]);
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const CLAIM = (name: string) => `${METI_AUDIENCE}/${name}`;

function oauthError(response: ServerResponse, status: number, error: string, description: string): void {
  sendJson(response, status, { error, error_description: description }, NO_STORE);
}

/** Auth0's `/oauth/token` for client credentials: JSON or form body, `audience` required. */
async function token(request: SandboxRequest, response: ServerResponse, context: SandboxContext) {
  const { params, format } = bodyParameters(request);
  context.state.countTokenRequest('meti-identity', params.grant_type ?? '');
  if (format === 'other') return oauthError(response, 400, 'invalid_request', 'Send a JSON or form-encoded body.');
  if (params.grant_type !== 'client_credentials') {
    return oauthError(response, 403, 'unauthorized_client', `Grant type '${params.grant_type ?? ''}' not allowed for the client.`);
  }
  const credentials = clientCredentials(request, params);
  const client = credentials.clientId ? CLIENTS.get(credentials.clientId) : undefined;
  if (!client || client.secret !== credentials.clientSecret) return oauthError(response, 401, 'access_denied', 'Unauthorized');
  if (!params.audience) return oauthError(response, 403, 'access_denied', 'No audience parameter was provided, and no default audience has been configured');
  if (params.audience !== METI_AUDIENCE) return oauthError(response, 403, 'access_denied', `Service not enabled within domain: ${params.audience}`);
  const requested = (params.scope ?? '').split(' ').filter(Boolean);
  const notGranted = requested.filter((scope) => !client.scopes.includes(scope));
  if (notGranted.length) return oauthError(response, 403, 'access_denied', `Client has not been granted scopes: ${notGranted.join(', ')}`);
  const granted = requested.length ? requested : [...client.scopes];

  const fault = context.state.fault('meti-identity');
  const ttl = fault.accessTokenTtlSeconds ?? DEFAULT_TTL_SECONDS;
  const issuer = context.issuers['meti-identity'];
  const accessToken = await context.keys['meti-identity'].sign(
    {
      iss: issuer,
      sub: `${credentials.clientId}@clients`,
      aud: METI_AUDIENCE,
      azp: credentials.clientId,
      gty: 'client-credentials',
      scope: granted.join(' '),
      [CLAIM('account_id')]: 'acct_demo_custodian',
      [CLAIM('role')]: 'custodian',
      [CLAIM('client_name')]: client.name,
    },
    ttl,
    'at+jwt',
  );
  const body = { access_token: accessToken, token_type: 'Bearer', scope: granted.join(' '), ...(fault.omitExpiresIn ? {} : { expires_in: ttl }) };
  sendJson(response, 200, body, NO_STORE);
}

/** METI's Auth0 tenant: discovery, JWKS and the token endpoint. */
export function createMetiIdentity(): Provider {
  return {
    name: 'meti-identity',
    prefix: '/meti-identity',
    async handle(request, response, context) {
      const issuer = context.issuers['meti-identity'];
      const route = `${request.method} ${request.path}`;
      switch (route) {
        case 'GET /.well-known/openid-configuration':
          return sendJson(response, 200, {
            issuer,
            token_endpoint: `${issuer}oauth/token`,
            jwks_uri: `${issuer}.well-known/jwks.json`,
            grant_types_supported: ['client_credentials'],
            token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          });
        case 'GET /.well-known/jwks.json':
          return sendJson(response, 200, context.keys['meti-identity'].jwks());
        case 'POST /oauth/token':
          return token(request, response, context);
        default:
          return sendJson(response, 404, { error: 'not_found', error_description: `No route ${route}` });
      }
    },
  };
}
