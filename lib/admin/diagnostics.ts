import type { TokenStatus } from '@/lib/admin/token-status-schema';

/**
 * The "Copy diagnostics" summary: what support needs to tell credentials apart and see what
 * failed when. Built only from the token-status report, which holds no token or secret; the
 * user's name and email are left out too (the subject id identifies the login), so the summary
 * can be pasted into a ticket as it is.
 */
export function toDiagnostics(report: TokenStatus, context: { page?: string; userAgent?: string } = {}) {
  const { session } = report;
  const totals = { refreshes: 0, tokenRequests: 0, unauthorized: 0, rateLimited: 0, errors: 0 };
  for (const point of report.timeline) {
    for (const name of Object.keys(totals) as (keyof typeof totals)[]) totals[name] += point[name];
  }
  return {
    kind: 'wellview-dashboard/token-diagnostics',
    version: 1,
    generatedAt: report.generatedAt,
    ...(context.page ? { page: context.page } : {}),
    ...(context.userAgent ? { userAgent: context.userAgent } : {}),
    session: {
      sub: session.user.sub,
      signedInAt: session.signedInAt,
      accessTokenIssuedAt: session.accessTokenIssuedAt,
      accessTokenExpiresAt: session.accessTokenExpiresAt,
      accessTokenFingerprint: session.accessTokenFingerprint,
      refreshTokenPresent: session.refreshTokenPresent,
      rotations: session.rotations,
      lastRefreshAt: session.lastRefreshAt,
      lastRefreshOutcome: session.lastRefreshOutcome,
      servedFromSharedRefresh: session.servedFromSharedRefresh,
      idleExpiresAt: session.idleExpiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
    },
    services: report.services,
    upstreams: report.upstreams,
    rateLimit: report.rateLimit,
    refreshes: report.refreshes,
    sharedState: report.sharedState,
    lastHourTotals: totals,
  };
}
