import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, WELLVIEW_RATE_LIMIT_PER_SECOND, WELLVIEW_TARGET } from '../../../sandbox/defaults';
import type { WellRecord } from '../../../sandbox/seed';
import {
  metiToken,
  SECOND_SUBSCRIPTION_KEY,
  signIn,
  SUBSCRIPTION_KEY,
  untilExpired,
  setUpSandbox,
  wellviewHeaders,
  wellviewServiceToken,
} from './harness';

const [ada] = DEMO_USERS as [(typeof DEMO_USERS)[number]];
const sandbox = setUpSandbox();
const TARGET = `/${WELLVIEW_TARGET.orgUnit}/${WELLVIEW_TARGET.app}/${WELLVIEW_TARGET.version}`;

interface ApimError {
  statusCode: number;
  message: string;
}

let serviceToken: string;
beforeAll(async () => {
  serviceToken = await wellviewServiceToken(sandbox.url);
});

const wellview = (
  path: string,
  init: { headers?: Record<string, string>; method?: string; body?: unknown } = {},
) =>
  fetch(`${sandbox.url}/wellview${path}`, {
    method: init.method ?? 'GET',
    headers: init.headers ?? wellviewHeaders(serviceToken),
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

/** A refused bearer token: the backend's `{ error, error_description }` (reference, "Error Response Format"). */
async function expectTokenRefused(response: Response, description: string): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  expect(await response.json()).toEqual({ error: 'unauthorized', error_description: description });
}

async function expectApimError(response: Response, status: number): Promise<ApimError> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as ApimError;
  expect(body.statusCode).toBe(status);
  expect(typeof body.message).toBe('string');
  return body;
}

describe('WellView headers and tokens', () => {
  it('answers /user with the caller and the default org unit, app and version', async () => {
    const response = await wellview('/user');
    expect(response.status).toBe(200);
    const user = (await response.json()) as { sub: string; defaults: typeof WELLVIEW_TARGET };
    expect(user.sub).toBe('wellview-service@clients');
    expect(user.defaults).toEqual(WELLVIEW_TARGET);
    expect((await sandbox.stats()).responses.wellview).toEqual({ '200': 1 });
  });

  it('accepts a user token from the authorization-code flow (with the API audience)', async () => {
    const tokens = await signIn(sandbox.url, ada);
    const response = await wellview('/user', { headers: wellviewHeaders(tokens.access_token) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: ada.sub, email: ada.email });
  });

  it('refuses a user token issued without the API audience', async () => {
    const tokens = await signIn(sandbox.url, ada, { audience: '' });
    const response = await wellview('/user', { headers: wellviewHeaders(tokens.access_token) });
    await expectTokenRefused(response, 'The access token is not meant for this API');
  });

  it('answers a missing or unknown subscription key with 401', async () => {
    const { 'ocp-apim-subscription-key': _key, ...withoutKey } = wellviewHeaders(serviceToken);
    const missing = await expectApimError(await wellview('/user', { headers: withoutKey }), 401);
    expect(missing.message).toContain('missing subscription key');
    const unknown = await expectApimError(
      await wellview('/user', { headers: wellviewHeaders(serviceToken, 'not-a-key') }),
      401,
    );
    expect(unknown.message).toContain('invalid subscription key');
  });

  it('answers a missing or unknown X-peloton-region with 400', async () => {
    const { 'x-peloton-region': _region, ...withoutRegion } = wellviewHeaders(serviceToken);
    await expectApimError(await wellview('/user', { headers: withoutRegion }), 400);
    await expectApimError(
      await wellview('/user', { headers: { ...withoutRegion, 'x-peloton-region': 'mars-north-1' } }),
      400,
    );
  });

  it('answers 401 without a token or with a token from another provider', async () => {
    await expectTokenRefused(
      await wellview('/user', { headers: wellviewHeaders(null) }),
      'Authorization header is missing',
    );
    await expectTokenRefused(
      await wellview('/user', { headers: wellviewHeaders(await metiToken(sandbox.url)) }),
      'The access token is invalid',
    );
  });

  it('answers an expired token with 401 "The access token expired"', async () => {
    await sandbox.fault({ provider: 'peloton', accessTokenTtlSeconds: 1 });
    const shortLived = await wellviewServiceToken(sandbox.url);
    await untilExpired(shortLived);
    await expectTokenRefused(
      await wellview('/user', { headers: wellviewHeaders(shortLived) }),
      'The access token expired',
    );
  });
});

