import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { applyCookies } from '@/lib/http/cookies';
import { clearedSessionCookies, describeSession, needsTouch, readSessionCookies, sessionCookiesToSet, type SessionState } from '@/lib/session';
import { newestKnownState } from '@/lib/tokens/user-tokens';

/**
 * Who is signed in; an unusable cookie (tampered, expired, old password) is cleared. When the
 * shared store holds a newer state of the login than the cookie (a refresh made while a page
 * rendered on the server, which cannot set cookies), or the idle timer is due to move, the answer
 * sets the newest cookies: pages call this after such a render.
 */
export async function sessionStatus(request: NextRequest): Promise<NextResponse> {
  const read = await readSessionCookies(request.cookies);
  let newest: SessionState | null = null;
  if (read.status === 'ok') {
    // Throws for a login that has ended (a copy of a signed-out cookie).
    newest = await newestKnownState(read.state).catch(() => null);
  }
  const response = NextResponse.json(describeSession(newest));
  response.headers.set('cache-control', 'no-store');
  const ended = read.status === 'ok' && newest === null;
  if (read.status === 'invalid' || read.status === 'expired' || ended) applyCookies(response, clearedSessionCookies());
  else if (read.status === 'ok' && newest && (newest.session.gen !== read.state.session.gen || needsTouch(newest.session))) {
    applyCookies(response, await sessionCookiesToSet({ ...newest, session: { ...newest.session, lastSeenAt: Date.now() } }));
  }
  return response;
}
