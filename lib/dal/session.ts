import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
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
    const path = (await headers()).get('x-pathname') ?? '/';
    redirect(`/login?returnTo=${encodeURIComponent(path)}`);
  }
  return { ...state.session.user, isAdmin: isAdmin(state.session.user) };
}
