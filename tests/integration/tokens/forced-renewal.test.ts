import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { signIn, type TestBrowser } from '../../helpers/browser';
import { startStack, tokenRequests, type Stack } from '../../helpers/stack';

/**
 * An upstream that answers 401 to every call must not cost a token request per call: forced
 * renewals are capped per credential (one per 30 s, none for a token a few seconds old).
 */
const [ada, ben] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
const CALLS = 10;
let stack: Stack;
let app: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const eventList = (browser: TestBrowser) =>
  browser.api(`${app}/api/events/api/1.0/event/list`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app },
    body: JSON.stringify({ PageNumber: 1, PageSize: 5, OnlyUpcoming: true }),
  });

beforeAll(async () => {
  stack = await startStack({ env: { WELLVIEW_RATE_LIMIT_PER_SECOND: '100000' } });
  app = stack.app.url;
});
afterAll(async () => stack?.stop());

describe('forced renewals on upstream 401', () => {
  it(`${CALLS} calls to an API that refuses every token make at most one extra token request per credential`, async () => {
    const { browser } = await signIn(app, ada);
    expect((await eventList(browser)).status).toBe(200);
    // Past the "just issued" window, so one forced renewal is allowed for each credential.
    await sleep(5_500);
    await stack.reset();
    await stack.fault({ provider: 'wellview', errorRate: 1, errorStatus: 401 });
    await stack.fault({ provider: 'events', errorRate: 1, errorStatus: 401 });

    const wellview = [];
    const events = [];
    for (let call = 0; call < CALLS; call += 1) {
      wellview.push(await browser.api(`${app}/api/wellview/user`));
      events.push(await eventList(browser));
    }
    const stats = await stack.stats();
    expect(tokenRequests(stats, 'peloton', 'refresh_token')).toBe(1);
    expect(tokenRequests(stats, 'events-identity', 'client_credentials')).toBe(1);
    expect(stats.refreshReuseDetected).toBe(0);
    // The one renewed call says the renewal did not help; the others pass the API's 401 on.
    for (const answers of [wellview, events]) {
      expect(answers[0]?.status).toBe(502);
      for (const answer of answers.slice(1)) {
        expect(answer.status).toBe(401);
        expect(answer.json()).toMatchObject({ error: { code: 'UPSTREAM_REJECTED', upstreamStatus: 401 } });
      }
    }
  });

  it('never renews a token issued in the last few seconds', async () => {
    await stack.reset();
    const { browser } = await signIn(app, ben);
    await stack.fault({ provider: 'wellview', errorRate: 1, errorStatus: 401 });
    for (let call = 0; call < 3; call += 1) expect((await browser.api(`${app}/api/wellview/user`)).status).toBe(401);
    expect(tokenRequests(await stack.stats(), 'peloton', 'refresh_token')).toBe(0);
    // The session itself is untouched: once the API accepts tokens again, the same one works.
    await stack.reset();
    expect((await browser.api(`${app}/api/wellview/user`)).status).toBe(200);
  });
});
