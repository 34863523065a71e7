import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, parseConfig, isLoopbackAppUrl, type ConfigProblem } from '@/lib/config';
import { PUBLISHED_SESSION_PASSWORDS } from '@/lib/security/password-strength';
import { DEMO_SESSION_PASSWORD } from '../../../scripts/sandbox-env';

const strongA = '7BNy3YjrYkCJm5CS2NC7nbT0bTI2znwNdKtzuRdm';
const strongB = 'xNERs5wrPl_oYnllzNrKPrYpvTDoK1u2KiQ-yHzC';

const valid: Record<string, string> = {
  APP_URL: 'https://dash.example.com',
  SESSION_PASSWORD: strongA,
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
    expect(config.wellview.maxQueueWaitMs).toBe(10_000);
    expect(parseConfig({ ...valid, WELLVIEW_MAX_QUEUE_WAIT_MS: '2500' }).wellview.maxQueueWaitMs).toBe(2_500);
    expect(problemsOf({ ...valid, WELLVIEW_MAX_QUEUE_WAIT_MS: 'soon' })).toEqual(['WELLVIEW_MAX_QUEUE_WAIT_MS']);
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
    const config = parseConfig({ ...valid, SESSION_PASSWORD: `${strongA}, ${strongB}` });
    expect(config.session.passwords).toEqual([strongA, strongB]);
    expect(problemsOf({ ...valid, SESSION_PASSWORD: `${strongA},short` })).toEqual(['SESSION_PASSWORD']);
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
    const local = { ...valid, APP_URL: 'http://127.0.0.1:3000', PELOTON_ISSUER: 'http://127.0.0.1:4000/peloton/' };
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

function problemsIn(env: Record<string, string>): ConfigProblem[] {
  try {
    parseConfig(env);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
}

function messageOf(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

const WEAK_PASSWORDS: [string, string][] = [
  ['one repeated character', 'a'.repeat(32)],
  ['one repeated character, long', 'Z'.repeat(64)],
  ['a repeated word', 'password1234'.repeat(3)],
  ['a repeated word with capitals and symbols', 'Password123!'.repeat(4)],
  ['a sequence, repeated', '0123456789abcdef0123456789abcdef'],
  ['the alphabet', 'abcdefghijklmnopqrstuvwxyz0123456789'],
  ['a keyboard row', 'qwertyuiopasdfghjklzxcvbnm1234567890'],
  ['two characters alternating', 'ab'.repeat(24)],
  ['doubled letters', 'aabbccddeeffgghhiijjkkllmmnnoopp'],
  ['a short chunk repeated', 'x9Kx9Kx9Kx9Kx9Kx9Kx9Kx9Kx9Kx9Kx9K'],
  ['a descending run', 'zyxwvutsrqponmlkjihgfedcba9876543210'],
];

describe('a deployment (APP_URL not a loopback origin)', () => {
  const deployment = { ...valid, APP_URL: 'https://dash.example.com' };

  it('tells loopback origins from deployments', () => {
    for (const url of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'https://LOCALHOST']) {
      expect(isLoopbackAppUrl(url)).toBe(true);
    }
    for (const url of ['https://dash.example.com', 'http://localhost.example.com', 'http://127.0.0.2', 'http://10.0.0.5:3000', 'https://0.0.0.0']) {
      expect(isLoopbackAppUrl(url)).toBe(false);
    }
  });

  it.each([...PUBLISHED_SESSION_PASSWORDS])('refuses the published session password %s', (password) => {
    const problems = problemsIn({ ...deployment, SESSION_PASSWORD: password });
    expect(problems.map((problem) => problem.name)).toEqual(['SESSION_PASSWORD']);
    expect(messageOf({ ...deployment, SESSION_PASSWORD: password })).not.toContain(password);
  });

  it('knows the values published in .env.local.example and the demo', () => {
    const example = readFileSync(path.resolve(__dirname, '../../../.env.local.example'), 'utf8');
    const placeholder = /^SESSION_PASSWORD=(.*)$/m.exec(example)?.[1]?.trim();
    expect(placeholder).toBeTruthy();
    expect(PUBLISHED_SESSION_PASSWORDS).toContain(placeholder);
    expect(PUBLISHED_SESSION_PASSWORDS).toContain(DEMO_SESSION_PASSWORD);
  });

  it.each(WEAK_PASSWORDS)('refuses a low-entropy session password: %s', (_label, password) => {
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(problemsIn({ ...deployment, SESSION_PASSWORD: password }).map((problem) => problem.name)).toEqual(['SESSION_PASSWORD']);
    expect(messageOf({ ...deployment, SESSION_PASSWORD: password })).not.toContain(password);
  });

  it('refuses a weak password anywhere in a rotation list, naming which entry', () => {
    const problems = problemsIn({ ...deployment, SESSION_PASSWORD: `${strongA},${'a'.repeat(40)}` });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ name: 'SESSION_PASSWORD' });
    expect(problems[0]?.reason).toContain('entry 2');
  });

  it('accepts random base64 and hex secrets of 32 characters and more', () => {
    for (let index = 0; index < 300; index += 1) {
      const secrets = [
        randomBytes(24).toString('base64'),
        randomBytes(24).toString('base64url'),
        randomBytes(16).toString('hex'),
        randomBytes(32).toString('hex'),
        randomBytes(48).toString('base64'),
      ];
      for (const secret of secrets) expect(problemsIn({ ...deployment, SESSION_PASSWORD: secret }), secret).toEqual([]);
    }
  });

  it('refuses ALLOW_INSECURE_HTTP and an http APP_URL', () => {
    expect(problemsIn({ ...deployment, ALLOW_INSECURE_HTTP: '1' }).map((problem) => problem.name)).toEqual(['ALLOW_INSECURE_HTTP']);
    expect(problemsIn({ ...deployment, APP_URL: 'http://dash.example.com' }).map((problem) => problem.name)).toEqual(['APP_URL']);
    expect(problemsIn({ ...deployment, APP_URL: 'http://10.1.2.3:3000' }).map((problem) => problem.name)).toEqual(['APP_URL']);
  });

  it('lists every problem at once, naming variables and printing no value', () => {
    const env = {
      ...deployment,
      APP_URL: 'http://dash.example.com',
      ALLOW_INSECURE_HTTP: '1',
      SESSION_PASSWORD: `${DEMO_SESSION_PASSWORD},${'password1234'.repeat(3)}`,
      PELOTON_ISSUER: 'http://auth.example.com/',
    };
    const problems = problemsIn(env);
    expect(problems.map((problem) => problem.name).sort()).toEqual(['ALLOW_INSECURE_HTTP', 'APP_URL', 'SESSION_PASSWORD', 'SESSION_PASSWORD']);
    const message = messageOf(env);
    expect(message).not.toContain(DEMO_SESSION_PASSWORD);
    expect(message).not.toContain('password1234');
  });

  it('keeps all of these allowed on a loopback origin, as the demo runs', () => {
    for (const appUrl of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
      const env = {
        ...valid,
        APP_URL: appUrl,
        ALLOW_INSECURE_HTTP: '1',
        PELOTON_ISSUER: 'http://127.0.0.1:4000/peloton/',
        SESSION_PASSWORD: `${DEMO_SESSION_PASSWORD},${'a'.repeat(32)}`,
      };
      expect(problemsIn(env)).toEqual([]);
    }
  });
});

describe('ADMIN_USERS and ALLOWED_USERS', () => {
  it('splits entries into subject ids (exact), emails and @domains', () => {
    const config = parseConfig({ ...valid, ADMIN_USERS: 'Ops@Example.com,auth0|Abc', ALLOWED_USERS: '@Example.com, auth0|X, ben@other.org' });
    expect([...config.adminUsers.subjects]).toEqual(['Ops@Example.com', 'auth0|Abc']);
    expect([...config.adminUsers.emails]).toEqual(['ops@example.com']);
    expect(config.allowedUsers && [...config.allowedUsers.domains]).toEqual(['example.com']);
    expect(config.allowedUsers && [...config.allowedUsers.emails]).toEqual(['ben@other.org']);
    expect(config.allowedUsers && config.allowedUsers.subjects.has('auth0|X')).toBe(true);
  });

  it('leaves ALLOWED_USERS off when unset', () => {
    expect(parseConfig(valid).allowedUsers).toBeNull();
  });

  it('refuses an @domain entry in ADMIN_USERS', () => {
    expect(problemsOf({ ...valid, ADMIN_USERS: '@example.com' })).toEqual(['ADMIN_USERS']);
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
