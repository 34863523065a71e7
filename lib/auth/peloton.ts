import 'server-only';
import * as client from 'openid-client';
import { getConfig, type AppConfig } from '@/lib/config';

/** Identity-provider calls give up after this long; a hung provider must not hang the dashboard. */
export const IDP_TIMEOUT_MS = 10_000;

const timedFetch: client.CustomFetch = (url, options) =>
  fetch(url, { ...options, signal: AbortSignal.timeout(IDP_TIMEOUT_MS) } as RequestInit);

/**
 * Asymmetric JWS algorithms an ID token may be signed with. Never `none` or HS* (those would let
 * anyone holding, or guessing, the client secret mint ID tokens); the list is what oauth4webapi verifies.
 */
const ASYMMETRIC_ALGS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);

/**
 * The ID-token algorithms to accept: the asymmetric ones in the provider's
 * `id_token_signing_alg_values_supported`, or RS256 (the OIDC default) when it lists none.
 * Throws when it lists algorithms but no asymmetric one: such a provider cannot be trusted here.
 */
export function idTokenAlgorithms(listed: unknown): string[] {
  if (!Array.isArray(listed) || listed.length === 0) return ['RS256'];
  const usable = listed.filter((alg): alg is string => typeof alg === 'string' && ASYMMETRIC_ALGS.has(alg));
  if (usable.length === 0) {
    throw new Error('the identity provider lists no asymmetric ID-token signing algorithm (only none/HS* or unknown ones)');
  }
  return usable;
}

export type TokenAuthMethod = 'client_secret_basic' | 'client_secret_post';

/**
 * Token-endpoint client authentication: `PELOTON_TOKEN_AUTH_METHOD` when set; else
 * `client_secret_basic` when discovery lists it; else `client_secret_post` (what Auth0-style
 * providers configured by explicit URLs expect).
 */
export function tokenAuthMethod(override: TokenAuthMethod | undefined, listed: unknown): TokenAuthMethod {
  if (override) return override;
  if (Array.isArray(listed) && listed.includes('client_secret_basic')) return 'client_secret_basic';
  return 'client_secret_post';
}

/**
 * The issuer when there is no `PELOTON_ISSUER` (explicit URLs only). Only an Auth0-style token URL
 * (`<origin>/oauth/token`) names its issuer (`<origin>/`); config refuses any other token URL
 * without `PELOTON_ISSUER`, because path issuers (`https://idp.example.com/realms/acme`) cannot be guessed.
 */
export function issuerFromTokenUrl(tokenUrl: string): string {
  return `${new URL(tokenUrl).origin}/`;
}

/**
 * Builds the openid-client configuration: discovery from `PELOTON_ISSUER` (path issuers
 * included), with any explicit endpoint overriding the discovered one; without an issuer, the
 * explicit endpoints alone. ID-token algorithm and client authentication follow the provider.
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
  // No client-side alg pin: oauth4webapi then checks the ID token's alg against the (filtered)
  // server list below, so any asymmetric algorithm the provider lists is accepted.
  const clientMetadata: Partial<client.ClientMetadata> = { client_secret: settings.clientSecret };

  let metadata: client.ServerMetadata;
  if (settings.issuer) {
    const discovered = await client.discovery(new URL(settings.issuer), settings.clientId, clientMetadata, undefined, {
      execute: config.allowInsecureHttp ? [client.allowInsecureRequests] : [],
      timeout: IDP_TIMEOUT_MS / 1000,
    });
    metadata = { ...discovered.serverMetadata(), ...explicit };
  } else {
    metadata = { issuer: issuerFromTokenUrl(settings.tokenUrl as string), ...explicit };
  }
  metadata = { ...metadata, id_token_signing_alg_values_supported: idTokenAlgorithms(metadata.id_token_signing_alg_values_supported) };
  const method = tokenAuthMethod(settings.tokenAuthMethod, metadata.token_endpoint_auth_methods_supported);
  const auth = method === 'client_secret_basic' ? client.ClientSecretBasic(settings.clientSecret) : client.ClientSecretPost(settings.clientSecret);
  const configuration = new client.Configuration(metadata, settings.clientId, clientMetadata, auth);
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
