import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { signIn, TestBrowser } from '../../helpers/browser';
import { startStack, tokenRequests, type Stack } from '../../helpers/stack';

const [admin] = DEMO_USERS as [(typeof DEMO_USERS)[number]];
let stack: Stack | undefined;

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const eventList = (browser: TestBrowser, app: string) =>
  browser.api(`${app}/api/events/api/1.0/event/list`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ PageNumber: 1, PageSize: 5, OnlyUpcoming: true }),
  });

describe('client-credentials tokens', () => {
  it('1,000 concurrent Events requests on a cold cache make one token request', async () => {
    stack = await startStack();
    const { browser } = await signIn(stack.app.url, admin);
    const app = stack.app.url;
    const answers = await Promise.all(Array.from({ length: 1000 }, () => eventList(new TestBrowser(browser.jar.clone()), app)));
    expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.text)).toEqual([]);
    expect(answers[0]?.json<{ totalCount: number }>().totalCount).toBeGreaterThan(0);
    expect(tokenRequests(await stack.stats(), 'events-identity', 'client_credentials')).toBe(1);
  });

  it('1,000 concurrent METI requests on a cold cache make one token request', async () => {
    stack = await startStack();
    const { browser } = await signIn(stack.app.url, admin);
    const app = stack.app.url;
    const answers = await Promise.all(
      Array.from({ length: 1000 }, () => new TestBrowser(browser.jar.clone()).api(`${app}/api/meti/sources?limit=2`)),
    );
    expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.text)).toEqual([]);
    expect(tokenRequests(await stack.stats(), 'meti-identity', 'client_credentials')).toBe(1);
  });

  it('renews the token once and retries once when the API answers 401', async () => {
    stack = await startStack();
    const { browser } = await signIn(stack.app.url, admin);
    expect((await eventList(browser, stack.app.url)).status).toBe(200);
    // A token only seconds old is never force-renewed (see forced-renewal.test.ts).
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    await stack.reset();
    await stack.fault({ provider: 'events', errorRate: 1, errorStatus: 401 });
    const rejected = await eventList(browser, stack.app.url);
    expect(rejected.status).toBe(502);
    expect(rejected.json()).toMatchObject({ error: { code: 'UPSTREAM_ERROR', upstreamStatus: 401 } });
    const stats = await stack.stats();
    expect(tokenRequests(stats, 'events-identity', 'client_credentials')).toBe(1);
    expect(stats.responses.events?.['401']).toBe(2);

    await stack.reset();
    expect((await eventList(browser, stack.app.url)).status).toBe(200);
    expect(tokenRequests(await stack.stats(), 'events-identity', 'client_credentials')).toBe(0);
  });

  it('times a token without expires_in by its JWT exp and renews it before expiry', async () => {
    stack = await startStack();
    await stack.fault({ provider: 'meti-identity', omitExpiresIn: true, accessTokenTtlSeconds: 4 });
    const { browser } = await signIn(stack.app.url, admin);
    const app = stack.app.url;
    expect((await browser.api(`${app}/api/meti/sources?limit=1`)).status).toBe(200);
    expect((await browser.api(`${app}/api/meti/sources?limit=1`)).status).toBe(200);
    expect(tokenRequests(await stack.stats(), 'meti-identity', 'client_credentials')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 4500));
    expect((await browser.api(`${app}/api/meti/sources?limit=1`)).status).toBe(200);
    const stats = await stack.stats();
    expect(tokenRequests(stats, 'meti-identity', 'client_credentials')).toBe(2);
    expect(stats.responses.meti?.['401'] ?? 0).toBe(0);
  });

  it('answers 502 IDP_UNAVAILABLE when the token service is down, and recovers by itself', async () => {
    stack = await startStack();
    const { browser } = await signIn(stack.app.url, admin);
    await stack.fault({ provider: 'events-identity', down: true });
    const failing = await eventList(browser, stack.app.url);
    expect(failing.status).toBe(502);
    expect(failing.json()).toMatchObject({ error: { code: 'IDP_UNAVAILABLE' } });
    expect((await browser.request(`${stack.app.url}/api/auth/session`)).json()).toMatchObject({ authenticated: true });
    await stack.reset();
    expect((await eventList(browser, stack.app.url)).status).toBe(200);
  });
});
