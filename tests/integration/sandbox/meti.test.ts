import { beforeAll, describe, expect, it } from 'vitest';
import { METI_AUDIENCE, METI_CLIENT, METI_READONLY_CLIENT, METI_SCOPES } from '../../../sandbox/defaults';
import type { SourceRecord } from '../../../sandbox/seed';
import {
  decodeClaims,
  eventsToken,
  metiToken,
  postForm,
  postJson,
  setUpSandbox,
  type OAuthError,
  type TokenResponse,
} from './harness';

const sandbox = setUpSandbox();

interface Source {
  id: string;
  name: string;
  methodology: string;
  location?: { latitude: number; longitude: number };
  createdAt: string;
  updatedAt: string;
}

/** A seeded source, read straight from the sandbox's data. */
function firstSource(): SourceRecord {
  const [first] = sandbox.sandbox.context.data.sources;
  if (!first) throw new Error('The sandbox has no sources');
  return first;
}

const tokenUrl = () => `${sandbox.url}/meti-identity/oauth/token`;
const sourcesUrl = () => `${sandbox.url}/meti/sources`;

describe('METI identity (Auth0 /oauth/token)', () => {
  const body = (overrides: Record<string, string | undefined> = {}) => ({
    grant_type: 'client_credentials',
    client_id: METI_CLIENT.clientId,
    client_secret: METI_CLIENT.clientSecret,
    audience: METI_AUDIENCE,
    scope: METI_SCOPES.join(' '),
    ...overrides,
  });

  async function expectError(response: Response, status: number, error: string): Promise<void> {
    expect(response.status).toBe(status);
    expect(((await response.json()) as OAuthError).error).toBe(error);
  }

  it('issues a token for a JSON body with the METI audience', async () => {
    const response = await postJson(tokenUrl(), body());
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as TokenResponse;
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'read:sources write:sources delete:sources',
    });
    const claims = decodeClaims(tokens.access_token);
    expect(claims).toMatchObject({
      iss: `${sandbox.url}/meti-identity/`,
      aud: METI_AUDIENCE,
      sub: `${METI_CLIENT.clientId}@clients`,
    });
    expect(claims[`${METI_AUDIENCE}/account_id`]).toBeTruthy();
    expect((await sandbox.stats()).tokenRequests['meti-identity']).toEqual({ client_credentials: 1 });
  });

  it('also accepts a form body, and grants every allowed scope when none is asked for', async () => {
    const { scope: _scope, ...withoutScope } = body();
    const response = await postForm(tokenUrl(), withoutScope);
    expect(response.status).toBe(200);
    expect(((await response.json()) as TokenResponse).scope).toBe(METI_SCOPES.join(' '));
  });

  it('refuses a wrong or missing audience with 403 access_denied', async () => {
    await expectError(
      await postJson(tokenUrl(), body({ audience: 'https://api.peloton.com' })),
      403,
      'access_denied',
    );
    await expectError(await postJson(tokenUrl(), body({ audience: undefined })), 403, 'access_denied');
  });

  it('refuses a wrong secret with 401, and scopes the client was not granted with 403', async () => {
    await expectError(
      await postJson(tokenUrl(), body({ client_secret: 'wrong-secret' })),
      401,
      'access_denied',
    );
    const readOnly = body({
      client_id: METI_READONLY_CLIENT.clientId,
      client_secret: METI_READONLY_CLIENT.clientSecret,
    });
    await expectError(await postJson(tokenUrl(), readOnly), 403, 'access_denied');
  });

  it('refuses grants other than client_credentials', async () => {
    await expectError(
      await postJson(tokenUrl(), body({ grant_type: 'password' })),
      403,
      'unauthorized_client',
    );
  });

  it('serves discovery and a JWKS', async () => {
    const discovery = (await (
      await fetch(`${sandbox.url}/meti-identity/.well-known/openid-configuration`)
    ).json()) as {
      issuer: string;
      token_endpoint: string;
      jwks_uri: string;
    };
    expect(discovery.issuer).toBe(`${sandbox.url}/meti-identity/`);
    expect(discovery.token_endpoint).toBe(tokenUrl());
    expect(((await (await fetch(discovery.jwks_uri)).json()) as { keys: unknown[] }).keys).toHaveLength(1);
  });
});

