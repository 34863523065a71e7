import type { ServerResponse } from 'node:http';
import { PELOTON_AUDIENCE } from '../defaults';
import { bearerToken, bodyParameters, clientCredentials, escapeHtml, redirect, sendHtml, sendJson, type SandboxRequest } from '../http';
import type { Provider, SandboxContext } from '../context';
import { isAllowedRedirectUri, showAuthorize, submitLogin } from './authorize';
import { LoginStore } from './logins';
import { isKnownClient, token } from './token';

/**
 * The Peloton identity provider (Auth0-like): discovery, JWKS, an HTML sign-in form, a token
 * endpoint with single-use rotating refresh tokens and reuse detection, userinfo, revocation and
 * logout. Issuer: `<public URL>/peloton/`.
 */
export function createPeloton(): Provider & { logins: LoginStore } {
  const logins = new LoginStore();

  const discovery = (context: SandboxContext) => {
    const issuer = context.issuers.peloton;
    return {
      issuer,
      authorization_endpoint: `${issuer}authorize`,
      token_endpoint: `${issuer}oauth/token`,
      jwks_uri: `${issuer}.well-known/jwks.json`,
      userinfo_endpoint: `${issuer}userinfo`,
      revocation_endpoint: `${issuer}oauth/revoke`,
      end_session_endpoint: `${issuer}oidc/logout`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      revocation_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'name', 'email', 'email_verified', 'nonce', 'auth_time'],
    };
  };

  async function userinfo(request: SandboxRequest, response: ServerResponse, context: SandboxContext) {
    const accessToken = bearerToken(request);
    const result = accessToken ? await context.keys.peloton.verify(accessToken, context.issuers.peloton) : null;
    if (!result?.ok) {
      response.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      return sendJson(response, 401, { error: 'invalid_token', error_description: 'The access token is invalid or expired' });
    }
    const user = context.users.find((candidate) => candidate.sub === result.claims.sub);
    if (!user) return sendJson(response, 401, { error: 'invalid_token', error_description: 'Unknown subject' });
    sendJson(response, 200, { sub: user.sub, name: user.name, email: user.email, email_verified: user.emailVerified });
  }

  function revoke(request: SandboxRequest, response: ServerResponse, context: SandboxContext) {
    const { params } = bodyParameters(request);
    const credentials = clientCredentials(request, params);
    if (!isKnownClient(credentials.clientId, credentials.clientSecret)) {
      return sendJson(response, 401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
    }
    const record = params.token ? logins.refreshTokens.get(params.token) : undefined;
    // Revoking a refresh token ends its whole login (Auth0); unknown tokens still answer 200.
    if (record && logins.logins.get(record.loginId)?.clientId === credentials.clientId) {
      logins.revoke(record.loginId);
      context.state.revocations += 1;
    }
    response.writeHead(200, { 'content-length': 0, 'cache-control': 'no-store' });
    response.end();
  }

  function logout(request: SandboxRequest, response: ServerResponse, context: SandboxContext) {
    const target = request.query.get('post_logout_redirect_uri') ?? request.query.get('returnTo');
    if (target) {
      const allowed = (() => {
        try {
          return isAllowedRedirectUri(target, context, new URL(target).pathname);
        } catch {
          return false;
        }
      })();
      if (allowed) return redirect(response, target);
    }
    sendHtml(
      response,
      200,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed out</title></head><body style="font-family:system-ui;max-width:32rem;margin:4rem auto"><h1>You are signed out of Peloton</h1>${target ? `<p>${escapeHtml('The return address is not registered, so you stay here.')}</p>` : ''}</body></html>`,
    );
  }

  return {
    name: 'peloton',
    prefix: '/peloton',
    logins,
    async handle(request, response, context) {
      const route = `${request.method} ${request.path}`;
      switch (route) {
        case 'GET /.well-known/openid-configuration':
          return sendJson(response, 200, discovery(context), { 'cache-control': 'public, max-age=300' });
        case 'GET /.well-known/jwks.json':
          return sendJson(response, 200, context.keys.peloton.jwks());
        case 'GET /authorize':
          return showAuthorize(request, response, context, logins);
        case 'POST /authorize/login':
          return submitLogin(request, response, context, logins);
        case 'POST /oauth/token':
          return token(request, response, context, logins);
        case 'GET /userinfo':
        case 'POST /userinfo':
          return userinfo(request, response, context);
        case 'POST /oauth/revoke':
          return revoke(request, response, context);
        case 'GET /oidc/logout':
        case 'GET /v2/logout':
          return logout(request, response, context);
        default:
          return sendJson(response, 404, { error: 'not_found', error_description: `No route ${route}` });
      }
    },
  };
}

export { PELOTON_AUDIENCE };
