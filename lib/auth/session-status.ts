import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { applyCookies } from '@/lib/http/cookies';
import { clearedSessionCookies, describeSession, readSessionCookies } from '@/lib/session';
import { assertLoginActive } from '@/lib/tokens/user-tokens';

/** Who is signed in; an unusable cookie (tampered, expired, old password) is cleared. */
export async function sessionStatus(request: NextRequest): Promise<NextResponse> {
  const read = await readSessionCookies(request.cookies);
  const ended = read.status === 'ok' && (await assertLoginActive(read.state.session.sid).then(() => false, () => true));
  const response = NextResponse.json(describeSession(read.status === 'ok' && !ended ? read.state : null));
  response.headers.set('cache-control', 'no-store');
  if (read.status === 'invalid' || read.status === 'expired' || ended) applyCookies(response, clearedSessionCookies());
  return response;
}
