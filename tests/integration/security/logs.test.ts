import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, EVENTS_CLIENT, METI_CLIENT, PELOTON_CLIENT, WELLVIEW_SUBSCRIPTION_KEYS } from '../../../sandbox/defaults';
import { DEMO_SESSION_PASSWORD } from '../../../scripts/sandbox-env';
import { authorizeAtProvider, TestBrowser } from '../../helpers/browser';
import { startStack, type Stack } from '../../helpers/stack';

/**
 * The server's own logs through sign-in, refreshes, errors, admin actions and sign-out: one JSON
 * line per request with its request id, and never a token, secret, cookie or code.
 */
const [ada] = DEMO_USERS as [(typeof DEMO_USERS)[number]];
let stack: Stack;
let app: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'debug' } });
  app = stack.app.url;
});
afterAll(async () => stack?.stop());

describe('server logs', () => {
  it('hold no token, secret, cookie or authorization code through a whole session', async () => {
    await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: 3 });
    const browser = new TestBrowser();
    const login = await browser.request(`${app}/api/auth/login?returnTo=/wells`);
    const callbackUrl = await authorizeAtProvider(browser, login.headers.get('location') as string, ada);
    const code = new URL(callbackUrl).searchParams.get('code') as string;
    expect((await browser.request(callbackUrl)).status).toBe(302);
    const cookies = [browser.jar.get('wv_session'), browser.jar.get('wv_at')].filter((value): value is string => Boolean(value));

    await browser.api(`${app}/api/wellview/user`);
    await sleep(1700);
    await browser.api(`${app}/api/wellview/user`); // due: a refresh
    await browser.api(`${app}/api/meti/sources?limit=1`);
    await stack.fault({ provider: 'meti', errorRate: 1, errorStatus: 500 });
    await browser.api(`${app}/api/meti/sources?limit=1`); // an upstream error
    await stack.fault({ provider: 'peloton', errorRate: 1, errorStatus: 503 });
    await sleep(3200);
    await browser.api(`${app}/api/wellview/user`); // a failed refresh
    await stack.reset();
    await browser.api(`${app}/api/wellview/user`);
    const admin = { 'content-type': 'application/json', origin: app };
    await browser.api(`${app}/api/admin/tokens/renew`, { method: 'POST', headers: admin, body: JSON.stringify({ service: 'events' }) });
    await browser.api(`${app}/api/admin/tokens/clear`, { method: 'POST', headers: admin, body: JSON.stringify({ service: 'meti' }) });
    await browser.api(`${app}/api/wellview/user`, { headers: { authorization: 'Bearer forged-by-the-browser-0123456789' } });
    await browser.request(`${app}/api/auth/logout`, { method: 'POST', csrf: true });
    await sleep(300);

    const logs = stack.app.logs();
    const lines = logs.split('\n').filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(10);
    const secrets = [
      PELOTON_CLIENT.clientSecret,
      EVENTS_CLIENT.clientSecret,
      METI_CLIENT.clientSecret,
      DEMO_SESSION_PASSWORD,
      ...WELLVIEW_SUBSCRIPTION_KEYS,
      code,
      ...cookies,
      ...cookies.map((cookie) => cookie.slice(0, 40)),
      'forged-by-the-browser-0123456789',
    ];
    for (const secret of secrets) expect(logs.includes(secret), `a secret (${secret.slice(0, 6)}…) in the logs`).toBe(false);
    expect(logs).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
    expect(logs).not.toMatch(/\bv1\.[\w-]{40,}/);
    expect(logs).not.toMatch(/Fe26\.2\*/);

    const requests = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === 'request');
    expect(requests.length).toBeGreaterThan(8);
    for (const entry of requests) expect(entry.requestId).toMatch(/^[\w.-]{8,64}$/);
    expect(lines.some((line) => line.includes('"auth.refreshed"'))).toBe(true);
    expect(lines.some((line) => line.includes('"gateway.failed"') && line.includes('UPSTREAM_ERROR'))).toBe(true);
  });
});
