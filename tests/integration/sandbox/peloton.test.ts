import { createRemoteJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  DEMO_USERS,
  PELOTON_AUDIENCE,
  PELOTON_CLIENT,
  WELLVIEW_SERVICE_CLIENT,
} from '../../../sandbox/defaults';
import {
  authorize,
  authorizeUrl,
  basicAuth,
  decodeClaims,
  exchangeCode,
  LOOPBACK_REDIRECT_URI,
  postForm,
  readLoginForm,
  refreshGrant,
  signIn,
  setUpSandbox,
  type OAuthError,
  type TokenResponse,
} from './harness';

const [ada, ben] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
const sandbox = setUpSandbox();

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint: string;
  revocation_endpoint: string;
  code_challenge_methods_supported: string[];
  token_endpoint_auth_methods_supported: string[];
}

async function discover(): Promise<Discovery> {
  const response = await fetch(`${sandbox.url}/peloton/.well-known/openid-configuration`);
  expect(response.status).toBe(200);
  return (await response.json()) as Discovery;
}

async function expectOAuthError(response: Response, status: number, error: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(((await response.json()) as OAuthError).error).toBe(error);
}

describe('Peloton discovery', () => {
  it('announces an issuer under /peloton/ and endpoints beneath it', async () => {
    const discovery = await discover();
    expect(discovery.issuer).toBe(`${sandbox.url}/peloton/`);
    for (const endpoint of [
      discovery.authorization_endpoint,
      discovery.token_endpoint,
      discovery.jwks_uri,
      discovery.userinfo_endpoint,
      discovery.revocation_endpoint,
    ]) {
      expect(endpoint.startsWith(discovery.issuer)).toBe(true);
    }
    expect(discovery.token_endpoint).toBe(`${sandbox.url}/peloton/oauth/token`);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.token_endpoint_auth_methods_supported).toContain('client_secret_post');
  });

  it('publishes one public RS256 signing key and nothing private', async () => {
    const response = await fetch((await discover()).jwks_uri);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    const [key] = keys as [Record<string, unknown>];
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(typeof key.kid).toBe('string');
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
  });
});

