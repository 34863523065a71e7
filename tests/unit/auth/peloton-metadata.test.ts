import { describe, expect, it } from 'vitest';
import { idTokenAlgorithms, issuerFromTokenUrl, tokenAuthMethod } from '@/lib/auth/peloton';
import { ConfigError, parseConfig } from '@/lib/config';

describe('idTokenAlgorithms', () => {
  it('accepts every asymmetric algorithm the provider lists, and RS256 when it lists none', () => {
    expect(idTokenAlgorithms(['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'])).toEqual(['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA']);
    expect(idTokenAlgorithms(['ES256'])).toEqual(['ES256']);
    expect(idTokenAlgorithms(undefined)).toEqual(['RS256']);
    expect(idTokenAlgorithms([])).toEqual(['RS256']);
  });

  it('never accepts none or HS*, and refuses a provider that lists nothing else', () => {
    expect(idTokenAlgorithms(['none', 'HS256', 'HS512', 'ES256'])).toEqual(['ES256']);
    expect(() => idTokenAlgorithms(['none', 'HS256'])).toThrow(/no asymmetric/);
    expect(() => idTokenAlgorithms(['XS999'])).toThrow(/no asymmetric/);
  });
});

describe('tokenAuthMethod', () => {
  it('prefers client_secret_basic when discovery lists it, else client_secret_post', () => {
    expect(tokenAuthMethod(undefined, ['client_secret_post', 'client_secret_basic'])).toBe('client_secret_basic');
    expect(tokenAuthMethod(undefined, ['client_secret_basic'])).toBe('client_secret_basic');
    expect(tokenAuthMethod(undefined, ['client_secret_post', 'private_key_jwt'])).toBe('client_secret_post');
    expect(tokenAuthMethod(undefined, undefined)).toBe('client_secret_post');
  });

  it('lets PELOTON_TOKEN_AUTH_METHOD override discovery', () => {
    expect(tokenAuthMethod('client_secret_post', ['client_secret_basic'])).toBe('client_secret_post');
    expect(tokenAuthMethod('client_secret_basic', undefined)).toBe('client_secret_basic');
  });
});

describe('the issuer without PELOTON_ISSUER', () => {
  const base: Record<string, string> = {
    APP_URL: 'https://dash.example.com',
    SESSION_PASSWORD: '7BNy3YjrYkCJm5CS2NC7nbT0bTI2znwNdKtzuRdm',
    PELOTON_CLIENT_ID: 'client',
    PELOTON_CLIENT_SECRET: 'super-secret-value-123',
    PELOTON_AUTHORIZE_URL: 'https://idp.example.com/realms/acme/protocol/openid-connect/auth',
    PELOTON_JWKS_URL: 'https://idp.example.com/realms/acme/protocol/openid-connect/certs',
    WELLVIEW_API_BASE_URL: 'https://api.peloton.com/wellview/v1/',
    WELLVIEW_SUBSCRIPTION_KEY: 'sub-key-value-456',
    WELLVIEW_REGION: 'us-east-1',
  };

  it('is derived (<origin>/) only from an Auth0-style token URL', () => {
    const config = parseConfig({ ...base, PELOTON_TOKEN_URL: 'https://tenant.auth0.com/oauth/token' });
    expect(issuerFromTokenUrl(config.peloton.tokenUrl as string)).toBe('https://tenant.auth0.com/');
  });

  it('is required for any other token URL (a path issuer cannot be guessed), and the error says so', () => {
    const tokenUrl = 'https://idp.example.com/realms/acme/protocol/openid-connect/token';
    let problems: { name: string; reason: string }[] = [];
    try {
      parseConfig({ ...base, PELOTON_TOKEN_URL: tokenUrl });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems.map((problem) => problem.name)).toEqual(['PELOTON_ISSUER']);
    expect(problems[0]?.reason).toMatch(/PELOTON_TOKEN_URL.*oauth\/token/);
    expect(parseConfig({ ...base, PELOTON_TOKEN_URL: tokenUrl, PELOTON_ISSUER: 'https://idp.example.com/realms/acme' }).peloton.issuer).toBe(
      'https://idp.example.com/realms/acme',
    );
  });
});
