import 'server-only';
import { log } from '@/lib/log';
import { classifyIdpError, getPelotonConfiguration, oidc } from '@/lib/auth/peloton';

/**
 * Waits before each retry of a revocation the provider could not take (down, timeout, 5xx):
 * five more attempts over about two minutes. Process-local: a restart forgets them, which is
 * acceptable because the login is already "ended" in the store and its cookies are refused.
 */
export const REVOCATION_RETRY_DELAYS_MS = [2_000, 8_000, 20_000, 40_000, 60_000];

export type RevocationOutcome = 'revoked' | 'unsupported' | 'refused' | 'retrying';

/**
 * Revokes a refresh token at Peloton (which ends its login there). The first attempt is awaited;
 * when the provider is unavailable the token is retried in the background with backoff, so a
 * sign-out never waits for a provider that is down. A refusal (an OAuth error such as
 * `invalid_client`) is logged and not retried: asking again would get the same answer.
 */
export async function revokeRefreshToken(refreshToken: string, context: { requestId?: string; reason: string }): Promise<RevocationOutcome> {
  const outcome = await attempt(refreshToken, context, 0);
  if (outcome === 'retrying') scheduleRetry(refreshToken, context, 0);
  return outcome;
}

async function attempt(refreshToken: string, context: { requestId?: string; reason: string }, retry: number): Promise<RevocationOutcome> {
  try {
    const configuration = await getPelotonConfiguration();
    if (!configuration.serverMetadata().revocation_endpoint) return 'unsupported';
    await oidc.tokenRevocation(configuration, refreshToken, { token_type_hint: 'refresh_token' });
    if (retry > 0) log.info('auth.revocation.retried', { requestId: context.requestId, reason: context.reason, retry });
    return 'revoked';
  } catch (error) {
    const { kind, oauthError } = classifyIdpError(error);
    const transient = kind === 'unavailable';
    log.warn('auth.logout.revocation_failed', { requestId: context.requestId, reason: context.reason, retry, oauthError, willRetry: transient, error });
    return transient ? 'retrying' : 'refused';
  }
}

function scheduleRetry(refreshToken: string, context: { requestId?: string; reason: string }, retry: number): void {
  const delay = REVOCATION_RETRY_DELAYS_MS[retry];
  if (delay === undefined) {
    log.error('auth.revocation.gave_up', { requestId: context.requestId, reason: context.reason, attempts: retry + 1 });
    return;
  }
  // Jitter, so the retries of many sign-outs during one outage do not arrive together.
  const timer = setTimeout(() => {
    void attempt(refreshToken, context, retry + 1).then((outcome) => {
      if (outcome === 'retrying') scheduleRetry(refreshToken, context, retry + 1);
    });
  }, delay * (0.8 + Math.random() * 0.4));
  timer.unref();
}
