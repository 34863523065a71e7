/**
 * The variant profile's WellView `/user` answers: no `defaults`, no `id`, and a different shape for
 * each demo account, plus two accounts for the edge cases the dashboard must handle (several
 * candidates to pick from; nothing usable at all).
 */
import { DEMO_USERS, type DemoUser } from '../defaults';

/** Org unit, app and version the variant's WellView serves well headers under. */
export const VARIANT_TARGETS = [
  { orgUnit: 'permian-ops', app: 'wellview', version: '11.0' },
  { orgUnit: 'permian-ops', app: 'wellview', version: '10.4' },
  { orgUnit: 'rockies-ops', app: 'wellview', version: '11.0' },
] as const;

/** The one target the single-candidate accounts (ada, ben, the service client) are given. */
export const VARIANT_TARGET = VARIANT_TARGETS[0];

/** `/user` lists several org units, apps and versions: the dashboard must let this user pick. */
export const PICKER_USER: DemoUser = { sub: 'auth0|pia-0003', email: 'picker@example.com', name: 'Pia Picker', password: 'demo', admin: false, emailVerified: true };
/** `/user` names no org unit, app or version: the dashboard must say what to configure. */
export const UNCONFIGURED_USER: DemoUser = { sub: 'auth0|nora-0004', email: 'nowhere@example.com', name: 'Nora Nowhere', password: 'demo', admin: false, emailVerified: true };

export const VARIANT_EXTRA_USERS: readonly DemoUser[] = [PICKER_USER, UNCONFIGURED_USER];

const [ADA, BEN] = DEMO_USERS as [DemoUser, DemoUser];

/** What each account's `/user` looks like in the variant profile (by subject). */
export function variantUserBody(sub: string, user: DemoUser | undefined): Record<string, unknown> {
  if (sub === BEN.sub) {
    // Flat app list, snake_case identity fields, a ready path.
    return {
      user_id: sub,
      email_address: user?.email ?? null,
      display_name: user?.name ?? sub,
      apps: [{ orgUnit: VARIANT_TARGET.orgUnit, app: VARIANT_TARGET.app, version: VARIANT_TARGET.version, path: `/${VARIANT_TARGET.orgUnit}/${VARIANT_TARGET.app}/${VARIANT_TARGET.version}` }],
    };
  }
  if (sub === PICKER_USER.sub) {
    return {
      sub,
      email: PICKER_USER.email,
      name: PICKER_USER.name,
      orgUnits: [
        {
          name: 'permian-ops',
          displayName: 'Permian Operations',
          apps: [{ name: 'wellview', versions: ['11.0', '10.4'] }],
        },
        {
          name: 'rockies-ops',
          displayName: 'Rockies Operations',
          // No defaultVersion anywhere: nothing marks one candidate as preferred, so the user must pick.
          apps: [{ name: 'wellview', versions: ['11.0'] }],
        },
      ],
    };
  }
  if (sub === UNCONFIGURED_USER.sub) {
    // Signed in and known, but no org unit, app or version anywhere.
    return { sub, email: UNCONFIGURED_USER.email, name: UNCONFIGURED_USER.name, roles: ['viewer'], orgUnits: [], preferences: { theme: 'system' } };
  }
  // Ada, the service client and anyone else: org units keyed by name, apps nested, one candidate.
  return {
    sub,
    email: user?.email ?? (sub === ADA.sub ? ADA.email : null),
    name: user?.name ?? sub,
    orgUnits: [
      {
        name: VARIANT_TARGET.orgUnit,
        displayName: 'Permian Operations',
        apps: [{ name: VARIANT_TARGET.app, versions: [VARIANT_TARGET.version], defaultVersion: VARIANT_TARGET.version }],
      },
    ],
  };
}
