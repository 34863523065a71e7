import 'server-only';
import { log } from '@/lib/log';
import { callUpstream, type UpstreamRequest } from '@/lib/gateway/upstream-call';
import { upstreamCheck, upstreamHealth } from '@/lib/observability/store';
import { getClientToken } from '@/lib/tokens/client-credentials';
import { getUpstream } from '@/lib/upstreams/registry';
import type { UpstreamDefinition, UpstreamName } from '@/lib/upstreams/types';
import type { Slot } from '@/lib/gateway/rate-limiter';

/**
 * The admin page's own health checks: one cheap authenticated call per upstream, with the
 * credentials real calls use, recorded like any gateway call (in `lib/observability/store.ts`).
 * An upstream is checked only when nothing (real call or check) has touched it for
 * {@link CHECK_INTERVAL_MS}, so an admin page polling every few seconds costs at most one call per
 * upstream per interval, and never a WellView call that real traffic already made.
 */

export const CHECK_INTERVAL_MS = 15_000;
/** A check gives up sooner than a real call: it only asks "are you there?". */
const CHECK_TIMEOUT_MS = 5_000;

/** When the page last checked this upstream itself, and why the check could not run (if so). */
export function lastCheck(name: UpstreamName): { at: number | null; note: string | null } {
  const { at, note } = upstreamCheck(name);
  return { at, note };
}

/** The cheapest authenticated read of each API. */
function cheapCall(definition: UpstreamDefinition): Omit<UpstreamRequest, 'accessToken'> {
  switch (definition.name) {
    case 'wellview':
      return { method: 'GET', path: 'user', search: '', headers: { accept: 'application/json' } };
    case 'events':
      return {
        method: 'POST',
        path: `api/${definition.headers['api-version'] ?? '1.0'}/event/list`,
        search: '',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ PageNumber: 1, PageSize: 1 })),
      };
    case 'meti':
      return { method: 'GET', path: 'sources', search: '?limit=1', headers: { accept: 'application/json' } };
  }
}

/**
 * Checks every upstream that is due, and waits for the checks at most `waitMs` (they go on in the
 * background after that and show on the next poll). `userAccessToken` is the admin's own, still
 * valid WellView token, or null when it has expired (WellView is then left to real traffic: only
 * the gateway may refresh it, because only it writes the cookies).
 */
export async function checkUpstreams(userAccessToken: string | null, waitMs: number): Promise<void> {
  const running = (['wellview', 'events', 'meti'] as const)
    .map((name) => startCheck(name, userAccessToken))
    .filter((check): check is Promise<void> => check !== null);
  if (running.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(running),
    new Promise((resolve) => {
      timer = setTimeout(resolve, waitMs);
    }),
  ]);
  clearTimeout(timer);
}

function startCheck(name: UpstreamName, userAccessToken: string | null): Promise<void> | null {
  const definition = getUpstream(name);
  if (!definition) return null;
  const checked = upstreamCheck(name);
  if (checked.running) return checked.running;
  const lastTouched = Math.max(upstreamHealth(name).lastCallAt ?? 0, checked.at ?? 0);
  if (Date.now() - lastTouched < CHECK_INTERVAL_MS) return null;
  checked.at = Date.now();
  checked.running = runCheck(definition, userAccessToken)
    .then(
      (note) => {
        checked.note = note;
      },
      (error: unknown) => {
        log.warn('admin.upstream_check.failed', { upstream: name, error });
        checked.note = 'The check itself failed; see the server log.';
      },
    )
    .finally(() => {
      checked.running = null;
    });
  return checked.running;
}

/** Runs one check; answers why it could not run, or null when it did (the outcome is in the health record). */
async function runCheck(
  definition: UpstreamDefinition,
  userAccessToken: string | null,
): Promise<string | null> {
  const quick: UpstreamDefinition = {
    ...definition,
    timeouts: { ...definition.timeouts, totalMs: Math.min(definition.timeouts.totalMs, CHECK_TIMEOUT_MS) },
  };
  const call = cheapCall(definition);
  const token = async (rejected?: string): Promise<string | null> => {
    if (definition.auth.kind === 'user') return userAccessToken;
    try {
      return (await getClientToken(definition.auth.spec, { rejected })).accessToken;
    } catch {
      return null;
    }
  };

  let accessToken = await token();
  if (!accessToken) {
    return definition.auth.kind === 'user'
      ? 'Not checked: your own access token has expired. Opening any data page renews it.'
      : `Not checked: no ${definition.label} token could be obtained (see Service tokens).`;
  }
  for (let attempt = 0; ; attempt += 1) {
    let slot: Slot | null = null;
    try {
      if (definition.limiter) slot = await definition.limiter.acquire();
    } catch {
      return `Not checked: ${definition.label} is at its call limit right now.`;
    }
    try {
      const response = await callUpstream(quick, { ...call, accessToken }).finally(() => slot?.answered());
      await response.body.dump();
      // A service token the API refused is renewed once, as the gateway does.
      if (response.statusCode !== 401 || definition.auth.kind !== 'client' || attempt > 0) return null;
    } catch {
      // Unreachable or too slow: already recorded as unhealthy by callUpstream.
      return null;
    }
    const renewed = await token(accessToken);
    if (!renewed)
      return `Not checked: ${definition.label} refused its token and no new one could be obtained.`;
    accessToken = renewed;
  }
}