describe('WellView well headers', () => {
  const restricted = () => sandbox.sandbox.context.data.wells.filter((well) => well.sysSecurityTyp !== null);

  it('lists only wells whose sysSecurityTyp is null', async () => {
    const response = await wellview(`${TARGET}/wellheader/data`);
    expect(response.status).toBe(200);
    const wells = (await response.json()) as WellRecord[];
    const all = sandbox.sandbox.context.data.wells;
    expect(restricted().length).toBeGreaterThan(0);
    expect(wells.length).toBe(all.length - restricted().length);
    expect(response.headers.get('x-total-count')).toBe(String(wells.length));
    for (const well of wells) expect(well.sysSecurityTyp).toBeNull();
    const hidden = new Set(restricted().map((well) => well.idwell));
    expect(wells.some((well) => hidden.has(well.idwell))).toBe(false);
  });

  it('pages with limit and offset', async () => {
    const all = (await (await wellview(`${TARGET}/wellheader/data`)).json()) as WellRecord[];
    const page = (await (
      await wellview(`${TARGET}/wellheader/data?limit=5&offset=10`)
    ).json()) as WellRecord[];
    expect(page.map((well) => well.idwell)).toEqual(all.slice(10, 15).map((well) => well.idwell));
    await expectApimError(await wellview(`${TARGET}/wellheader/data?limit=-1`), 400);
  });

  it('gets a visible well by id; a restricted or unknown id is 404', async () => {
    const visible = sandbox.sandbox.context.data.wells.find(
      (well) => well.sysSecurityTyp === null,
    ) as WellRecord;
    const found = await wellview(`${TARGET}/wellheader/data/${visible.idwell}`);
    expect(found.status).toBe(200);
    expect(((await found.json()) as WellRecord).idwell).toBe(visible.idwell);
    const [hidden] = restricted() as [WellRecord];
    await expectApimError(await wellview(`${TARGET}/wellheader/data/${hidden.idwell}`), 404);
    await expectApimError(await wellview(`${TARGET}/wellheader/data/FFFFFFFF`), 404);
    // Malformed percent-encoding is just an unknown id, not a server error.
    await expectApimError(await wellview(`${TARGET}/wellheader/data/%ZZ`), 404);
  });

  it('answers an unknown org unit or path with 404', async () => {
    await expectApimError(await wellview('/other-org/wellview/v10/wellheader/data'), 404);
  });

  it('creates a batch of wells with one POST, counted as ONE call', async () => {
    const batch = Array.from({ length: 30 }, (_, index) => ({
      wellname: `Batch Test ${index}`,
      operator: 'Sandbox Tests',
    }));
    const response = await wellview(`${TARGET}/wellheader/data`, { method: 'POST', body: { wvwell: batch } });
    expect(response.status).toBe(201);
    const result = (await response.json()) as { created: number; ids: string[] };
    expect(result.created).toBe(30);
    expect(new Set(result.ids).size).toBe(30);
    const stats = await sandbox.stats();
    expect(stats.maxCallsPerSecond[SUBSCRIPTION_KEY]).toBe(1);
    expect(stats.responses.wellview).toEqual({ '201': 1 });

    const created = await wellview(`${TARGET}/wellheader/data/${result.ids[0] as string}`);
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ wellname: 'Batch Test 0', sysSecurityTyp: null });
  });

  it('refuses a POST body that is not { wvwell: [...] }', async () => {
    await expectApimError(
      await wellview(`${TARGET}/wellheader/data`, { method: 'POST', body: [{ wellname: 'x' }] }),
      400,
    );
    await expectApimError(
      await wellview(`${TARGET}/wellheader/data`, { method: 'POST', body: { wvwell: [] } }),
      400,
    );
  });
});

describe('WellView rate limit (per subscription key)', () => {
  const burst = (count: number, key: string) =>
    Promise.all(
      Array.from({ length: count }, () => wellview('/user', { headers: wellviewHeaders(serviceToken, key) })),
    );

  it('answers calls beyond the limit with 429, Retry-After and { statusCode, message }', async () => {
    const answers = await burst(25, SUBSCRIPTION_KEY);
    const limited = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(WELLVIEW_RATE_LIMIT_PER_SECOND);
    expect(limited).toHaveLength(25 - WELLVIEW_RATE_LIMIT_PER_SECOND);
    for (const answer of limited) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = (await answer.json()) as ApimError;
      expect(body.statusCode).toBe(429);
      expect(body.message).toMatch(/^Rate limit is exceeded\. Try again in \d+ seconds\.$/);
    }
    const stats = await sandbox.stats();
    expect(stats.maxCallsPerSecond[SUBSCRIPTION_KEY]).toBeGreaterThanOrEqual(21);
    expect(stats.responses.wellview).toMatchObject({ '200': 20, '429': 5 });

    // A second key has its own allowance, even while the first is exhausted.
    const second = await burst(WELLVIEW_RATE_LIMIT_PER_SECOND, SECOND_SUBSCRIPTION_KEY);
    expect(second.map((answer) => answer.status)).toEqual(Array(WELLVIEW_RATE_LIMIT_PER_SECOND).fill(200));
    expect((await wellview('/user')).status).toBe(429);
  });

  it('allows the key again after a second', async () => {
    await burst(WELLVIEW_RATE_LIMIT_PER_SECOND + 1, SUBSCRIPTION_KEY);
    expect((await wellview('/user')).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await wellview('/user')).status).toBe(200);
  });

  it('follows the rateLimitPerSecond fault', async () => {
    expect((await sandbox.fault({ provider: 'wellview', rateLimitPerSecond: 3 })).status).toBe(200);
    const answers = await burst(5, SUBSCRIPTION_KEY);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
  });
});
