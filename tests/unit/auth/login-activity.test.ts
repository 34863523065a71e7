import { beforeAll, describe, expect, it } from 'vitest';
import { forgetLogin, isLoginHandle, LOGIN_SEEN_INTERVAL_MS, loginHandle, noteLoginSeen, readLoginInfo, recordLogin } from '@/lib/auth/login-activity';
import { newSessionId } from '@/lib/session';
import { summarizeUserAgent } from '@/lib/auth/user-agent';
import { useUnitTestConfig } from '../../helpers/unit-config';

beforeAll(useUnitTestConfig);

const user = { sub: 'auth0|ada', name: 'Ada', email: 'ada@example.com', emailVerified: true };
/** noteLoginSeen writes in the background: let it finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('login activity (the admin’s list of logins)', () => {
  it('names a login by a handle that is not its id and cannot be turned back into it', async () => {
    const sid = newSessionId();
    const handle = loginHandle(sid);
    expect(isLoginHandle(handle)).toBe(true);
    expect(handle).not.toContain(sid);
    expect(loginHandle(newSessionId())).not.toBe(handle);
    expect(isLoginHandle(sid)).toBe(false);
    expect(isLoginHandle(`${handle}=`)).toBe(false);
  });

  it('writes last seen at most once a minute per login, and never brings an ended login back', async () => {
    const sid = newSessionId();
    const start = Date.now();
    await recordLogin({ sid, user, startedAt: start, userAgent: 'Firefox 128 on Linux' }, 'req');
    expect(await readLoginInfo(loginHandle(sid))).toMatchObject({ sid, sub: user.sub, startedAt: start, lastSeenAt: start, userAgent: 'Firefox 128 on Linux' });

    noteLoginSeen(sid, start + 10_000);
    noteLoginSeen(sid, start + LOGIN_SEEN_INTERVAL_MS - 1);
    await settle();
    expect((await readLoginInfo(loginHandle(sid)))?.lastSeenAt).toBe(start);

    noteLoginSeen(sid, start + LOGIN_SEEN_INTERVAL_MS + 5);
    await settle();
    expect((await readLoginInfo(loginHandle(sid)))?.lastSeenAt).toBe(start + LOGIN_SEEN_INTERVAL_MS + 5);
    // Within the next minute: no write.
    noteLoginSeen(sid, start + LOGIN_SEEN_INTERVAL_MS + 30_000);
    await settle();
    expect((await readLoginInfo(loginHandle(sid)))?.lastSeenAt).toBe(start + LOGIN_SEEN_INTERVAL_MS + 5);

    await forgetLogin(sid);
    expect(await readLoginInfo(loginHandle(sid))).toBeNull();
    noteLoginSeen(sid, start + 10 * LOGIN_SEEN_INTERVAL_MS);
    await settle();
    expect(await readLoginInfo(loginHandle(sid))).toBeNull();
  });

  it('reads nothing for a malformed or unknown handle', async () => {
    expect(await readLoginInfo('short')).toBeNull();
    expect(await readLoginInfo(loginHandle(newSessionId()))).toBeNull();
  });
});

describe('summarizeUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox 128 on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 'Chrome 126 on Windows'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87', 'Edge 126 on Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 'Safari 17 on macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'Safari 17 on iOS'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36', 'Chrome 126 on Android'],
    ['curl/8.5.0', 'curl 8'],
    ['node', null],
    ['', null],
    [null, null],
  ])('%s → %s', (header, expected) => {
    expect(summarizeUserAgent(header)).toBe(expected);
  });
});
