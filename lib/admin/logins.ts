import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { readJsonBody } from '@/lib/http/api-route';
import { requireAdmin } from '@/lib/admin/actions';
import { hasCsrfHeader, isCrossSiteWrite } from '@/lib/http/csrf';
import { log } from '@/lib/log';
import type { AdminSession } from '@/lib/dal/session';
import { getPelotonConfiguration } from '@/lib/auth/peloton';
import { loginsOfUser, unindexLogins } from '@/lib/auth/login-index';
import { isLoginHandle, loginHandle, readLoginInfo } from '@/lib/auth/login-activity';
import { logout } from '@/lib/auth/logout';
import { endLoginById, isLoginEnded } from '@/lib/tokens/user-tokens';
import { adminLoginsSchema, type AdminLogin, type AdminLogins } from '@/lib/admin/logins-schema';

/**
 * The admin's view of a user's active logins, and ending them (one, or all of a user's) on every
 * instance through the same "ended" record as sign-out and back-channel logout. Every reader here
 * takes an {@link AdminSession}: authorization is checked where the data is read.
 */

const NO_STORE = { 'cache-control': 'no-store' };
/** A subject id or an email: generous, but bounded. */
export const MAX_USER_LENGTH = 320;

const userSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_USER_LENGTH)
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'no control characters');
const endSchema = z.union([
  z.object({ login: z.string().refine(isLoginHandle, 'not a login handle') }).strict(),
  z.object({ user: userSchema }).strict(),
]);

/** One active login as an admin sees it: never a token or a login id, only a handle. */
type AdminLoginView = AdminLogin;
type AdminLoginsReport = AdminLogins;

async function issuer(): Promise<string> {
  try {
    return (await getPelotonConfiguration()).serverMetadata().issuer;
  } catch (error) {
    throw new AppError('IDP_UNAVAILABLE', { message: 'The identity provider could not be reached; try again shortly.', cause: error });
  }
}

/** Reads `user` from the query string: exactly one, a subject id or an email. */
export function parseUserQuery(params: URLSearchParams): string {
  const values = params.getAll('user');
  const parsed = values.length === 1 ? userSchema.safeParse(values[0]) : null;
  if (!parsed?.success) {
    throw new AppError('BAD_REQUEST', {
      message: `Name one user: ?user=<subject id or email>, at most ${MAX_USER_LENGTH} characters.`,
    });
  }
  return parsed.data;
}

/**
 * The active logins of a user (by subject id or verified email), newest activity first. Logins
 * that ended or expired are left out (and their records dropped).
 */
export async function listUserLogins(admin: AdminSession, user: string): Promise<AdminLoginsReport> {
  const ids = await loginsOfUser(await issuer(), user);
  const logins: AdminLoginView[] = [];
  for (const sid of ids) {
    const info = await readLoginInfo(loginHandle(sid));
    if (!info || info.sid !== sid || (await isLoginEnded(sid))) continue;
    logins.push({
      login: loginHandle(sid),
      sub: info.sub,
      name: info.name,
      email: info.email,
      startedAt: new Date(info.startedAt).toISOString(),
      lastSeenAt: new Date(info.lastSeenAt).toISOString(),
      userAgent: info.userAgent,
      instance: info.instance,
      current: sid === admin.session.sid,
    });
  }
  logins.sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
  // A field the schema does not name is dropped rather than sent.
  return adminLoginsSchema.parse({ user, logins });
}

/**
 * Ends every login of a user on every instance (each gets the "ended" record), except `keep`
 * (the caller's own, which it signs out itself). Returns how many were ended and whether `keep`
 * was among them.
 */
export async function endUserLogins(
  _admin: AdminSession,
  user: string,
  keep: string | null,
): Promise<{ ended: number; includesKept: boolean }> {
  const from = await issuer();
  const ids = await loginsOfUser(from, user);
  let ended = 0;
  for (const sid of ids) {
    if (sid === keep) continue;
    if (!(await isLoginEnded(sid))) ended += 1;
    await endLoginById(sid);
  }
  await unindexLogins(from, user, ids.filter((sid) => sid !== keep));
  return { ended, includesKept: keep !== null && ids.includes(keep) };
}

/** Ends one login by its handle; false when no such login is active. */
export async function endLoginByHandle(_admin: AdminSession, handle: string): Promise<{ sid: string } | null> {
  const info = await readLoginInfo(handle);
  if (!info || (await isLoginEnded(info.sid))) return null;
  await endLoginById(info.sid);
  return { sid: info.sid };
}