describe('METI API', () => {
  let token: string;
  let readOnlyToken: string;
  beforeAll(async () => {
    token = await metiToken(sandbox.url);
    readOnlyToken = await metiToken(sandbox.url, METI_READONLY_CLIENT);
  });
  const auth = (bearer: string = token) => ({ authorization: `Bearer ${bearer}` });

  function send(method: string, path: string, body?: unknown, bearer: string = token): Promise<Response> {
    return fetch(`${sandbox.url}/meti${path}`, {
      method,
      headers: { ...auth(bearer), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  it('lists sources as a JSON array', async () => {
    const response = await fetch(sourcesUrl(), { headers: auth() });
    expect(response.status).toBe(200);
    const sources = (await response.json()) as Source[];
    expect(sources.length).toBe(sandbox.sandbox.context.data.sources.length);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source.id).toMatch(/^src_/);
  });

  it('filters by ?methodology=, case-insensitively', async () => {
    const response = await fetch(`${sourcesUrl()}?methodology=agriculture`, { headers: auth() });
    expect(response.status).toBe(200);
    const sources = (await response.json()) as Source[];
    const expected = sandbox.sandbox.context.data.sources.filter(
      (source) => source.methodology === 'Agriculture',
    ).length;
    expect(expected).toBeGreaterThan(0);
    expect(sources).toHaveLength(expected);
    for (const source of sources) expect(source.methodology).toBe('Agriculture');
    expect(
      await (await fetch(`${sourcesUrl()}?methodology=Nonexistent`, { headers: auth() })).json(),
    ).toEqual([]);
  });

  it('gets one source by id, and answers 404 for an unknown id', async () => {
    const first = firstSource();
    const found = await send('GET', `/sources/${first.id}`);
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ id: first.id, name: first.name });
    const missing = await send('GET', '/sources/src_does_not_exist');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe('not_found');
    // Malformed percent-encoding is just an unknown id, not a server error.
    expect((await send('GET', '/sources/%ZZ')).status).toBe(404);
  });

  it('creates (201), patches, deletes (204) a source; it is gone afterwards (404)', async () => {
    const created = await send('POST', '/sources', {
      name: 'Test Flare Stack',
      methodology: 'Oil and Gas',
      location: { latitude: 31.1, longitude: -101.2 },
    });
    expect(created.status).toBe(201);
    const source = (await created.json()) as Source;
    expect(source).toMatchObject({ name: 'Test Flare Stack', methodology: 'Oil and Gas' });
    expect(source.id).toMatch(/^src_/);
    expect((await (await send('GET', `/sources/${source.id}`)).json()) as Source).toMatchObject({
      name: 'Test Flare Stack',
    });

    const patched = await send('PATCH', `/sources/${source.id}`, { name: 'Renamed Flare Stack' });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      id: source.id,
      name: 'Renamed Flare Stack',
      methodology: 'Oil and Gas',
      location: { latitude: 31.1 },
    });
    expect((await (await send('GET', `/sources/${source.id}`)).json()) as Source).toMatchObject({
      name: 'Renamed Flare Stack',
    });

    const deleted = await send('DELETE', `/sources/${source.id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await send('GET', `/sources/${source.id}`)).status).toBe(404);
    expect((await send('DELETE', `/sources/${source.id}`)).status).toBe(404);
    expect((await send('PATCH', `/sources/${source.id}`, { name: 'Ghost' })).status).toBe(404);
  });

  it('refuses an invalid source with 422', async () => {
    const response = await send('POST', '/sources', { name: '', methodology: 'Landfill' });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: string }).error).toBe('validation_error');
  });

  it('lets a read-only client read, but answers its writes with 403 insufficient_scope', async () => {
    expect((await send('GET', '/sources', undefined, readOnlyToken)).status).toBe(200);
    const before = sandbox.sandbox.context.data.sources.length;
    const write = await send(
      'POST',
      '/sources',
      { name: 'Not allowed', methodology: 'Landfill' },
      readOnlyToken,
    );
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect(((await write.json()) as { error: string }).error).toBe('insufficient_scope');
    const first = firstSource();
    expect((await send('DELETE', `/sources/${first.id}`, undefined, readOnlyToken)).status).toBe(403);
    expect(sandbox.sandbox.context.data.sources.length).toBe(before);
  });

  it('grants only the scopes asked for: a read-only token of the full client cannot delete', async () => {
    const narrow = await metiToken(sandbox.url, METI_CLIENT, 'read:sources');
    const first = firstSource();
    expect((await send('DELETE', `/sources/${first.id}`, undefined, narrow)).status).toBe(403);
    expect((await send('GET', `/sources/${first.id}`, undefined, narrow)).status).toBe(200);
  });

  it('answers 401 without a token, with a garbled one, or with another provider’s token', async () => {
    const none = await fetch(sourcesUrl());
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(sourcesUrl(), { headers: auth('not.a.jwt') })).status).toBe(401);
    expect((await fetch(sourcesUrl(), { headers: auth(await eventsToken(sandbox.url)) })).status).toBe(401);
  });
});
