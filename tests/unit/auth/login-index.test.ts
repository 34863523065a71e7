import { beforeAll, describe, expect, it } from 'vitest';
import { indexLogin, loginsFor, loginsOfUser, unindexLogins } from '@/lib/auth/login-index';
import { newSessionId } from '@/lib/session';
import { endLoginById } from '@/lib/tokens/user-tokens';
import { useUnitTestConfig } from '../../helpers/unit-config';

beforeAll(useUnitTestConfig);

const issuer = 'https://auth.peloton.example/';

describe('the login index', () => {
  it('finds a user’s logins by subject id and by verified email only', async () => {
    const [a, b] = [newSessionId(), newSessionId()];
    await indexLogin({ issuer, loginId: a, sub: 'auth0|ada', verifiedEmail: 'Ada@Example.com' }, 'req');
    await indexLogin({ issuer, loginId: b, sub: 'auth0|mal', verifiedEmail: null }, 'req');
    expect(await loginsOfUser(issuer, 'auth0|ada')).toEqual([a]);
    expect(await loginsOfUser(issuer, 'ada@example.com')).toEqual([a]);
    expect(await loginsOfUser(issuer, 'auth0|mal')).toEqual([b]);
    expect(await loginsOfUser('https://other.example/', 'auth0|ada')).toEqual([]);
    await unindexLogins(issuer, 'ada@example.com', [a]);
    expect(await loginsOfUser(issuer, 'ada@example.com')).toEqual([]);
  });

  it('makes room with ended logins before live ones when a user’s list is full', async () => {
    const live = newSessionId();
    await indexLogin({ issuer, loginId: live, sub: 'auth0|busy' }, 'req');
    for (let index = 0; index < 49; index += 1) {
      const ended = newSessionId();
      await indexLogin({ issuer, loginId: ended, sub: 'auth0|busy' }, 'req');
      await endLoginById(ended);
    }
    const newest = newSessionId();
    await indexLogin({ issuer, loginId: newest, sub: 'auth0|busy' }, 'req');
    expect(await loginsFor(issuer, { sub: 'auth0|busy' })).toEqual([live, newest]);
  });
});
