import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { AppError } from '@/lib/errors';
import { isAdmin, readSessionCookies, type SessionState } from '@/lib/session';
import { assertLoginActive } from '@/lib/tokens/user-tokens';

/**
 * The data access layer for server components: read the session once per render, and check who
 * is asking in every function that returns scoped data. Layouts and pages render in parallel, so
 * a check in a layout protects nothing; each reader calls one of these itself.
 * Server components cannot set cookies, so an unusable cookie reads as signed out here and is
 * cleared by the next route handler or proxy pass that sees it.
 */
export const getSession = cache(async (): Promise<SessionState | null> => {
  const read = await readSessionCookies(await cookies());
  if (read.status !== 'ok') return null;
  try {
    // A copy of a signed-out cookie opens, but its login has ended.
    await assertLoginActive(read.state.session.sid);
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
  return read.state;
});

/** The signed-in user, or a redirect to `/login?returnTo=<this page>`. */
export async function requireUser() {
  const state = await getSession();
  if (!state) {
    redirect(`/login?returnTo=${encodeURIComponent(await currentPath())}`);
  }
  return { ...state.session.user, isAdmin: isAdmin(state.session.user) };
}

declare const adminProof: unique symbol;
/** A session checked to be an admin's: the only input the admin report builders accept. */
export type AdminSession = SessionState & { readonly [adminProof]: true };

/** Marks a session as an admin's after checking it; throws for anyone else. */
export function asAdminSession(state: SessionState): AdminSession {
  if (!isAdmin(state.session.user)) throw new AppError('FORBIDDEN');
  return state as AdminSession;
}

/**
 * The signed-in admin's session, for server components that read admin data: signed out → a
 * redirect to sign in, signed in but not an admin → 403 (`forbidden()`), whatever layout wraps
 * the caller.
 */
export async function requireAdminSession(): Promise<AdminSession> {
  const state = await getSession();
  if (!state) redirect(`/login?returnTo=${encodeURIComponent(await currentPath())}`);
  if (!isAdmin(state.session.user)) forbidden();
  return asAdminSession(state);
}

/** The page being rendered (path and query), as proxy.ts recorded it. */
async function currentPath(): Promise<string> {
  return (await headers()).get('x-pathname') ?? '/';
}

/**
 * Admin pages answer 403 to signed-in non-admins. Called from the dashboard layout, above its
 * loading boundary: once a page has started streaming, its status can no longer change. (This
 * sets the status only; the admin pages' data readers check for themselves.)
 */
export async function forbidNonAdminOnAdminPages(user: { isAdmin: boolean }): Promise<void> {
  const path = await currentPath();
  if (!user.isAdmin && (path === '/admin' || path.startsWith('/admin/') || path.startsWith('/admin?'))) forbidden();
}
