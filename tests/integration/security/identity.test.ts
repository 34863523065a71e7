/**
 * Identity defences over real HTTP: seals refused unless exactly well-formed, the page CSP's
 * form-action, and the public upstream health check's cost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { signIn, TestBrowser } from '../../helpers/browser';
import { providerCalls, startStack, type SandboxStats, type Stack } from '../../helpers/stack';

const [ada] = DEMO_USERS as [(typeof DEMO_USERS)[number]];
let stack: Stack;
let app: string;
let signedIn: TestBrowser;

beforeAll(async () => {
  stack = await startStack();
  app = stack.app.url;
  signedIn = (await signIn(app, ada)).browser;
});
afterAll(async () => stack?.stop());

/**
 * Alterations as they travel in a Cookie header (whitespace percent-encoded, since a raw space
 * would be trimmed by any cookie parser before the app saw it).
 */
const WIRE_MANGLES: [string, (seal: string) => string][] = [
  ['bytes appended after the seal', (value) => `${value}AAAA`],
  ['digits appended to the version', (value) => `${value}0`],
  ['bytes prepended', (value) => `A${value}`],
  ['the version suffix changed', (value) => value.replace(/~2$/, '~3')],
  ['an extra * field', (value) => value.replace(/~2$/, '*AAAA~2')],
  ['an encoded space appended', (value) => `${value}%20`],
  ['an encoded tab appended', (value) => `${value}%09`],
  ['an encoded space prepended', (value) => `%20${value}`],
];

function cookieHeader(jar: TestBrowser['jar'], replace: Record<string, string>): string {
  return [...jar.cookies.values()].map((cookie) => `${cookie.name}=${replace[cookie.name] ?? cookie.value}`).join('; ');
}

function clearedCookie(setCookies: { name: string; maxAge: number | null }[], name: string): boolean {
  return setCookies.some((cookie) => cookie.name === name && cookie.maxAge !== null && cookie.maxAge <= 0);
}

describe('a session cookie that is not exactly a well-formed seal', () => {
  it('the untouched cookie is signed in (the control)', async () => {
    const session = await signedIn.request(`${app}/api/auth/session`);
    expect(session.json()).toMatchObject({ authenticated: true });
  });

  it.each(WIRE_MANGLES)('with %s reads as signed out and is cleared', async (_label, mangle) => {
    const seal = signedIn.jar.get('wv_session') as string;
    const headers = { cookie: cookieHeader(signedIn.jar, { wv_session: mangle(seal) }) };
    const session = await new TestBrowser().request(`${app}/api/auth/session`, { headers });
    expect(session.status).toBe(200);
    expect(session.json()).toEqual({ authenticated: false });
    expect(clearedCookie(session.setCookies, 'wv_session')).toBe(true);

    const gateway = await new TestBrowser().request(`${app}/api/wellview/user`, { headers: { ...headers, 'x-csrf': '1' } });
    expect(gateway.status).toBe(401);
    expect(gateway.json<{ error: { code: string } }>().error.code).toBe('SIGN_IN_REQUIRED');
  });

  it.each(WIRE_MANGLES)('a sign-in transaction cookie with %s is refused at the callback', async (_label, mangle) => {
    const browser = new TestBrowser();
    const login = await browser.request(`${app}/api/auth/login`);
    const state = new URL(login.headers.get('location') as string).searchParams.get('state') as string;
    const name = `wv_tx_${state}`;
    const value = browser.jar.get(name) as string;
    const callback = await browser.request(`${app}/api/auth/callback?code=anything&state=${state}`, {
      headers: { cookie: `${name}=${mangle(value)}` },
    });
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toContain('error=invalid_state');
  });
});

describe('page Content-Security-Policy', () => {
  it("lets forms reach only this origin and the identity provider's", async () => {
    for (const page of ['/login', '/wells']) {
      const answer = await signedIn.request(`${app}${page}`);
      const csp = answer.headers.get('content-security-policy') ?? '';
      const formAction = csp
        .split(';')
        .map((part) => part.trim())
        .find((part) => part.startsWith('form-action '));
      expect(formAction, page).toBe(`form-action 'self' ${new URL(stack.sandboxUrl).origin}`);
    }
  });
});

describe('GET /api/health/upstreams', () => {
  function tokenRequestTotal(stats: SandboxStats): number {
    return Object.values(stats.tokenRequests).reduce(
      (sum, byGrant) => sum + Object.values(byGrant).reduce((inner, count) => inner + count, 0),
      0,
    );
  }

  it('answers many anonymous callers with at most one round of checks and no token request', async () => {
    await stack.reset();
    const answers = await Promise.all(Array.from({ length: 25 }, () => fetch(`${app}/api/health/upstreams`)));
    const bodies = await Promise.all(answers.map((answer) => answer.json() as Promise<{ status: string; upstreams: Record<string, { ok: boolean | null }> }>));
    for (const [index, answer] of answers.entries()) {
      expect(answer.status).toBe(200);
      expect(bodies[index]?.status).toBe('ready');
    }
    // A second wave right after is served from the same round.
    await Promise.all(Array.from({ length: 10 }, () => fetch(`${app}/api/health/upstreams`).then((answer) => answer.text())));
    const stats = await stack.stats();
    expect(tokenRequestTotal(stats)).toBe(0);
    for (const provider of ['peloton', 'events-identity', 'meti-identity', 'wellview', 'events', 'meti']) {
      expect(providerCalls(stats, provider), provider).toBeLessThanOrEqual(1);
    }
    expect(Object.keys(bodies[0]?.upstreams ?? {}).sort()).toEqual(['events', 'events-identity', 'meti', 'meti-identity', 'peloton', 'wellview']);
  });

  it('still reports an identity provider that is down, through its public metadata', async () => {
    // The previous round is cached for a few seconds; a provider going down shows after that.
    await stack.fault({ provider: 'meti-identity', down: true });
    try {
      const deadline = Date.now() + 40_000;
      let report: { status: string; upstreams: Record<string, { ok: boolean | null }> } | undefined;
      while (Date.now() < deadline) {
        report = (await (await fetch(`${app}/api/health/upstreams`)).json()) as typeof report;
        if (report?.upstreams['meti-identity']?.ok === false) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      expect(report?.status).toBe('degraded');
      expect(report?.upstreams['meti-identity']?.ok).toBe(false);
      expect(tokenRequestTotal(await stack.stats())).toBe(0);
    } finally {
      await stack.reset();
    }
  }, 60_000);
});
