import { describe, expect, it } from 'vitest';
import { parseAuthParams, RESERVED_AUTH_PARAMS } from '@/lib/auth/auth-params';
import { ConfigError, parseConfig } from '@/lib/config';

const base: Record<string, string> = {
  APP_URL: 'https://dash.example.com',
  SESSION_PASSWORD: '7BNy3YjrYkCJm5CS2NC7nbT0bTI2znwNdKtzuRdm',
  PELOTON_ISSUER: 'https://idp.example.com/realms/acme',
  PELOTON_CLIENT_ID: 'client',
  PELOTON_CLIENT_SECRET: 'super-secret-value-123',
  WELLVIEW_API_BASE_URL: 'https://api.peloton.com/wellview/v1/',
  WELLVIEW_SUBSCRIPTION_KEY: 'sub-key-value-456',
  WELLVIEW_REGION: 'us-east-1',
};

function problems(env: Record<string, string>): { name: string; reason: string }[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('PELOTON_AUTH_PARAMS', () => {
  it('is empty when unset', () => {
    expect(parseConfig(base).peloton.authParams).toEqual({});
  });

  it('parses a query string, decoding values, with or without a leading ?', () => {
    expect(parseConfig({ ...base, PELOTON_AUTH_PARAMS: 'prompt=consent' }).peloton.authParams).toEqual({ prompt: 'consent' });
    expect(parseAuthParams('?prompt=login%20consent&acr_values=urn%3Amfa&ui_locales=de+en')).toEqual({
      ok: true,
      params: { prompt: 'login consent', acr_values: 'urn:mfa', ui_locales: 'de en' },
    });
  });

  it.each([...RESERVED_AUTH_PARAMS, 'code_challenge_foo', 'SCOPE', 'Redirect_URI'])('refuses %s, which the dashboard sets', (name) => {
    const found = problems({ ...base, PELOTON_AUTH_PARAMS: `prompt=consent&${name}=x` });
    expect(found.map((problem) => problem.name)).toEqual(['PELOTON_AUTH_PARAMS']);
    expect(found[0]?.reason).toContain(name.toLowerCase());
  });

  it.each(['prompt', 'prompt=', 'prompt=a&prompt=b', '=x', 'a b=c', 'prompt=%E0%A4%A'])('refuses malformed %j with a reason and no value echoed', (raw) => {
    const found = problems({ ...base, PELOTON_AUTH_PARAMS: raw });
    expect(found.map((problem) => problem.name)).toEqual(['PELOTON_AUTH_PARAMS']);
  });
});

describe('PELOTON_TOKEN_AUTH_METHOD', () => {
  it('is undefined (from discovery) unless set to one of the two secret methods', () => {
    expect(parseConfig(base).peloton.tokenAuthMethod).toBeUndefined();
    expect(parseConfig({ ...base, PELOTON_TOKEN_AUTH_METHOD: 'client_secret_basic' }).peloton.tokenAuthMethod).toBe('client_secret_basic');
    expect(parseConfig({ ...base, PELOTON_TOKEN_AUTH_METHOD: 'client_secret_post' }).peloton.tokenAuthMethod).toBe('client_secret_post');
    expect(problems({ ...base, PELOTON_TOKEN_AUTH_METHOD: 'none' }).map((problem) => problem.name)).toEqual(['PELOTON_TOKEN_AUTH_METHOD']);
  });
});

describe('authorizeParameters', () => {
  it('adds PELOTON_AUTH_PARAMS to the authorize request beside the dashboard’s own', async () => {
    const { authorizeParameters } = await import('@/lib/auth/login');
    const config = parseConfig({ ...base, PELOTON_AUTH_PARAMS: 'prompt=consent&max_age=3600', PELOTON_AUDIENCE: 'https://api' });
    const parameters = authorizeParameters(config, { redirectUri: 'https://dash.example.com/api/auth/callback', state: 's', nonce: 'n', codeChallenge: 'c' });
    expect(parameters).toEqual({
      prompt: 'consent',
      max_age: '3600',
      redirect_uri: 'https://dash.example.com/api/auth/callback',
      response_type: 'code',
      scope: 'openid profile email offline_access',
      state: 's',
      nonce: 'n',
      code_challenge: 'c',
      code_challenge_method: 'S256',
      audience: 'https://api',
    });
  });
});
