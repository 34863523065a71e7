import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

const valid: Record<string, string> = {
  APP_URL: 'https://dash.example.com',
  SESSION_PASSWORD: 'a'.repeat(32),
  PELOTON_ISSUER: 'https://auth.peloton.com/',
  PELOTON_CLIENT_ID: 'client',
  PELOTON_CLIENT_SECRET: 'super-secret-value-123',
  WELLVIEW_API_BASE_URL: 'https://api.peloton.com/wellview/v1/',
  WELLVIEW_SUBSCRIPTION_KEY: 'sub-key-value-456',
  WELLVIEW_REGION: 'us-east-1',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => problem.name);
  }
  return [];
}

describe('parseConfig', () => {
  it('accepts a minimal production environment and applies the documented defaults', () => {
    const config = parseConfig(valid);
    expect(config.peloton.scopes).toBe('openid profile email offline_access');
    expect(config.wellview.rateLimitPerSecond).toBe(18);
    expect(config.wellview.baseUrl).toBe('https://api.peloton.com/wellview/v1');
    expect(config.secureCookies).toBe(true);
    expect(config.events).toBeNull();
    expect(config.meti).toBeNull();
    expect(config.gateway.maxBodyBytes).toBe(1024 * 1024);
  });

  it('lists every problem at once, by variable name', () => {
    const names = problemsOf({ SESSION_PASSWORD: 'short', WELLVIEW_RATE_LIMIT_PER_SECOND: 'fast' });
    expect(names).toEqual(
      expect.arrayContaining([
        'APP_URL',
        'SESSION_PASSWORD',
        'PELOTON_CLIENT_ID',
        'PELOTON_CLIENT_SECRET',
        'PELOTON_AUTHORIZE_URL',
        'PELOTON_TOKEN_URL',
        'PELOTON_JWKS_URL',
        'WELLVIEW_API_BASE_URL',
        'WELLVIEW_SUBSCRIPTION_KEY',
        'WELLVIEW_REGION',
        'WELLVIEW_RATE_LIMIT_PER_SECOND',
      ]),
    );
  });

  it('never prints a secret value in the message', () => {
    const secret = 'this-is-a-secret-but-too-short';
    try {
      parseConfig({ ...valid, SESSION_PASSWORD: secret, PELOTON_TOKEN_URL: 'not a url' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('SESSION_PASSWORD');
      expect(message).toContain('PELOTON_TOKEN_URL');
      expect(message).not.toContain(secret);
      expect(message).not.toContain(valid.PELOTON_CLIENT_SECRET);
    }
  });

  it('accepts several session passwords for rotation, each at least 32 characters', () => {
    const config = parseConfig({ ...valid, SESSION_PASSWORD: `${'n'.repeat(40)}, ${'o'.repeat(32)}` });
    expect(config.session.passwords).toEqual(['n'.repeat(40), 'o'.repeat(32)]);
    expect(problemsOf({ ...valid, SESSION_PASSWORD: `${'n'.repeat(40)},short` })).toEqual(['SESSION_PASSWORD']);
  });

  it('treats Events and METI as all-or-nothing groups', () => {
    expect(problemsOf({ ...valid, EVENTS_CLIENT_ID: 'x' })).toEqual(
      expect.arrayContaining(['EVENTS_IDENTITY_URL', 'EVENTS_CLIENT_SECRET', 'EVENTS_API_BASE_URL', 'EVENTS_TENANT_CODE']),
    );
    expect(problemsOf({ ...valid, METI_TOKEN_URL: 'https://meti.example/oauth/token' })).toEqual(
      expect.arrayContaining(['METI_CLIENT_ID', 'METI_CLIENT_SECRET', 'METI_API_BASE_URL']),
    );
  });

  it('refuses http identity URLs unless ALLOW_INSECURE_HTTP=1', () => {
    const local = { ...valid, PELOTON_ISSUER: 'http://127.0.0.1:4000/peloton/' };
    expect(problemsOf(local)).toEqual(['PELOTON_ISSUER']);
    expect(parseConfig({ ...local, ALLOW_INSECURE_HTTP: '1' }).allowInsecureHttp).toBe(true);
  });

  it('accepts explicit endpoints without an issuer', () => {
    const { PELOTON_ISSUER: _issuer, ...rest } = valid;
    const config = parseConfig({
      ...rest,
      PELOTON_AUTHORIZE_URL: 'https://auth.example/authorize',
      PELOTON_TOKEN_URL: 'https://auth.example/oauth/token',
      PELOTON_JWKS_URL: 'https://auth.example/.well-known/jwks.json',
    });
    expect(config.peloton.issuer).toBeUndefined();
    expect(config.peloton.tokenUrl).toBe('https://auth.example/oauth/token');
  });
});

describe('field maps', () => {
  it('parses *_FIELD_MAP into column → path maps', () => {
    const config = parseConfig({ ...valid, WELLVIEW_FIELD_MAP: 'uwi=identifiers.api14, lat=geometry.coordinates[1]', METI_FIELD_MAP: 'co2e=totals.co2e' });
    expect(config.fieldMaps).toEqual({ wellview: { uwi: 'identifiers.api14', lat: 'geometry.coordinates[1]' }, events: {}, meti: { co2e: 'totals.co2e' } });
  });

  it('names the variable when a field map is malformed', () => {
    expect(problemsOf({ ...valid, EVENTS_FIELD_MAP: 'venue' })).toEqual(['EVENTS_FIELD_MAP']);
    try {
      parseConfig({ ...valid, WELLVIEW_FIELD_MAP: 'uwi=a,uwi=b' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/WELLVIEW_FIELD_MAP: must be column=path pairs.*mapped twice/);
    }
  });
});
