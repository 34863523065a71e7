import { describe, expect, it } from 'vitest';
import { formActionOrigins, pageCsp } from '@/lib/security/headers';

function formAction(csp: string): string[] {
  const directive = csp.split(';').map((part) => part.trim()).find((part) => part.startsWith('form-action '));
  return (directive ?? '').split(/\s+/).slice(1);
}

describe('page Content-Security-Policy form-action', () => {
  it("allows 'self' and the identity provider's origins, nothing else", () => {
    const origins = formActionOrigins({ peloton: { issuer: 'https://tenant.auth0.com/' } });
    const sources = formAction(pageCsp('nonce', false, origins));
    expect(sources).toEqual(["'self'", 'https://tenant.auth0.com']);
    for (const wildcard of ['http:', 'https:', '*', 'https://*']) expect(sources).not.toContain(wildcard);
  });

  it('adds explicit authorize and logout endpoints on other origins (the sign-out form redirects there)', () => {
    const origins = formActionOrigins({
      peloton: {
        issuer: 'https://auth.peloton.com/',
        authorizeUrl: 'https://login.peloton.com/authorize?x=1',
        logoutUrl: 'https://logout.peloton.com:8443/v2/logout',
      },
    });
    expect(formAction(pageCsp('n', false, origins))).toEqual([
      "'self'",
      'https://auth.peloton.com',
      'https://login.peloton.com',
      'https://logout.peloton.com:8443',
    ]);
  });

  it("is 'self' alone when no provider URL is known", () => {
    expect(formAction(pageCsp('n', false, formActionOrigins({ peloton: {} })))).toEqual(["'self'"]);
  });
});
