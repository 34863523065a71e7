import { beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_API_VERSION, EVENTS_CLIENT, EVENTS_TENANT_CODE } from '../../../sandbox/defaults';
import {
  basicAuth,
  decodeClaims,
  eventsToken,
  metiToken,
  postForm,
  postJson,
  untilExpired,
  setUpSandbox,
  type OAuthError,
  type TokenResponse,
} from './harness';

const sandbox = setUpSandbox();

interface EventItem {
  id: string;
  name: string;
  description: string;
  startDate: string;
  endDate: string;
}

interface EventPage {
  data: EventItem[];
  totalCount: number;
  pageNumber: number;
  pageSize: number;
}

interface ApiError {
  error: { code: string; message: string };
}

const tokenUrl = () => `${sandbox.url}/events-identity/connect/token`;
const listUrl = () => `${sandbox.url}/events/api/1.0/event/list`;

describe('Events identity server (/connect/token)', () => {
  const form = (overrides: Record<string, string> = {}) => ({
    grant_type: 'client_credentials',
    client_id: EVENTS_CLIENT.clientId,
    client_secret: EVENTS_CLIENT.clientSecret,
    scope: 'EventsApi',
    ...overrides,
  });

  async function expectError(response: Response, error: string): Promise<void> {
    expect(response.status).toBe(400);
    expect(((await response.json()) as OAuthError).error).toBe(error);
  }

  it('issues an EventsApi token for a form-encoded request', async () => {
    const response = await postForm(tokenUrl(), form());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as TokenResponse;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'EventsApi' });
    const claims = decodeClaims(body.access_token);
    expect(claims.iss).toBe(`${sandbox.url}/events-identity`);
    expect(claims.client_id).toBe(EVENTS_CLIENT.clientId);
    expect((await sandbox.stats()).tokenRequests['events-identity']).toEqual({ client_credentials: 1 });
  });

  it('accepts client_secret_basic and grants EventsApi when no scope is asked for', async () => {
    const response = await postForm(
      tokenUrl(),
      { grant_type: 'client_credentials' },
      { authorization: basicAuth(EVENTS_CLIENT.clientId, EVENTS_CLIENT.clientSecret) },
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as TokenResponse).scope).toBe('EventsApi');
  });

  it('refuses a JSON body with 400 invalid_request', async () => {
    await expectError(await postJson(tokenUrl(), form()), 'invalid_request');
  });

  it('answers a wrong secret with 400 invalid_client (IdentityServer4 style)', async () => {
    await expectError(await postForm(tokenUrl(), form({ client_secret: 'wrong-secret' })), 'invalid_client');
    await expectError(await postForm(tokenUrl(), form({ client_id: 'nobody' })), 'invalid_client');
  });

  it('refuses an unknown scope with 400 invalid_scope', async () => {
    await expectError(await postForm(tokenUrl(), form({ scope: 'Other' })), 'invalid_scope');
    await expectError(await postForm(tokenUrl(), form({ scope: 'EventsApi Other' })), 'invalid_scope');
  });

  it('refuses other grant types', async () => {
    await expectError(await postForm(tokenUrl(), form({ grant_type: 'password' })), 'unsupported_grant_type');
  });

  it('serves discovery and a JWKS', async () => {
    const discovery = (await (
      await fetch(`${sandbox.url}/events-identity/.well-known/openid-configuration`)
    ).json()) as {
      issuer: string;
      token_endpoint: string;
      jwks_uri: string;
    };
    expect(discovery.issuer).toBe(`${sandbox.url}/events-identity`);
    expect(discovery.token_endpoint).toBe(tokenUrl());
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(1);
  });
});