function requireSameOriginWrite(request: NextRequest): void {
  if (!hasCsrfHeader(request.headers) || isCrossSiteWrite(request.headers)) throw new AppError('CSRF_REJECTED');
}

const MAX_BODY_BYTES = 4096;

/** An empty body reads as `{}` (a plain "sign me out everywhere"). */
async function readOptionalJson(request: NextRequest): Promise<unknown> {
  if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('BAD_REQUEST', { message: 'The request body is not valid JSON.' });
  }
}

/**
 * The admin's own login ends too: signed out as `POST /api/auth/logout` does (refresh token
 * revoked, cookies cleared, the provider's logout as `redirectTo`), with `extra` in the answer.
 */
async function signOutSelf(request: NextRequest, requestId: string, extra: Record<string, unknown>): Promise<NextResponse> {
  const answer = await logout(request, requestId);
  const body = (await answer.json()) as Record<string, unknown>;
  return new NextResponse(JSON.stringify({ ...body, ...extra }), { status: 200, headers: answer.headers });
}

/** `GET /api/admin/logins?user=<sub or email>`: that user's active logins. */
export async function loginsResponse(request: NextRequest): Promise<NextResponse> {
  const admin = await requireAdmin(request);
  const user = parseUserQuery(request.nextUrl.searchParams);
  return NextResponse.json(await listUserLogins(admin, user), { headers: NO_STORE });
}

/**
 * `POST /api/admin/logins/end` with `{ "login": "<handle>" }` or `{ "user": "<sub or email>" }`:
 * ends that login, or every login of that user, on every instance. Answers `{ ended, loggedOut }`;
 * when the admin's own current login is among them, it is signed out as well (`redirectTo`).
 */
export async function endLoginsResponse(request: NextRequest, requestId: string): Promise<NextResponse> {
  requireSameOriginWrite(request);
  const admin = await requireAdmin(request);
  const parsed = endSchema.safeParse(await readJsonBody(request, MAX_BODY_BYTES));
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', { message: 'Send { "login": "<login handle>" } or { "user": "<subject id or email>" }.' });
  }
  const by = admin.session.user.sub;
  const own = admin.session.sid;
  if ('login' in parsed.data) {
    if (parsed.data.login === loginHandle(own)) {
      log.info('admin.end_login', { requestId, by, own: true });
      return signOutSelf(request, requestId, { ended: 1 });
    }
    const ended = await endLoginByHandle(admin, parsed.data.login);
    if (!ended) throw new AppError('NOT_FOUND', { message: 'That login is not active any more.' });
    log.info('admin.end_login', { requestId, by, own: false });
    return NextResponse.json({ ended: 1, loggedOut: false }, { headers: NO_STORE });
  }
  const { ended, includesKept } = await endUserLogins(admin, parsed.data.user, own);
  log.info('admin.end_user_logins', { requestId, by, ended, own: includesKept });
  if (includesKept) return signOutSelf(request, requestId, { ended: ended + 1 });
  return NextResponse.json({ ended, loggedOut: false }, { headers: NO_STORE });
}

/**
 * `POST /api/admin/tokens/sign-out`, optionally with `{ "user": "<sub or email>" }`: ends every
 * login of that user (the admin's own by default) on every instance sharing the store. When the
 * admin's own login is among them it is signed out too (`{ loggedOut: true, redirectTo, ended }`);
 * otherwise `{ loggedOut: false, ended }`.
 */
export async function signOutEverywhere(request: NextRequest, requestId: string): Promise<NextResponse> {
  requireSameOriginWrite(request);
  const admin = await requireAdmin(request);
  const body = z.object({ user: userSchema.optional() }).strict().safeParse(await readOptionalJson(request));
  if (!body.success) throw new AppError('BAD_REQUEST', { message: 'Send {} or { "user": "<subject id or email>" }.' });
  const user = body.data.user ?? admin.session.user.sub;
  const own = admin.session.sid;
  const { ended, includesKept } = await endUserLogins(admin, user, own);
  const self = includesKept || user === admin.session.user.sub;
  log.info('admin.sign_out_everywhere', { requestId, by: admin.session.user.sub, ended, own: self });
  if (self) return signOutSelf(request, requestId, { ended: ended + 1 });
  return NextResponse.json({ ended, loggedOut: false }, { headers: NO_STORE });
}