describe('Peloton authorization code + PKCE', () => {
  it('signs a user in through the HTML form and issues tokens verifiable against the JWKS', async () => {
    const request = authorizeUrl(sandbox.url);
    const page = await fetch(request.url, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const form = readLoginForm(await page.text(), request.url);
    expect(form.action.pathname).toBe('/peloton/authorize/login');

    const submitted = await postForm(form.action.toString(), {
      transaction: form.transaction,
      email: ada.email,
      password: ada.password,
      action: 'login',
    });
    expect(submitted.status).toBe(302);
    const location = new URL(submitted.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(LOOPBACK_REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe(request.state);
    const code = location.searchParams.get('code');
    expect(code).toBeTruthy();

    const exchanged = await exchangeCode(sandbox.url, {
      code: code as string,
      verifier: request.verifier,
      redirectUri: request.redirectUri,
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers.get('cache-control')).toBe('no-store');
    const tokens = (await exchanged.json()) as TokenResponse;
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.expires_in).toBe(900);
    expect(tokens.refresh_token).toMatch(/^v1\./);

    const discovery = await discover();
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload: idClaims } = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer: discovery.issuer,
      audience: PELOTON_CLIENT.clientId,
      algorithms: ['RS256'],
    });
    expect(idClaims).toMatchObject({ sub: ada.sub, nonce: request.nonce, email: ada.email, name: ada.name });
    const { payload: accessClaims } = await jwtVerify(tokens.access_token, jwks, {
      issuer: discovery.issuer,
      audience: PELOTON_AUDIENCE,
    });
    expect(accessClaims.sub).toBe(ada.sub);
    expect(accessClaims.exp).toBe((accessClaims.iat as number) + 900);

    const userinfo = await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: ada.sub, email: ada.email });
  });

  it('shows the form again with an error for a wrong password, and redirects nowhere', async () => {
    const request = authorizeUrl(sandbox.url);
    const form = readLoginForm(await (await fetch(request.url)).text(), request.url);
    const submitted = await postForm(form.action.toString(), {
      transaction: form.transaction,
      email: ada.email,
      password: 'not-the-password',
      action: 'login',
    });
    expect(submitted.status).toBe(200);
    expect(submitted.headers.get('location')).toBeNull();
    expect(await submitted.text()).toContain('Wrong email or password');
  });

  it('sends a cancelled sign-in back with access_denied and the state', async () => {
    const request = authorizeUrl(sandbox.url);
    const form = readLoginForm(await (await fetch(request.url)).text(), request.url);
    const submitted = await postForm(form.action.toString(), {
      transaction: form.transaction,
      action: 'cancel',
    });
    expect(submitted.status).toBe(302);
    const location = new URL(submitted.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe(request.state);
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('requires PKCE S256 on the authorize request', async () => {
    const request = authorizeUrl(sandbox.url);
    request.url.searchParams.set('code_challenge_method', 'plain');
    const response = await fetch(request.url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses an unregistered redirect_uri without redirecting to it', async () => {
    for (const redirectUri of ['https://evil.example/api/auth/callback', 'http://127.0.0.1:3999/elsewhere']) {
      const request = authorizeUrl(sandbox.url, { redirectUri });
      const response = await fetch(request.url, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).not.toContain('name="transaction"');
    }
  });

  it('refuses a code exchanged with a different redirect_uri', async () => {
    const grant = await authorize(sandbox.url, ada);
    const response = await exchangeCode(sandbox.url, {
      ...grant,
      redirectUri: 'http://127.0.0.1:4999/api/auth/callback',
    });
    await expectOAuthError(response, 400, 'invalid_grant');
  });

  it('refuses a wrong PKCE verifier with invalid_grant', async () => {
    const grant = await authorize(sandbox.url, ada);
    const response = await exchangeCode(sandbox.url, {
      ...grant,
      verifier: `${grant.verifier.slice(0, -1)}${grant.verifier.endsWith('A') ? 'B' : 'A'}`,
    });
    await expectOAuthError(response, 400, 'invalid_grant');
  });

  it('accepts a code once; a replay fails and ends the login it created', async () => {
    const grant = await authorize(sandbox.url, ada);
    const first = await exchangeCode(sandbox.url, grant);
    expect(first.status).toBe(200);
    const { refresh_token: refreshToken } = (await first.json()) as TokenResponse;
    await expectOAuthError(await exchangeCode(sandbox.url, grant), 400, 'invalid_grant');
    await expectOAuthError(await refreshGrant(sandbox.url, refreshToken ?? ''), 400, 'invalid_grant');
  });

  it('answers a wrong client secret with 401 invalid_client (post and basic)', async () => {
    const grant = await authorize(sandbox.url, ada);
    const wrong = { clientId: PELOTON_CLIENT.clientId, clientSecret: 'wrong-secret' };
    await expectOAuthError(await exchangeCode(sandbox.url, grant, wrong), 401, 'invalid_client');

    const basic = await postForm(
      `${sandbox.url}/peloton/oauth/token`,
      {
        grant_type: 'authorization_code',
        code: grant.code,
        code_verifier: grant.verifier,
        redirect_uri: grant.redirectUri,
      },
      { authorization: basicAuth(PELOTON_CLIENT.clientId, 'wrong-secret') },
    );
    expect(basic.headers.get('www-authenticate')).toMatch(/^Basic/);
    await expectOAuthError(basic, 401, 'invalid_client');

    // A Basic header with malformed percent-encoding authenticates no one (and is no server error).
    const garbled = await postForm(
      `${sandbox.url}/peloton/oauth/token`,
      {
        grant_type: 'authorization_code',
        code: grant.code,
        code_verifier: grant.verifier,
        redirect_uri: grant.redirectUri,
      },
      { authorization: `Basic ${Buffer.from(`${PELOTON_CLIENT.clientId}:%ZZ`).toString('base64')}` },
    );
    await expectOAuthError(garbled, 401, 'invalid_client');
  });

  it('accepts client_secret_basic for the code exchange', async () => {
    const grant = await authorize(sandbox.url, ben);
    const response = await postForm(
      `${sandbox.url}/peloton/oauth/token`,
      {
        grant_type: 'authorization_code',
        code: grant.code,
        code_verifier: grant.verifier,
        redirect_uri: grant.redirectUri,
      },
      { authorization: basicAuth(PELOTON_CLIENT.clientId, PELOTON_CLIENT.clientSecret) },
    );
    expect(response.status).toBe(200);
    expect(decodeClaims(((await response.json()) as TokenResponse).access_token).sub).toBe(ben.sub);
  });
});

describe('Peloton refresh tokens', () => {
  it('rotates: every refresh answers a new refresh token and a new access token', async () => {
    const initial = await signIn(sandbox.url, ada);
    const seen = new Set([initial.refresh_token]);
    let current = initial.refresh_token ?? '';
    let accessToken = initial.access_token;
    for (let round = 0; round < 3; round += 1) {
      const response = await refreshGrant(sandbox.url, current);
      expect(response.status).toBe(200);
      const tokens = (await response.json()) as TokenResponse;
      expect(tokens.refresh_token).toBeTruthy();
      expect(seen.has(tokens.refresh_token)).toBe(false);
      expect(tokens.access_token).not.toBe(accessToken);
      expect(decodeClaims(tokens.access_token).sub).toBe(ada.sub);
      seen.add(tokens.refresh_token);
      current = tokens.refresh_token ?? '';
      accessToken = tokens.access_token;
    }
    const stats = await sandbox.stats();
    expect(stats.tokenRequests.peloton).toMatchObject({ authorization_code: 1, refresh_token: 3 });
    expect(stats.refreshReuseDetected).toBe(0);
  });

  it('detects reuse of a spent refresh token and revokes the whole login', async () => {
    const initial = await signIn(sandbox.url, ada);
    const other = await signIn(sandbox.url, ben);
    const spent = initial.refresh_token ?? '';
    const rotated = (await (await refreshGrant(sandbox.url, spent)).json()) as TokenResponse;
    expect(rotated.refresh_token).toBeTruthy();

    await expectOAuthError(await refreshGrant(sandbox.url, spent), 400, 'invalid_grant');
    const stats = await sandbox.stats();
    expect(stats.refreshReuseDetected).toBe(1);
    expect(stats.revokedLogins).toBe(1);

    // The newest token of the same login is dead too; another user's login is untouched.
    await expectOAuthError(
      await refreshGrant(sandbox.url, rotated.refresh_token ?? ''),
      400,
      'invalid_grant',
    );
    expect((await refreshGrant(sandbox.url, other.refresh_token ?? '')).status).toBe(200);
  });

  it('issues no refresh token without offline_access', async () => {
    const tokens = await signIn(sandbox.url, ada, { scope: 'openid profile email' });
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('refuses an unknown refresh token', async () => {
    await expectOAuthError(await refreshGrant(sandbox.url, 'v1.made-up'), 400, 'invalid_grant');
  });
});

describe('Peloton revocation and admin revocation', () => {
  it('ends the login when its refresh token is revoked', async () => {
    const tokens = await signIn(sandbox.url, ada);
    const revoked = await postForm(`${sandbox.url}/peloton/oauth/revoke`, {
      client_id: PELOTON_CLIENT.clientId,
      client_secret: PELOTON_CLIENT.clientSecret,
      token: tokens.refresh_token ?? '',
      token_type_hint: 'refresh_token',
    });
    expect(revoked.status).toBe(200);
    await expectOAuthError(await refreshGrant(sandbox.url, tokens.refresh_token ?? ''), 400, 'invalid_grant');
    expect((await sandbox.stats()).revocations).toBe(1);
  });

  it('answers 200 for an unknown token and 401 for a wrong client secret', async () => {
    const tokens = await signIn(sandbox.url, ada);
    const unknown = await postForm(`${sandbox.url}/peloton/oauth/revoke`, {
      client_id: PELOTON_CLIENT.clientId,
      client_secret: PELOTON_CLIENT.clientSecret,
      token: 'v1.unknown',
    });
    expect(unknown.status).toBe(200);
    const wrong = await postForm(`${sandbox.url}/peloton/oauth/revoke`, {
      client_id: PELOTON_CLIENT.clientId,
      client_secret: 'wrong-secret',
      token: tokens.refresh_token ?? '',
    });
    await expectOAuthError(wrong, 401, 'invalid_client');
    expect((await refreshGrant(sandbox.url, tokens.refresh_token ?? '')).status).toBe(200);
    expect((await sandbox.stats()).revocations).toBe(0);
  });

  it('POST /__sandbox/logins/revoke ends every login of one user', async () => {
    const revokeBen = () =>
      fetch(`${sandbox.url}/__sandbox/logins/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: ben.sub }),
      });
    // Ben's logins from earlier tests are ended first, so that exactly this test's two remain.
    expect((await revokeBen()).status).toBe(200);
    await sandbox.reset();
    const first = await signIn(sandbox.url, ben);
    const second = await signIn(sandbox.url, ben);
    const other = await signIn(sandbox.url, ada);
    const response = await revokeBen();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ revoked: 2 });
    expect((await sandbox.stats()).revokedLogins).toBe(2);
    for (const tokens of [first, second]) {
      await expectOAuthError(
        await refreshGrant(sandbox.url, tokens.refresh_token ?? ''),
        400,
        'invalid_grant',
      );
    }
    expect((await refreshGrant(sandbox.url, other.refresh_token ?? '')).status).toBe(200);
  });

  it('POST /__sandbox/logins/revoke refuses a body without a subject', async () => {
    const response = await fetch(`${sandbox.url}/__sandbox/logins/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: ben.sub }),
    });
    expect(response.status).toBe(400);
  });
});

describe('Peloton userinfo and logout', () => {
  it('answers userinfo without a valid token with 401 invalid_token', async () => {
    const response = await fetch(`${sandbox.url}/peloton/userinfo`, {
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as OAuthError).error).toBe('invalid_token');
  });

  it('redirects after logout only to a loopback address', async () => {
    const back = 'http://127.0.0.1:3999/login';
    const allowed = await fetch(
      `${sandbox.url}/peloton/oidc/logout?post_logout_redirect_uri=${encodeURIComponent(back)}`,
      { redirect: 'manual' },
    );
    expect(allowed.status).toBe(302);
    expect(allowed.headers.get('location')).toBe(back);
    const refused = await fetch(
      `${sandbox.url}/peloton/v2/logout?returnTo=${encodeURIComponent('https://evil.example/')}`,
      { redirect: 'manual' },
    );
    expect(refused.status).toBe(200);
    expect(refused.headers.get('location')).toBeNull();
  });
});

describe('Peloton client credentials', () => {
  const grant = (params: Record<string, string>) =>
    postForm(`${sandbox.url}/peloton/oauth/token`, { grant_type: 'client_credentials', ...params });

  it('issues a WellView service token for the API audience, without a refresh token', async () => {
    const response = await grant({
      client_id: WELLVIEW_SERVICE_CLIENT.clientId,
      client_secret: WELLVIEW_SERVICE_CLIENT.clientSecret,
      audience: PELOTON_AUDIENCE,
    });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as TokenResponse;
    expect(tokens.expires_in).toBe(900);
    expect(tokens.refresh_token).toBeUndefined();
    expect(decodeClaims(tokens.access_token)).toMatchObject({
      aud: PELOTON_AUDIENCE,
      sub: `${WELLVIEW_SERVICE_CLIENT.clientId}@clients`,
    });
  });

  it('refuses another audience with 403 access_denied, and a user-only client with unauthorized_client', async () => {
    const wrongAudience = await grant({
      client_id: WELLVIEW_SERVICE_CLIENT.clientId,
      client_secret: WELLVIEW_SERVICE_CLIENT.clientSecret,
      audience: 'https://elsewhere.example',
    });
    await expectOAuthError(wrongAudience, 403, 'access_denied');
    const userClient = await grant({
      client_id: PELOTON_CLIENT.clientId,
      client_secret: PELOTON_CLIENT.clientSecret,
      audience: PELOTON_AUDIENCE,
    });
    await expectOAuthError(userClient, 400, 'unauthorized_client');
  });
});
