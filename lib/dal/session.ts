import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { isAdmin, readSessionCookies, type SessionState } from '@/lib/session';

/**
 * The data access layer for server components: read the session once per render.
 * Server components cannot set cookies, so an unusable cookie reads as signed out here and is
 * cleared by the next route handler or proxy pass that sees it.
 */
export const getSession = cache(async (): Promise<SessionState | null> => {
  const read = await readSessionCookies(await cookies());
  return read.status === 'ok' ? read.state : null;
});

/** The signed-in user, or a redirect to `/login?returnTo=<this page>`. */
export async function requireUser() {
  const state = await getSession();
  if (!state) {
    redirect(`/login?returnTo=${encodeURIComponent(await currentPath())}`);
  }
  return { ...state.session.user, isAdmin: isAdmin(state.session.user) };
}

/** The page being rendered (path and query), as proxy.ts recorded it. */
async function currentPath(): Promise<string> {
  return (await headers()).get('x-pathname') ?? '/';
}

/**
 * Admin pages answer 403 to signed-in non-admins. Called from the dashboard layout, above its
 * loading boundary: once a page has started streaming, its status can no longer change.
 */
export async function forbidNonAdminOnAdminPages(user: { isAdmin: boolean }): Promise<void> {
  const path = await currentPath();
  if (!user.isAdmin && (path === '/admin' || path.startsWith('/admin/') || path.startsWith('/admin?'))) forbidden();
}
