/**
 * Sandbox profiles: the same providers, accounts, rate limits and faults, answering in different
 * response shapes. `standard` is the shape the dashboard was first written against; `variant`
 * answers every API with plausible other field names, nesting, envelopes, paging and date formats,
 * so that tests prove the dashboard reads what real services send, not only our first guess.
 */
import { DEMO_USERS, type DemoUser } from '../defaults';
import { VARIANT_EXTRA_USERS } from './variant-users';

export const SANDBOX_PROFILES = ['standard', 'variant'] as const;
export type SandboxProfile = (typeof SANDBOX_PROFILES)[number];

/**
 * Reads a profile name (from `SANDBOX_PROFILE`); empty means `standard`.
 * @throws Error naming the accepted values when the name is unknown.
 */
export function parseProfile(raw: string | undefined): SandboxProfile {
  const name = (raw ?? '').trim().toLowerCase();
  if (name === '') return 'standard';
  if ((SANDBOX_PROFILES as readonly string[]).includes(name)) return name as SandboxProfile;
  throw new Error(`SANDBOX_PROFILE must be one of ${SANDBOX_PROFILES.join(', ')}, got "${raw}"`);
}

/** The accounts that can sign in at the fake Peloton under a profile. */
export function profileUsers(profile: SandboxProfile): readonly DemoUser[] {
  return profile === 'variant' ? [...DEMO_USERS, ...VARIANT_EXTRA_USERS] : DEMO_USERS;
}
