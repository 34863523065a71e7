/**
 * The sandbox's demo accounts and client credentials. They exist only in the sandbox; the demo
 * script, the tests and the benchmarks import them from here.
 */

export const PELOTON_AUDIENCE = 'https://api.peloton.com';
export const METI_AUDIENCE = 'https://api.meti.millpont.com';
export const METI_SCOPES = ['read:sources', 'write:sources', 'delete:sources'] as const;

export const PELOTON_CLIENT = { clientId: 'wellview-dashboard', clientSecret: 'sandbox-peloton-secret' } as const;
/** A WellView service client (client credentials), as the Peloton reference describes. */
export const WELLVIEW_SERVICE_CLIENT = { clientId: 'wellview-service', clientSecret: 'sandbox-wellview-service-secret' } as const;
export const EVENTS_CLIENT = { clientId: 'events-dashboard', clientSecret: 'sandbox-events-secret' } as const;
export const EVENTS_TENANT_CODE = 'DEMO';
export const EVENTS_API_VERSION = '1.0';
export const METI_CLIENT = { clientId: 'meti-dashboard', clientSecret: 'sandbox-meti-secret' } as const;
/** A METI client granted only `read:sources`, to prove writes need their scope. */
export const METI_READONLY_CLIENT = { clientId: 'meti-readonly', clientSecret: 'sandbox-meti-readonly-secret' } as const;

export const WELLVIEW_SUBSCRIPTION_KEYS = ['sandbox-subscription-key', 'sandbox-subscription-key-2'] as const;
export const WELLVIEW_REGION = 'us-east-1';
export const WELLVIEW_RATE_LIMIT_PER_SECOND = 20;
export const WELLVIEW_TARGET = { orgUnit: 'demo-org', app: 'wellview', version: 'v10' } as const;

export interface DemoUser {
  sub: string;
  email: string;
  name: string;
  password: string;
  /** Whether the admin configuration (ADMIN_USERS = the admins' emails) is meant to make them admin. */
  admin: boolean;
  /** The ID token's `email_verified`. */
  emailVerified: boolean;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { sub: 'auth0|ada-0001', email: 'ada@example.com', name: 'Ada Lovelace', password: 'demo', admin: true, emailVerified: true },
  { sub: 'auth0|ben-0002', email: 'ben@example.com', name: 'Ben Carter', password: 'demo', admin: false, emailVerified: true },
  // Someone who signed up with an admin's address and never verified it (Auth0 allows that on a
  // tenant with sign-up): same email as Ada, another account. Must never be an admin.
  {
    sub: 'auth0|mal-0003',
    email: 'ada@example.com',
    name: 'Mal Unverified',
    password: 'unverified',
    admin: false,
    emailVerified: false,
  },
];

export const DEMO_ADMIN_EMAIL = DEMO_USERS.filter((user) => user.admin && user.emailVerified)
  .map((user) => user.email)
  .join(',');

export const PROVIDERS = ['peloton', 'events-identity', 'meti-identity', 'wellview', 'events', 'meti'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
