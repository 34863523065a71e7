/**
 * Authorization where the data is read: whoever may not see the admin report gets none of it, in
 * any form a page can be fetched in (HTML, React Server Components payloads, prefetches), from
 * any page or route. The admin's own fetches are the control that proves the probes can see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { CookieJar, signIn, TestBrowser, type BrowserResponse } from '../../helpers/browser';
import { startStack, type Stack } from '../../helpers/stack';

const [admin, regular] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];

/** Field names that only the admin token report carries. */
const ADMIN_REPORT_FIELDS = [
  'fingerprint',
  'accessTokenFingerprint',
  'tokenUrl',
  'tokenRequests',
  'limitPerSecond',
  'servedFromSharedRefresh',
  'callsLastMinute',
  'checkNote',
  'refreshTokenPresent',
  'sharedState',
  // The admin's list of a user's logins (GET /api/admin/logins).
  'lastSeenAt',
  'startedAt',
  'userAgent',
];

const PAGES = [
  '/',
  '/wells',
  '/wells/some-well',
  '/events',
  '/events/some-event',
  '/sources',
  '/sources/some-source',
  '/admin',
  '/admin/tokens',
  '/admin/tokens?tab=timeline',
  '/login',
  '/no/such/page',
];

const ROUTES = [
  '/api/admin/tokens',
  `/api/admin/logins?user=${encodeURIComponent(admin.email)}`,
  `/api/admin/logins?user=${encodeURIComponent(regular.sub)}`,
  '/api/auth/session',
  '/api/health',
  '/api/health/upstreams',
];

/** The ways a browser fetches a page: a document, its RSC payload, a prefetch, a segment prefetch. */
const PAGE_FETCHES: { label: string; headers: Record<string, string> }[] = [
  { label: 'HTML', headers: { accept: 'text/html' } },
  { label: 'RSC payload', headers: { rsc: '1' } },
  { label: 'prefetch', headers: { rsc: '1', 'next-router-prefetch': '1' } },
  {
    label: 'segment prefetch',
    headers: { rsc: '1', 'next-router-prefetch': '1', 'next-router-segment-prefetch': '/_tree' },
  },
];

let stack: Stack;
let app: string;

beforeAll(async () => {
  stack = await startStack();
  app = stack.app.url;
});
afterAll(async () => stack?.stop());

/**
 * Fetches a page as the router does: Next 16 answers an RSC request without the matching `_rsc`
 * cache-busting value with a redirect that adds it, which the router then follows.
 */
async function fetchPage(browser: TestBrowser, page: string, headers: Record<string, string>): Promise<BrowserResponse> {
  let answer = await browser.request(`${app}${page}`, { headers });
  const location = answer.headers.get('location');
  if (answer.status === 307 && location?.includes('_rsc')) {
    answer = await browser.request(new URL(location, app).toString(), { headers });
  }
  return answer;
}

async function fetchEverything(browser: TestBrowser): Promise<{ label: string; answer: BrowserResponse }[]> {
  const answers: { label: string; answer: BrowserResponse }[] = [];
  for (const page of PAGES) {
    for (const variant of PAGE_FETCHES) {
      answers.push({ label: `${variant.label} ${page}`, answer: await fetchPage(browser, page, variant.headers) });
    }
  }
  for (const route of ROUTES) {
    answers.push({ label: `GET ${route}`, answer: await browser.api(`${app}${route}`) });
  }
  return answers;
}

function leakedFields(answers: { label: string; answer: BrowserResponse }[]): string[] {
  const leaks: string[] = [];
  for (const { label, answer } of answers) {
    for (const field of ADMIN_REPORT_FIELDS) {
      if (answer.text.includes(field)) leaks.push(`${label} (${answer.status}) carries "${field}"`);
    }
  }
  return leaks;
}

/** A browser holding a copy of `jar`'s cookies, as someone who copied them would. */
function copyOf(jar: CookieJar): TestBrowser {
  return new TestBrowser(jar.clone());
}

describe('authorization where the data is read', () => {
  it('the probes see the report when an admin asks (control)', async () => {
    const { browser } = await signIn(app, admin);
    const answers = await fetchEverything(browser);
    // Prefetches of a dynamic page stop at its loading boundary, so only these two carry the data.
    const adminPage = answers.filter(({ label }) => label === 'HTML /admin/tokens' || label === 'RSC payload /admin/tokens');
    expect(adminPage).toHaveLength(2);
    for (const { label, answer } of adminPage) {
      expect(answer.status, label).toBe(200);
      expect(answer.text, label).toContain('fingerprint');
    }
    expect((await browser.api(`${app}/api/admin/tokens`)).text).toContain('fingerprint');
    const logins = await browser.api(`${app}/api/admin/logins?user=${encodeURIComponent(admin.email)}`);
    expect(logins.status).toBe(200);
    for (const field of ['lastSeenAt', 'startedAt', 'userAgent']) expect(logins.text).toContain(field);
  });

  it('a signed-in non-admin gets no admin-report field from any page or route, in any form', async () => {
    const { browser } = await signIn(app, regular);
    const answers = await fetchEverything(browser);
    expect(leakedFields(answers)).toEqual([]);
    for (const { label, answer } of answers.filter(({ label }) => label.startsWith('GET /api/admin/'))) {
      expect(answer.status, label).toBe(403);
    }
    // Documents get the status; RSC answers carry the forbidden boundary in their payload instead.
    for (const { label, answer } of answers.filter(({ label }) => label.startsWith('HTML /admin'))) {
      expect(answer.status, label).toBe(403);
      expect(answer.text, label).toContain('not allowed');
    }
  });

  it('nobody (no cookie) gets no admin-report field from any page or route, in any form', async () => {
    const answers = await fetchEverything(new TestBrowser());
    expect(leakedFields(answers)).toEqual([]);
    for (const { label, answer } of answers.filter(({ label }) => label.startsWith('HTML /admin'))) {
      expect(answer.status, label).toBe(307);
    }
    expect(answers.find(({ label }) => label === 'GET /api/admin/tokens')?.answer.status).toBe(401);
    for (const { label, answer } of answers.filter(({ label }) => label.startsWith('GET /api/admin/logins'))) {
      expect(answer.status, label).toBe(401);
    }
  });

  it('a copy of a signed-out admin cookie gets no admin-report field either', async () => {
    const { browser } = await signIn(app, admin);
    const copy = copyOf(browser.jar);
    const signedOut = await browser.api(`${app}/api/auth/logout`, { method: 'POST' });
    expect(signedOut.status).toBe(200);
    const answers = await fetchEverything(copy);
    expect(leakedFields(answers)).toEqual([]);
  });
});