describe('Events API', () => {
  let token: string;
  beforeAll(async () => {
    token = await eventsToken(sandbox.url);
  });

  const headers = (overrides: Record<string, string | undefined> = {}) => {
    const all: Record<string, string | undefined> = {
      authorization: `Bearer ${token}`,
      'tenant-code': EVENTS_TENANT_CODE,
      'api-version': EVENTS_API_VERSION,
      ...overrides,
    };
    return Object.fromEntries(
      Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
  };
  const list = (body: unknown, overrides: Record<string, string | undefined> = {}) =>
    postJson(listUrl(), body, headers(overrides));

  async function page(body: Record<string, unknown>): Promise<EventPage> {
    const response = await list(body);
    expect(response.status).toBe(200);
    return (await response.json()) as EventPage;
  }

  /** Every page of a query, 100 at a time (the API's largest page). */
  async function allPages(body: Record<string, unknown>): Promise<EventPage> {
    const first = await page({ ...body, PageNumber: 1, PageSize: 100 });
    const data = [...first.data];
    for (let number = 2; data.length < first.totalCount; number += 1) {
      const next = await page({ ...body, PageNumber: number, PageSize: 100 });
      if (next.data.length === 0) break;
      data.push(...next.data);
    }
    return { ...first, data };
  }

  async function expectApiError(response: Response, status: number, code: string): Promise<void> {
    expect(response.status).toBe(status);
    expect(((await response.json()) as ApiError).error.code).toBe(code);
  }

  it('lists events as { data, totalCount } in start-date order', async () => {
    const result = await page({});
    expect(result.totalCount).toBe(sandbox.sandbox.context.data.events.length);
    expect(result.data).toHaveLength(10);
    const starts = result.data.map((event) => Date.parse(event.startDate));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('pages with PageNumber and PageSize, without overlap, to a partial last page', async () => {
    const first = await page({ PageNumber: 1, PageSize: 7 });
    const second = await page({ PageNumber: 2, PageSize: 7 });
    expect(first.data).toHaveLength(7);
    expect(second.data).toHaveLength(7);
    expect(second.totalCount).toBe(first.totalCount);
    const firstIds = new Set(first.data.map((event) => event.id));
    expect(second.data.some((event) => firstIds.has(event.id))).toBe(false);

    const lastNumber = Math.ceil(first.totalCount / 7);
    const last = await page({ PageNumber: lastNumber, PageSize: 7 });
    expect(last.data).toHaveLength(first.totalCount - (lastNumber - 1) * 7);
    expect((await page({ PageNumber: lastNumber + 1, PageSize: 7 })).data).toEqual([]);

    const everything = await allPages({});
    expect(everything.data).toHaveLength(everything.totalCount);
    expect(everything.data.slice(7, 14).map((event) => event.id)).toEqual(
      second.data.map((event) => event.id),
    );
  });

  it('refuses a page size over 100 or a page number below 1', async () => {
    await expectApiError(await list({ PageSize: 101 }), 400, 'INVALID_REQUEST');
    await expectApiError(await list({ PageNumber: 0 }), 400, 'INVALID_REQUEST');
  });

  it('keeps only events that have not ended with OnlyUpcoming', async () => {
    const all = await allPages({});
    const upcoming = await allPages({ OnlyUpcoming: true });
    const now = Date.now();
    expect(upcoming.totalCount).toBeGreaterThan(0);
    expect(upcoming.totalCount).toBeLessThan(all.totalCount);
    for (const event of upcoming.data) expect(Date.parse(event.endDate)).toBeGreaterThanOrEqual(now - 5_000);
    const expected = all.data.filter((event) => Date.parse(event.endDate) >= now).length;
    expect(upcoming.totalCount).toBe(expected);
  });

  it('filters by SearchText, case-insensitively, in name or description', async () => {
    const result = await allPages({ SearchText: 'METHANE' });
    expect(result.totalCount).toBeGreaterThan(0);
    expect(result.data).toHaveLength(result.totalCount);
    for (const event of result.data)
      expect(`${event.name} ${event.description}`.toLowerCase()).toContain('methane');
    expect((await page({ SearchText: 'no-such-event-anywhere' })).totalCount).toBe(0);
  });

  it('gets one event by id, and answers 404 NOT_FOUND for an unknown id', async () => {
    const [first] = (await page({ PageSize: 1 })).data as [EventItem];
    const found = await fetch(`${sandbox.url}/events/api/1.0/event/${first.id}`, { headers: headers() });
    expect(found.status).toBe(200);
    expect(((await found.json()) as EventItem).id).toBe(first.id);
    const missing = await fetch(`${sandbox.url}/events/api/1.0/event/00000000-0000-4000-a000-000000000000`, {
      headers: headers(),
    });
    await expectApiError(missing, 404, 'NOT_FOUND');
    // Malformed percent-encoding is just an unknown id, not a server error.
    await expectApiError(
      await fetch(`${sandbox.url}/events/api/1.0/event/%ZZ`, { headers: headers() }),
      404,
      'NOT_FOUND',
    );
  });

  it('requires the tenant-code header: missing → 400 MISSING_TENANT, wrong → 403 INVALID_TENANT', async () => {
    const missing = await list({}, { 'tenant-code': undefined });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: { code: 'MISSING_TENANT', message: 'Tenant code header is required' },
    });
    await expectApiError(await list({}, { 'tenant-code': 'OTHER' }), 403, 'INVALID_TENANT');
  });

  it('requires the api-version header', async () => {
    await expectApiError(await list({}, { 'api-version': undefined }), 400, 'MISSING_API_VERSION');
    await expectApiError(await list({}, { 'api-version': '2.0' }), 400, 'UNSUPPORTED_API_VERSION');
  });

  it('answers 401 without a token, or with a token from another issuer', async () => {
    const none = await list({}, { authorization: undefined });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await none.json()) as OAuthError).error).toBe('invalid_token');

    const foreign = await list({}, { authorization: `Bearer ${await metiToken(sandbox.url)}` });
    expect(foreign.status).toBe(401);
  });

  it('answers an expired token with 401 invalid_token "The access token expired"', async () => {
    await sandbox.fault({ provider: 'events-identity', accessTokenTtlSeconds: 1 });
    const shortLived = await eventsToken(sandbox.url);
    await untilExpired(shortLived);
    const response = await list({}, { authorization: `Bearer ${shortLived}` });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'invalid_token',
      error_description: 'The access token expired',
    });
  });
});
