import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { signIn, TestBrowser, type BrowserResponse } from '../../helpers/browser';
import { startStack, type Stack } from '../../helpers/stack';

const [admin] = DEMO_USERS as [(typeof DEMO_USERS)[number]];
let stack: Stack;
let app: string;
let browser: TestBrowser;

beforeAll(async () => {
  stack = await startStack();
  app = stack.app.url;
  browser = (await signIn(app, admin)).browser;
});
afterAll(async () => stack?.stop());

function expectSecurityHeaders(answer: BrowserResponse, label: string) {
  const csp = answer.headers.get('content-security-policy') ?? '';
  expect(csp, `${label}: CSP`).toContain("frame-ancestors 'none'");
  expect(csp, `${label}: CSP`).not.toContain('unsafe-eval');
  expect(answer.headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(answer.headers.get('referrer-policy'), label).toBeTruthy();
  expect(answer.headers.get('permissions-policy'), label).toBeTruthy();
  expect(answer.headers.get('x-powered-by'), label).toBeNull();
  // APP_URL is http here, so no HSTS (tests/integration/startup covers the https settings).
  expect(answer.headers.get('strict-transport-security'), label).toBeNull();
}

describe('security headers', () => {
  it('are on pages, redirects, API answers, errors and unknown API paths', async () => {
    const signedOut = new TestBrowser();
    const answers: [string, BrowserResponse][] = [
      ['login page', await signedOut.request(`${app}/login`)],
      ['sign-in redirect', await signedOut.request(`${app}/wells`)],
      ['overview page', await browser.request(`${app}/`)],
      ['health', await signedOut.request(`${app}/api/health`)],
      ['session', await browser.request(`${app}/api/auth/session`)],
      ['login redirect', await signedOut.request(`${app}/api/auth/login?returnTo=/wells`)],
      ['gateway answer', await browser.api(`${app}/api/meti/sources?limit=1`)],
      ['gateway error', await signedOut.api(`${app}/api/meti/sources`)],
      ['admin API', await browser.api(`${app}/api/admin/tokens`)],
      ['unknown API path', await signedOut.request(`${app}/api/no/such/route`)],
    ];
    for (const [label, answer] of answers) expectSecurityHeaders(answer, label);
  });

  it('mark auth, admin and gateway answers no-store, with a request id', async () => {
    const signedOut = new TestBrowser();
    const answers: [string, BrowserResponse][] = [
      ['session', await browser.request(`${app}/api/auth/session`)],
      ['login redirect', await signedOut.request(`${app}/api/auth/login?returnTo=/`)],
      ['admin API', await browser.api(`${app}/api/admin/tokens`)],
      ['gateway answer', await browser.api(`${app}/api/wellview/user`)],
      ['gateway error', await signedOut.api(`${app}/api/wellview/user`)],
    ];
    for (const [label, answer] of answers) {
      expect(answer.headers.get('cache-control'), label).toBe('no-store');
      expect(answer.headers.get('x-request-id'), label).toMatch(/^[\w.-]{8,64}$/);
    }
  });

  it('answer an unknown API path with the JSON error shape', async () => {
    const answer = await new TestBrowser().request(`${app}/api/no/such/route`, { method: 'POST' });
    expect(answer.status).toBe(404);
    expect(answer.json()).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('give a page a fresh script nonce on every load', async () => {
    const first = (await browser.request(`${app}/`)).headers.get('content-security-policy') ?? '';
    const second = (await browser.request(`${app}/`)).headers.get('content-security-policy') ?? '';
    const nonce = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce(first)).toBeTruthy();
    expect(nonce(first)).not.toBe(nonce(second));
  });
});
