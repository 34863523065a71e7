import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../sandbox/defaults';
import { signIn, type TestBrowser } from '../../helpers/browser';
import { providerCalls, startStack, type Stack } from '../../helpers/stack';

const [admin, regular] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];
let stack: Stack;
let app: string;
let adminBrowser: TestBrowser;
let userBrowser: TestBrowser;

beforeAll(async () => {
  stack = await startStack({ env: { GATEWAY_CACHE_TTL_SECONDS: '30' } });
  app = stack.app.url;
  adminBrowser = (await signIn(app, admin)).browser;
  userBrowser = (await signIn(app, regular)).browser;
});
afterAll(async () => stack?.stop());
beforeEach(async () => stack.reset());


describe('GET response cache', () => {
  it('serves a repeated WellView GET from the cache, per user', async () => {
    const first = await userBrowser.api(`${app}/api/wellview/user?probe=per-user`);
    const second = await userBrowser.api(`${app}/api/wellview/user?probe=per-user`);
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('cache-control')).toBe('no-store');
    expect(providerCalls(await stack.stats(), 'wellview')).toBe(1);

    // Another user never gets the first user's answer.
    const other = await adminBrowser.api(`${app}/api/wellview/user?probe=per-user`);
    expect(other.headers.get('x-cache')).toBe('MISS');
    expect(other.json<{ email: string }>().email).toBe(admin.email);
    expect(providerCalls(await stack.stats(), 'wellview')).toBe(2);
  });

  it('is bypassed by Cache-Control: no-cache', async () => {
    await userBrowser.api(`${app}/api/wellview/user?probe=bypass`);
    const fresh = await userBrowser.api(`${app}/api/wellview/user?probe=bypass`, { headers: { 'cache-control': 'no-cache' } });
    expect(fresh.headers.get('x-cache')).toBe('BYPASS');
    expect(providerCalls(await stack.stats(), 'wellview')).toBe(2);
  });

  it('shares service-token reads between users, and a write drops them', async () => {
    const first = await userBrowser.api(`${app}/api/meti/sources?limit=3`);
    const shared = await adminBrowser.api(`${app}/api/meti/sources?limit=3`);
    expect(shared.headers.get('x-cache')).toBe('HIT');
    expect(shared.text).toBe(first.text);
    expect(providerCalls(await stack.stats(), 'meti')).toBe(1);

    const created = await adminBrowser.api(`${app}/api/meti/sources`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app },
      body: JSON.stringify({ name: 'Cache probe site', methodology: 'Landfill' }),
    });
    expect(created.status).toBe(201);
    const after = await userBrowser.api(`${app}/api/meti/sources?limit=3`);
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(providerCalls(await stack.stats(), 'meti')).toBe(3);
  });

  it('never keeps an error answer', async () => {
    const first = await userBrowser.api(`${app}/api/meti/sources/src_missing`);
    const second = await userBrowser.api(`${app}/api/meti/sources/src_missing`);
    expect([first.status, second.status]).toEqual([404, 404]);
    expect(second.headers.get('x-cache')).not.toBe('HIT');
    expect(providerCalls(await stack.stats(), 'meti')).toBe(2);
  });
});
