import { describe, expect, it } from 'vitest';
import {
  EVENTS_CLIENT,
  METI_AUDIENCE,
  METI_CLIENT,
  PELOTON_AUDIENCE,
  WELLVIEW_SERVICE_CLIENT,
} from '../../../sandbox/defaults';
import {
  decodeClaims,
  metiToken,
  postForm,
  postJson,
  setUpSandbox,
  type OAuthError,
  type TokenResponse,
} from './harness';

const sandbox = setUpSandbox();

const jwks = () => fetch(`${sandbox.url}/meti-identity/.well-known/jwks.json`);
const meti = (token: string | null) =>
  fetch(`${sandbox.url}/meti/sources`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

const tokenRequests = {
  peloton: () =>
    postForm(`${sandbox.url}/peloton/oauth/token`, {
      grant_type: 'client_credentials',
      client_id: WELLVIEW_SERVICE_CLIENT.clientId,
      client_secret: WELLVIEW_SERVICE_CLIENT.clientSecret,
      audience: PELOTON_AUDIENCE,
    }),
  'events-identity': () =>
    postForm(`${sandbox.url}/events-identity/connect/token`, {
      grant_type: 'client_credentials',
      client_id: EVENTS_CLIENT.clientId,
      client_secret: EVENTS_CLIENT.clientSecret,
      scope: 'EventsApi',
    }),
  'meti-identity': () =>
    postJson(`${sandbox.url}/meti-identity/oauth/token`, {
      grant_type: 'client_credentials',
      client_id: METI_CLIENT.clientId,
      client_secret: METI_CLIENT.clientSecret,
      audience: METI_AUDIENCE,
    }),
};

describe('POST /__sandbox/faults', () => {
  it('refuses an invalid body with 400 and names the problem', async () => {
    const bodies: unknown[] = [
      {},
      { provider: 'nobody' },
      { provider: 'meti', errorRate: 1.5 },
      { provider: 'meti', errorStatus: 200 },
      { provider: 'meti', latencyMs: -1 },
      { provider: 'meti', down: 'yes' },
      { provider: 'meti', surprise: true },
    ];
    for (const body of bodies) {
      const response = await postJson(`${sandbox.url}/__sandbox/faults`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { error: string; issues: string[] };
      expect(answer.error).toBe('invalid_fault');
      expect(answer.issues.length).toBeGreaterThan(0);
    }
    const notJson = await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect((await sandbox.stats()).faults).toEqual({});
  });

  it('answers the fault it set, merged with earlier ones for that provider', async () => {
    await sandbox.fault({ provider: 'meti', latencyMs: 10 });
    const response = await sandbox.fault({ provider: 'meti', errorRate: 0.5 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ provider: 'meti', fault: { latencyMs: 10, errorRate: 0.5 } });
    expect((await sandbox.stats()).faults).toEqual({ meti: { latencyMs: 10, errorRate: 0.5 } });
  });

  it('down: drops the connection (fetch rejects) for that provider only, until reset', async () => {
    await sandbox.fault({ provider: 'meti-identity', down: true });
    await expect(jwks()).rejects.toThrow();
    await expect(tokenRequests['meti-identity']()).rejects.toThrow();
    expect((await fetch(`${sandbox.url}/events-identity/.well-known/openid-configuration`)).status).toBe(200);
    await sandbox.reset();
    expect((await jwks()).status).toBe(200);
  });

  it('errorRate 1 with errorStatus 503: every call fails with 503 and Retry-After', async () => {
    await sandbox.fault({
      provider: 'events-identity',
      errorRate: 1,
      errorStatus: 503,
      retryAfterSeconds: 7,
    });
    for (let call = 0; call < 3; call += 1) {
      const response = await tokenRequests['events-identity']();
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(((await response.json()) as OAuthError).error).toBe('temporarily_unavailable');
    }
    expect((await tokenRequests['meti-identity']()).status).toBe(200);
  });

  it('errorRate 0.5 fails every second call, in the API’s own error shape', async () => {
    const token = await metiToken(sandbox.url);
    await sandbox.fault({ provider: 'meti', errorRate: 0.5 });
    const statuses: number[] = [];
    for (let call = 0; call < 4; call += 1) statuses.push((await meti(token)).status);
    expect(statuses.filter((status) => status === 500)).toHaveLength(2);
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);

    await sandbox.fault({ provider: 'wellview', errorRate: 1, errorStatus: 502 });
    const wellview = await fetch(`${sandbox.url}/wellview/user`);
    expect(wellview.status).toBe(502);
    expect(await wellview.json()).toMatchObject({ statusCode: 502 });

    // An injected 401 looks like an expired token, in each API's own shape.
    await sandbox.fault({ provider: 'wellview', errorStatus: 401 });
    const expired = await fetch(`${sandbox.url}/wellview/user`);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      error: 'unauthorized',
      error_description: 'The access token expired',
    });
    await sandbox.fault({ provider: 'events', errorRate: 1, errorStatus: 401 });
    const eventsExpired = await fetch(`${sandbox.url}/events/api/1.0/event/list`, { method: 'POST' });
    expect(await eventsExpired.json()).toEqual({
      error: 'invalid_token',
      error_description: 'The access token expired',
    });
  });

  it('latencyMs delays that provider’s answers and no other’s', async () => {
    await sandbox.fault({ provider: 'meti-identity', latencyMs: 300 });
    let started = performance.now();
    expect((await jwks()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    started = performance.now();
    expect((await fetch(`${sandbox.url}/events-identity/.well-known/openid-configuration`)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('malformedBody: a 200 whose JSON does not parse', async () => {
    await sandbox.fault({ provider: 'meti-identity', malformedBody: true });
    const response = await tokenRequests['meti-identity']();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    await expect(response.json()).rejects.toThrow();
  });

  it('cutMidBody: the body stops half-way and reading it fails', async () => {
    await sandbox.fault({ provider: 'meti-identity', cutMidBody: true });
    const response = await jwks();
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('accessTokenTtlSeconds shortens expires_in and the token’s own lifetime, per identity provider', async () => {
    for (const provider of ['peloton', 'events-identity', 'meti-identity'] as const) {
      const before = (await (await tokenRequests[provider]()).json()) as TokenResponse;
      expect(before.expires_in, provider).toBeGreaterThanOrEqual(900);
      await sandbox.fault({ provider, accessTokenTtlSeconds: 5 });
      const after = (await (await tokenRequests[provider]()).json()) as TokenResponse;
      expect(after.expires_in, provider).toBe(5);
      const claims = decodeClaims(after.access_token);
      expect((claims.exp as number) - (claims.iat as number), provider).toBe(5);
    }
  });

  it('omitExpiresIn drops expires_in from token responses', async () => {
    await sandbox.fault({ provider: 'meti-identity', omitExpiresIn: true });
    const body = (await (await tokenRequests['meti-identity']()).json()) as TokenResponse;
    expect(body.access_token).toBeTruthy();
    expect(body).not.toHaveProperty('expires_in');
  });
});

describe('GET /__sandbox/stats and POST /__sandbox/reset', () => {
  it('counts responses per provider and status, and token requests per grant', async () => {
    const token = await metiToken(sandbox.url);
    expect((await meti(token)).status).toBe(200);
    expect((await meti(token)).status).toBe(200);
    expect((await meti(null)).status).toBe(401);
    expect((await tokenRequests.peloton()).status).toBe(200);
    const stats = await sandbox.stats();
    expect(stats.responses).toEqual({
      'meti-identity': { '200': 1 },
      meti: { '200': 2, '401': 1 },
      peloton: { '200': 1 },
    });
    expect(stats.tokenRequests).toEqual({
      'meti-identity': { client_credentials: 1 },
      peloton: { client_credentials: 1 },
    });
    expect(stats).toMatchObject({ refreshReuseDetected: 0, revokedLogins: 0, maxCallsPerSecond: {} });
  });

  it('keeps a fingerprint of the bearer token, never the token', async () => {
    const token = await metiToken(sandbox.url);
    await meti(token);
    const stats = (await sandbox.stats()) as unknown as {
      lastRequestHeaders: Record<string, Record<string, string>>;
    };
    expect(JSON.stringify(stats)).not.toContain(token);
    expect(stats.lastRequestHeaders.meti?.authorization).toMatch(/^Bearer sha256:[0-9a-f]{8}$/);
  });

  it('reset clears faults and every counter, and keeps the seed data', async () => {
    const token = await metiToken(sandbox.url);
    await meti(token);
    await sandbox.fault({ provider: 'meti', errorRate: 1 });
    await sandbox.fault({ provider: 'peloton', accessTokenTtlSeconds: 5 });
    expect((await meti(token)).status).toBe(500);
    const sources = sandbox.sandbox.context.data.sources.length;

    const response = await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
    expect(response.status).toBe(200);
    const stats = await sandbox.stats();
    expect(stats).toMatchObject({
      tokenRequests: {},
      refreshReuseDetected: 0,
      revokedLogins: 0,
      revocations: 0,
      responses: {},
      maxCallsPerSecond: {},
      faults: {},
    });
    expect((await meti(token)).status).toBe(200);
    expect(((await (await tokenRequests.peloton()).json()) as TokenResponse).expires_in).toBe(900);
    expect(sandbox.sandbox.context.data.sources.length).toBe(sources);
  });

  it('answers unknown control routes and unknown prefixes with 404', async () => {
    expect((await fetch(`${sandbox.url}/__sandbox/nothing`)).status).toBe(404);
    expect((await fetch(`${sandbox.url}/no-such-provider/x`)).status).toBe(404);
  });

  it('POST /__sandbox/seed replaces the wells, and refuses a bad count', async () => {
    const response = await postJson(`${sandbox.url}/__sandbox/seed`, { wells: 12 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ wells: 12 });
    expect(sandbox.sandbox.context.data.wells).toHaveLength(12);
    expect((await postJson(`${sandbox.url}/__sandbox/seed`, { wells: -1 })).status).toBe(400);
  });
});
