import 'server-only';
import { getConfig, type AppConfig } from '@/lib/config';

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

function pelotonProbeUrl(config: AppConfig): string | undefined {
  const { issuer, jwksUrl } = config.peloton;
  if (issuer) return new URL('.well-known/openid-configuration', issuer.endsWith('/') ? issuer : `${issuer}/`).toString();
  return jwksUrl;
}

/**
 * Readiness of each provider: can we reach it, and does it answer without a server error.
 * No credentials are sent; this never costs a token.
 */
export async function checkUpstreams(config: AppConfig = getConfig()) {
  const post = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' };
  const entries = await Promise.all([
    ['peloton', probe(pelotonProbeUrl(config))],
    ['wellview', probe(config.wellview.baseUrl ? `${config.wellview.baseUrl}/user` : undefined)],
    ['events-identity', probe(config.events?.tokenUrl, post)],
    ['events', probe(config.events ? `${config.events.baseUrl}/api/${config.events.apiVersion}/event/list` : undefined, post)],
    ['meti-identity', probe(config.meti?.tokenUrl, post)],
    ['meti', probe(config.meti ? `${config.meti.baseUrl}/sources` : undefined)],
  ] as const).then((pairs) => Promise.all(pairs.map(async ([name, result]) => [name, await result] as const)));
  const upstreams = Object.fromEntries(entries) as Record<(typeof entries)[number][0], ProbeResult>;
  const ready = Object.values(upstreams).every((result) => result.ok !== false);
  return { status: ready ? ('ready' as const) : ('degraded' as const), upstreams };
}
