/**
 * A real, certified OpenID provider (panva's `oidc-provider`) for integration tests, configured
 * deliberately unlike the sandbox's Peloton:
 *
 * - the issuer has a path (`/realms/acme`, Keycloak style), found only through discovery;
 * - ID tokens are ES256 (discovery also lists HS256, which the dashboard must never accept);
 * - the token endpoint takes `client_secret_basic` only;
 * - `offline_access` yields a refresh token only with `prompt=consent` (OIDC Core §11);
 * - refresh tokens rotate on every use, and presenting a used one revokes the grant (400 invalid_grant);
 * - name and email are not in the ID token (only from userinfo), as oidc-provider does by default;
 * - login and consent are oidc-provider's own development interaction pages;
 * - back-channel logout is on (the dashboard's endpoint is registered, `sid` required).
 */
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export interface OidcUser {
  sub: string;
  name: string;
  email: string;
}

export interface RunningOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  provider: Provider;
  /** Successful token grants by type, and failed ones by OAuth error. */
  grants: { ok: Record<string, number>; failed: Record<string, number> };
  /** A refresh token for `accountId` made directly in the provider (as if a sign-in had issued it). */
  issueRefreshToken(accountId: string): Promise<string>;
  /** Calls the token endpoint as a client would: `refresh_token` grant, client_secret_basic. */
  refresh(refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /**
   * A logout token signed with the provider's own key (ES256): valid unless `claims` spoil it.
   * `claims` are merged over a valid set; a claim set to undefined is removed.
   */
  signLogoutToken(claims?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** Every end-session request's query, as the provider received it. */
  endSessions: URLSearchParams[];
  close(): Promise<void>;
}

const MOUNT = '/realms/acme';

export const OIDC_USERS: Record<string, OidcUser> = {
  'ada@acme.test': { sub: 'ada@acme.test', name: 'Ada Lovelace', email: 'ada@acme.test' },
  'grace@acme.test': { sub: 'grace@acme.test', name: 'Grace Hopper', email: 'grace@acme.test' },
};

/** Starts the provider on 127.0.0.1 (a free port) for one dashboard at `appUrl`. */
export async function startOidcProvider(options: {
  appUrl: string;
  accessTokenTtlSeconds?: number;
  /** Where back-channel logouts go (default: `appUrl`); another instance of the same dashboard. */
  backchannelAppUrl?: string;
}): Promise<RunningOidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no port');
  const issuer = `http://127.0.0.1:${address.port}${MOUNT}`;
  const clientId = 'wellview-dashboard';
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'es256-1', alg: 'ES256', use: 'sig' };

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${options.appUrl}/api/auth/callback`],
        post_logout_redirect_uris: [`${options.appUrl}/login?error=signed_out`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
        backchannel_logout_uri: `${options.backchannelAppUrl ?? options.appUrl}/api/auth/backchannel-logout`,
        backchannel_logout_session_required: true,
      },
    ],
    clientAuthMethods: ['client_secret_basic'],
    jwks: { keys: [jwk as never] },
    enabledJWA: { idTokenSigningAlgValues: ['HS256', 'ES256'] },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: { profile: ['name'], email: ['email', 'email_verified'] },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 3600,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Grant: 24 * 3600,
      Session: 24 * 3600,
      Interaction: 3600,
    },
    rotateRefreshToken: true,
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // oidc-provider refuses outgoing calls to loopback addresses (SSRF protection); the dashboard's
    // back-channel endpoint is on 127.0.0.1 here, so drop that dispatcher in the test provider only.
    fetch: (url: URL | string, init: RequestInit & { dispatcher?: unknown }) => {
      const { dispatcher: _dispatcher, ...rest } = init;
      return fetch(url, rest);
    },
    findAccount: (_ctx, id) => {
      const user = OIDC_USERS[id];
      if (!user) return undefined;
      return { accountId: id, claims: () => ({ sub: user.sub, name: user.name, email: user.email, email_verified: true }) };
    },
  };
  const provider = new Provider(issuer, configuration);
  const grants: RunningOidcProvider['grants'] = { ok: {}, failed: {} };
  const endSessions: URLSearchParams[] = [];
  const bump = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => bump(grants.ok, String(ctx.oidc.params?.grant_type)));
  provider.on('grant.error', (_ctx: KoaContextWithOIDC, error: { error?: string }) => bump(grants.failed, String(error.error)));
  provider.on('revocation.error', () => bump(grants.failed, 'revocation'));
  const callback = provider.callback();
  server.on('request', (request, response) => {
    const url = request.url ?? '/';
    if (!url.startsWith(MOUNT)) {
      response.writeHead(404).end();
      return;
    }
    if (url.startsWith(`${MOUNT}/session/end`)) endSessions.push(new URL(url, issuer).searchParams);
    // oidc-provider emits no event for a successful revocation: count its 200 answers.
    if (url === `${MOUNT}/token/revocation`) {
      response.on('finish', () => response.statusCode === 200 && bump(grants.ok, 'revocation'));
    }
    // Mounted under the issuer's path, as Express's app.use would: oidc-provider reads the mount
    // path from originalUrl and routes on the rest.
    Object.assign(request, { originalUrl: url });
    request.url = url.slice(MOUNT.length) || '/';
    void callback(request, response);
  });
  const issueRefreshToken = async (accountId: string) => {
    const client = await provider.Client.find(clientId);
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope('openid offline_access');
    const grantId = await grant.save();
    const scope = 'openid offline_access';
    const authTime = Math.floor(Date.now() / 1000);
    return new provider.RefreshToken({ accountId, client, grantId, scope, gty: 'authorization_code', authTime }).save();
  };
  const refresh = async (refreshToken: string) => {
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const signingKey = await importJWK(jwk, 'ES256');
  const signLogoutToken = async (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) => {
    const merged: Record<string, unknown> = {
      iss: issuer,
      aud: clientId,
      iat: Math.floor(Date.now() / 1000),
      jti: randomBytes(12).toString('base64url'),
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
      ...claims,
    };
    const payload = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
    return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'logout+jwt', ...header }).sign(signingKey);
  };
  return {
    issuer,
    clientId,
    signLogoutToken,
    clientSecret,
    provider,
    issueRefreshToken,
    refresh,
    grants,
    endSessions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
