import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { readJsonBody } from '@/lib/http/api-route';
import { hasCsrfHeader, isCrossSiteWrite } from '@/lib/http/csrf';
import { log } from '@/lib/log';
import { isAdmin, readSessionCookies, type SessionState } from '@/lib/session';
import { clearClientToken, getClientToken } from '@/lib/tokens/client-credentials';
import { fingerprint } from '@/lib/tokens/keys';
import { getUpstream } from '@/lib/upstreams/registry';
import { buildTokenStatus, serviceStatus } from '@/lib/admin/token-status';

/** The signed-in admin's session: 401 without a session, 403 for a non-admin. */
export async function requireAdmin(request: NextRequest): Promise<SessionState> {
  const read = await readSessionCookies(request.cookies);
  if (read.status !== 'ok') throw new AppError('SIGN_IN_REQUIRED', { message: 'Please sign in.' });
  if (!isAdmin(read.state.session.user)) {
    throw new AppError('FORBIDDEN', { message: 'You are not allowed to see token status. Only administrators are.' });
  }
  return read.state;
}

function requireSameOriginWrite(request: NextRequest): void {
  if (!hasCsrfHeader(request.headers) || isCrossSiteWrite(request.headers)) {
    throw new AppError('CSRF_REJECTED');
  }
}

export async function tokenStatusResponse(request: NextRequest): Promise<NextResponse> {
  const state = await requireAdmin(request);
  return NextResponse.json(buildTokenStatus(state, fingerprint), { headers: { 'cache-control': 'no-store' } });
}

const serviceBody = z.object({ service: z.enum(['events', 'meti']) });

function parseService(body: unknown) {
  const parsed = serviceBody.safeParse(body);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', { message: 'Send { "service": "events" } or { "service": "meti" }.' });
  }
  const definition = getUpstream(parsed.data.service);
  if (!definition || definition.auth.kind !== 'client') {
    throw new AppError('NOT_CONFIGURED', { message: `${parsed.data.service} is not configured on this dashboard.` });
  }
  return { name: parsed.data.service, spec: definition.auth.spec };
}

/** Renews a service token now and answers its new status. */
export async function renewServiceToken(request: NextRequest, requestId: string): Promise<NextResponse> {
  requireSameOriginWrite(request);
  const state = await requireAdmin(request);
  const { name, spec } = parseService(await readJsonBody(request, 4096));
  log.info('admin.renew_service_token', { requestId, service: name, by: state.session.user.sub });
  try {
    await getClientToken(spec, { force: true });
  } catch (error) {
    log.warn('admin.renew_service_token.failed', { requestId, service: name, error });
    return NextResponse.json(serviceStatus(name), { status: 502, headers: { 'cache-control': 'no-store' } });
  }
  return NextResponse.json(serviceStatus(name), { headers: { 'cache-control': 'no-store' } });
}

/** Drops a service's cached token; the next call fetches a new one. */
export async function clearServiceToken(request: NextRequest, requestId: string): Promise<NextResponse> {
  requireSameOriginWrite(request);
  const state = await requireAdmin(request);
  const { name, spec } = parseService(await readJsonBody(request, 4096));
  log.info('admin.clear_service_token', { requestId, service: name, by: state.session.user.sub });
  await clearClientToken(spec);
  return NextResponse.json(serviceStatus(name), { headers: { 'cache-control': 'no-store' } });
}
