/**
 * The token engine's guarantees with pages that read data on the server: page loads and API
 * calls of the same logins arriving together when the access token falls due share one refresh
 * per login, never present a spent refresh token, and the browser's cookie catches up on its next
 * API answer (a server component cannot set it).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { knownValues } from '../../../sandbox/profiles/known-values';
import { signIn, TestBrowser, type CookieJar } from '../../helpers/browser';
import { startStack, tokenRequests, type Stack } from '../../helpers/stack';

const [ada, ben] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
const TTL_SECONDS = 6;
const known = knownValues();
const PAGES = ['/', '/wells', '/events', '/sources', `/wells/${encodeURIComponent(known.well.id)}`];
let stack: Stack;
let app: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until a token issued `issuedAt` is due for renewal (past half its lifetime). */
const untilDue = (issuedAt: number) => sleep(Math.max(0, issuedAt + (TTL_SECONDS * 1000) / 2 + 200 - Date.now()));
const tableBody = (page: string) => /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? '';

beforeAll(async () => {
  stack = await startStack({ env: { WELLVIEW_RATE_LIMIT_PER_SECOND: '100000' } });
  app = stack.app.url;
});
afterAll(async () => stack?.stop());
beforeEach(async () => {
  await stack.reset();
  await stack.fault({ provider: 'peloton', accessTokenTtlSeconds: TTL_SECONDS });
  await stack.fault({ provider: 'wellview', rateLimitPerSecond: 100000 });
});

describe('page loads at token expiry', () => {
  it('3 logins × (10 page loads + 10 API calls) at once: one refresh per login, no reuse, every page with its rows', async () => {
    const logins = await Promise.all([ada, ben, ada].map(async (user) => (await signIn(app, user)).browser.jar));
    const issuedAt = Date.now();
    await untilDue(issuedAt);
    await stack.reset();

    const work = logins.flatMap((jar: CookieJar) => [
      ...Array.from({ length: 10 }, (_, i) => ({ jar, path: PAGES[i % PAGES.length] as string, api: false })),
      ...Array.from({ length: 10 }, () => ({ jar, path: '/api/wellview/user', api: true })),
    ]);
    const answers = await Promise.all(
      work.map(async ({ jar, path, api }) => {
        const browser = new TestBrowser(jar.clone());
        const answer = api ? await browser.api(`${app}${path}`) : await browser.request(`${app}${path}`);
        return { path, api, answer };
      }),
    );
    const fallbacks = stack.app.logs().split('\n').filter((line) => line.includes('first_paint'));
    expect(fallbacks, 'server reads that fell back to the browser').toEqual([]);
    for (const { path, api, answer } of answers) {
      expect(answer.status, path).toBe(200);
      if (!api && path !== '/' && !path.startsWith('/wells/')) expect(tableBody(answer.text).length, path).toBeGreaterThan(0);
      if (path.startsWith('/wells/')) expect(answer.text).toContain(`>${known.well.name}</h1>`);
    }
    const stats = await stack.stats();
    expect(tokenRequests(stats, 'peloton', 'refresh_token')).toBe(logins.length);
    expect(stats.refreshReuseDetected).toBe(0);
    expect(stats.revokedLogins).toBe(0);
  }, 120_000);

  it('a refresh made while a page rendered is kept: the next API answer brings the cookie up to date, with no second refresh', async () => {
    const { browser } = await signIn(app, ben);
    const issuedAt = Date.now();
    const before = browser.jar.get('wv_session');
    await untilDue(issuedAt);
    await stack.reset();

    // Only page loads: the server refreshes, and cannot set the cookie.
    const pages = await Promise.all(PAGES.map((path) => new TestBrowser(browser.jar.clone()).request(`${app}${path}`)));
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.setCookies).toEqual([]);
    }
    expect(tokenRequests(await stack.stats(), 'peloton', 'refresh_token')).toBe(1);
    // The page tells the browser its cookie is behind (the flag the page's script acts on).
    expect(pages.some((page) => page.text.includes('sessionStale\\":true'))).toBe(true);

    // What the page's script then asks: the newest cookies, from the shared store.
    const sync = await browser.request(`${app}/api/auth/session`);
    expect(sync.json()).toMatchObject({ authenticated: true });
    expect(browser.jar.get('wv_session')).not.toBe(before);
    const after = await browser.api(`${app}/api/wellview/user`);
    expect(after.status).toBe(200);
    expect(after.setCookies).toEqual([]);

    // And an API call that still carries the old cookie is answered from the rotation record too.
    const stats = await stack.stats();
    expect(tokenRequests(stats, 'peloton', 'refresh_token')).toBe(1);
    expect(stats.refreshReuseDetected).toBe(0);
    expect(stats.revokedLogins).toBe(0);
  }, 60_000);
});
