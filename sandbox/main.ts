/**
 * `npm run sandbox`: every fake provider in one process. Settings: SANDBOX_PORT (default 4000),
 * SANDBOX_HOST (default 127.0.0.1), SANDBOX_PUBLIC_URL, SANDBOX_WELLS, SANDBOX_REDIRECT_URIS,
 * SANDBOX_PROFILE (`standard` or `variant`).
 */
import { parseProfile, type SandboxProfile } from './profiles';
import { PICKER_USER, UNCONFIGURED_USER } from './profiles/variant-users';
import { DEFAULT_SEED, startSandbox } from './server';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got "${raw}"`);
    process.exit(1);
  }
  return value;
}

const NOTES: Record<string, string> = {
  [PICKER_USER.email]: '/user lists several org units and versions: pick one',
  [UNCONFIGURED_USER.email]: '/user names none: configure WELLVIEW_ORG_UNIT, WELLVIEW_APP, WELLVIEW_APP_VERSION',
};

function profileFromEnv(): SandboxProfile {
  try {
    return parseProfile(process.env.SANDBOX_PROFILE);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

async function main() {
  const profile = profileFromEnv();
  const sandbox = await startSandbox({
    profile,
    port: intFromEnv('SANDBOX_PORT', 4000),
    host: process.env.SANDBOX_HOST || '127.0.0.1',
    publicUrl: process.env.SANDBOX_PUBLIC_URL || undefined,
    wells: intFromEnv('SANDBOX_WELLS', DEFAULT_SEED.wells),
    redirectUris: (process.env.SANDBOX_REDIRECT_URIS ?? '').split(',').map((uri) => uri.trim()).filter(Boolean),
  });
  console.log(`Sandbox listening on ${sandbox.url} (profile: ${profile})`);
  console.log(`  Peloton issuer   ${sandbox.context.issuers.peloton}`);
  console.log(`  Events identity  ${sandbox.context.issuers['events-identity']}/connect/token`);
  console.log(`  METI identity    ${sandbox.context.issuers['meti-identity']}oauth/token`);
  console.log(`  APIs             ${sandbox.url}/wellview  ${sandbox.url}/events  ${sandbox.url}/meti`);
  console.log('Demo logins:');
  for (const user of sandbox.context.users) {
    const note = [user.admin ? '(admin)' : '', NOTES[user.email] ?? ''].filter(Boolean).join(' ');
    console.log(`  ${user.email} / ${user.password}${note ? `  ${note}` : ''}`);
  }
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('The sandbox could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
