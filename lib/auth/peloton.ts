import 'server-only';
import * as client from 'openid-client';
import { getConfig, type AppConfig } from '@/lib/config';

/** Identity-provider calls give up after this long; a hung provider must not hang the dashboard. */
export const IDP_TIMEOUT_MS = 10_000;

const timedFetch: client.CustomFetch = (url, options) =>
  fetch(url, { ...options, signal: AbortSignal.timeout(IDP_TIMEOUT_MS) } as RequestInit);

/**
 * Builds the openid-client configuration: discovery from `PELOTON_ISSUER`, with any explicit
 * endpoint overriding the discovered one; without an issuer, the explicit endpoints alone.
 */
async function buildConfiguration(config: AppConfig): Promise<client.Configuration> {
  const settings = config.peloton;
  const explicit: Partial<client.ServerMetadata> = {
    ...(settings.authorizeUrl && { authorization_endpoint: settings.authorizeUrl }),
    ...(settings.tokenUrl && { token_endpoint: settings.tokenUrl }),
    ...(settings.jwksUrl && { jwks_uri: settings.jwksUrl }),
    ...(settings.userinfoUrl && { userinfo_endpoint: settings.userinfoUrl }),
    ...(settings.revocationUrl && { revocation_endpoint: settings.revocationUrl }),
    ...(settings.logoutUrl && { end_session_endpoint: settings.logoutUrl }),
  };
  const clientMetadata: Partial<client.ClientMetadata> = {
    client_secret: settings.clientSecret,
    id_token_signed_response_alg: 'RS256',
  };
  // The reference sends client_secret in the form body (client_secret_post).
  const auth = client.ClientSecretPost(settings.clientSecret);

  let configuration: client.Configuration;
  if (settings.issuer) {
    const discovered = await client.discovery(new URL(settings.issuer), settings.clientId, clientMetadata, auth, {
      execute: config.allowInsecureHttp ? [client.allowInsecureRequests] : [],
      timeout: IDP_TIMEOUT_MS / 1000,
    });
    configuration = new client.Configuration(
      { ...discovered.serverMetadata(), ...explicit },
      settings.clientId,
      clientMetadata,
      auth,
    );
  } else {
    // Auth0-style issuers are the tenant origin with a trailing slash.
    const issuer = `${new URL(settings.tokenUrl as string).origin}/`;
    configuration = new client.Configuration({ issuer, ...explicit }, settings.clientId, clientMetadata, auth);
  }
  if (config.allowInsecureHttp) client.allowInsecureRequests(configuration);
  configuration[client.customFetch] = timedFetch;
  configuration.timeout = IDP_TIMEOUT_MS / 1000;
  // ID tokens are checked against the provider's JWKS, not only trusted because TLS carried them.
  client.enableNonRepudiationChecks(configuration);
  return configuration;
}

let pending: Promise<client.Configuration> | undefined;

/** The shared Peloton configuration; a failed discovery is retried on the next call. */
export function getPelotonConfiguration(config: AppConfig = getConfig()): Promise<client.Configuration> {
  if (!pending) {
    pending = buildConfiguration(config).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
  }
  return pending;
}

/** How a failed call to the identity provider should be treated. */
export type IdpFailureKind =
  /** The provider ended the login (revoked, expired, reused refresh token). */
  | 'invalid_grant'
  /** The provider says our client itself is wrong: an operator must fix configuration. */
  | 'client_rejected'
  /** Anything transient: network error, timeout, 5xx, a body that is not OAuth JSON. */
  | 'unavailable';

/** Classifies by the OAuth `error` code of the answer, never by its HTTP status alone. */
export function classifyIdpError(error: unknown): { kind: IdpFailureKind; oauthError?: string } {
  if (error instanceof client.ResponseBodyError) {
    const oauthError = error.error;
    if (oauthError === 'invalid_grant') return { kind: 'invalid_grant', oauthError };
    if (['invalid_client', 'unauthorized_client', 'invalid_scope', 'invalid_request', 'unsupported_grant_type', 'access_denied'].includes(oauthError)) {
      return { kind: 'client_rejected', oauthError };
    }
    return { kind: 'unavailable', oauthError };
  }
  return { kind: 'unavailable' };
}

export { client as oidc };
