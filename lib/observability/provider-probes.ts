import 'server-only';
import { getConfig, type AppConfig } from '@/lib/config';
import { processSingleton } from '@/lib/runtime';

const PROBE_TIMEOUT_MS = 3000;

export interface ProbeResult {
  /** `null` when the provider is not configured. */
  ok: boolean | null;
  status: number | null;
  latencyMs: number | null;
  error?: string;
}

/** Any HTTP answer below 500 means the provider is up (401 and 404 included: it answered). */
async function probe(url: string | undefined, init: RequestInit = {}): Promise<ProbeResult> {
  if (!url) return { ok: null, status: null, latencyMs: null, error: 'not configured' };
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), cache: 'no-store' });
    await response.body?.cancel();
    const latencyMs = Math.round(performance.now() - started);
    return { ok: response.status < 500, status: response.status, latencyMs };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      ok: false,
      status: null,
      latencyMs: Math.round(performance.now() - started),
      error: timedOut ? 'timed out' : 'unreachable',
    };
  }
}

function discoveryUrl(issuer: string): string {
  return new URL('.well-known/openid-configuration', issuer.endsWith('/') ? issuer : `${issuer}/`).toString();
}

function pelotonProbeUrl(config: AppConfig): string | undefined {
  const { issuer, jwksUrl } = config.peloton;
  return issuer ? discoveryUrl(issuer) : jwksUrl;
}

/** IdentityServer publishes discovery beside `/connect/token`; a GET costs no token. */
function eventsIdentityProbeUrl(config: AppConfig): string | undefined {
  if (!config.events) return undefined;
  return discoveryUrl(config.events.tokenUrl.replace(/\/connect\/token$/, ''));
}

/** An Auth0 tenant's JWKS sits beside `/oauth/token`; other providers answer discovery at the root. */
function metiIdentityProbeUrl(config: AppConfig): string | undefined {
  if (!config.meti) return undefined;
  const { tokenUrl } = config.meti;
  if (/\/oauth\/token$/.test(new URL(tokenUrl).pathname)) return new URL('../.well-known/jwks.json', tokenUrl).toString();
  return new URL('/.well-known/openid-configuration', tokenUrl).toString();
}

export type UpstreamsReport = Awaited<ReturnType<typeof runChecks>>;

/**
 * One round of checks: can we reach each provider, and does it answer without a server error.
 * Only GETs of public metadata (discovery, JWKS) and unauthenticated API calls: no credentials
 * are sent and no token is ever requested.
 */
async function runChecks(config: AppConfig) {
  const entries = await Promise.all([
    ['peloton', probe(pelotonProbeUrl(config))],
    ['wellview', probe(config.wellview.baseUrl ? `${config.wellview.baseUrl}/user` : undefined)],
    ['events-identity', probe(eventsIdentityProbeUrl(config))],
    [
      'events',
      probe(config.events ? `${config.events.baseUrl}/api/${config.events.apiVersion}/event/list` : undefined, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
    ],
    ['meti-identity', probe(metiIdentityProbeUrl(config))],
    ['meti', probe(config.meti ? `${config.meti.baseUrl}/sources` : undefined)],
  ] as const).then((pairs) => Promise.all(pairs.map(async ([name, result]) => [name, await result] as const)));
  const upstreams = Object.fromEntries(entries) as Record<(typeof entries)[number][0], ProbeResult>;
  const ready = Object.values(upstreams).every((result) => result.ok !== false);
  return { status: ready ? ('ready' as const) : ('degraded' as const), upstreams, checkedAt: new Date().toISOString() };
}

/** How long one round of checks answers every caller. */
export const UPSTREAMS_CACHE_MS = 15_000;

interface CachedRound {
  report: UpstreamsReport | null;
  until: number;
  running: Promise<UpstreamsReport> | null;
}

const cachedRound = () =>
  processSingleton<CachedRound>('health-upstreams', () => ({ report: null, until: 0, running: null }));

/**
 * Health of each provider, for anyone who asks (the route is public): the last round of checks,
 * at most {@link UPSTREAMS_CACHE_MS} old, and callers that arrive while a round runs share it,
 * so any number of callers costs at most six outbound GETs per interval.
 */
export function checkUpstreams(config: AppConfig = getConfig()): Promise<UpstreamsReport> {
  const round = cachedRound();
  if (round.report && Date.now() < round.until) return Promise.resolve(round.report);
  round.running ??= runChecks(config)
    .then((report) => {
      round.report = report;
      round.until = Date.now() + UPSTREAMS_CACHE_MS;
      return report;
    })
    .finally(() => {
      round.running = null;
    });
  return round.running;
}

/** For tests: forget the last round. */
export function resetUpstreamsCacheForTests(): void {
  const round = cachedRound();
  round.report = null;
  round.until = 0;
}
