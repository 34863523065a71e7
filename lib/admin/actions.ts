import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { readJsonBody } from '@/lib/http/api-route';
import { hasCsrfHeader, isCrossSiteWrite } from '@/lib/http/csrf';
import { log } from '@/lib/log';
import { asAdminSession, type AdminSession } from '@/lib/dal/session';
import { isAdmin, readSessionCookies } from '@/lib/session';
import { clearClientToken, getClientToken, TokenRequestError } from '@/lib/tokens/client-credentials';
import { assertLoginActive, newestKnownState } from '@/lib/tokens/user-tokens';
import { getUpstream } from '@/lib/upstreams/registry';
import { buildTokenStatus, serviceStatus } from '@/lib/admin/token-status';
import { checkUpstreams } from '@/lib/observability/upstream-checks';

/** How long a status request waits for due upstream checks before answering without them. */
const CHECK_WAIT_MS = 2_500;
/** The admin's own WellView token is used for a check only while it has at least this long to live. */
const MIN_TOKEN_LIFE_FOR_CHECK_MS = 5_000;
const NO_STORE = { 'cache-control': 'no-store' };

/** The signed-in admin's session: 401 without a session, 403 for a non-admin. */
export async function requireAdmin(request: NextRequest): Promise<AdminSession> {
  const read = await readSessionCookies(request.cookies);
  if (read.status !== 'ok') throw new AppError('SIGN_IN_REQUIRED', { message: 'Please sign in.' });
  // A copy of a signed-out cookie is no admin any more.
  await assertLoginActive(read.state.session.sid);
  if (!isAdmin(read.state.session.user)) {
    throw new AppError('FORBIDDEN', {
      message: 'You are not allowed to see token status. Only administrators are.',
    });
  }
  return asAdminSession(read.state);
}

function requireSameOriginWrite(request: NextRequest): void {
  if (!hasCsrfHeader(request.headers) || isCrossSiteWrite(request.headers)) {
    throw new AppError('CSRF_REJECTED');
  }
}

/** `GET /api/admin/tokens`: runs the upstream checks that are due, then answers the report. */
export async function tokenStatusResponse(request: NextRequest): Promise<NextResponse> {
  // The newest state of this login: a refresh may have rotated it since this cookie was written.
  const state = asAdminSession(await newestKnownState(await requireAdmin(request)));
  const access = state.access;
  const usable =
    access && access.expiresAt - Date.now() > MIN_TOKEN_LIFE_FOR_CHECK_MS ? access.accessToken : null;
  await checkUpstreams(usable, CHECK_WAIT_MS);
  return NextResponse.json(await buildTokenStatus(state), { headers: NO_STORE });
}

const serviceBody = z.object({ service: z.enum(['events', 'meti']) });

function parseService(body: unknown) {
  const parsed = serviceBody.safeParse(body);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', { message: 'Send { "service": "events" } or { "service": "meti" }.' });
  }
  const definition = getUpstream(parsed.data.service);
  if (!definition || definition.auth.kind !== 'client') {
    throw new AppError('NOT_CONFIGURED', {
      message: `${parsed.data.service} is not configured on this dashboard.`,
    });
  }
  return { name: parsed.data.service, label: definition.label, spec: definition.auth.spec };
}

/**
 * `POST /api/admin/tokens/renew`: renews a service token now and answers its new status, shaped
 * as `services.<name>`. When the token service fails: 502 `IDP_UNAVAILABLE`, with that status
 * (holding `lastError`) as `service` beside the error.
 */
export async function renewServiceToken(request: NextRequest, requestId: string): Promise<NextResponse> {
  requireSameOriginWrite(request);
  const state = await requireAdmin(request);
  const { name, label, spec } = parseService(await readJsonBody(request, 4096));
  log.info('admin.renew_service_token', { requestId, service: name, by: state.session.user.sub });
  try {
    await getClientToken(spec, { force: true });
  } catch (error) {
    const code = error instanceof TokenRequestError ? error.reason : 'provider_unavailable';
    log.warn('admin.renew_service_token.failed', { requestId, service: name, reason: code, error });
    throw new AppError('IDP_UNAVAILABLE', {
      message: `The ${label} token could not be renewed (${code}). The last error is shown on the page.`,
      details: { reason: code },
      context: { service: await serviceStatus(state, name) },
      cause: error,
    });
  }
  log.info('admin.renew_service_token.done', { requestId, service: name, by: state.session.user.sub });
  return NextResponse.json(await serviceStatus(state, name), { headers: NO_STORE });
}

/** `POST /api/admin/tokens/clear`: drops a service's cached token; the next call fetches a new one. */
export async function clearServiceToken(request: NextRequest, requestId: string): Promise<NextResponse> {
  requireSameOriginWrite(request);
  const state = await requireAdmin(request);
  const { name, spec } = parseService(await readJsonBody(request, 4096));
  log.info('admin.clear_service_token', { requestId, service: name, by: state.session.user.sub });
  await clearClientToken(spec);
  return NextResponse.json(await serviceStatus(state, name), { headers: NO_STORE });
}
