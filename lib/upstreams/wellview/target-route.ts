import 'server-only';
import { NextRequest } from 'next/server';
import { getConfig } from '@/lib/config';
import { AppError, errorResponse } from '@/lib/errors';
import { handleGateway } from '@/lib/gateway/gateway';
import { hasCsrfHeader } from '@/lib/http/csrf';
import { readSessionCookies } from '@/lib/session';
import { assertLoginActive } from '@/lib/tokens/user-tokens';
import { readAnswer, UpstreamAnswerError } from '@/lib/upstreams/shared/answer';
import { discoverTarget, type ConfiguredTarget } from '@/lib/upstreams/wellview/target';
import { targetMemo } from '@/lib/upstreams/wellview/target-memo';

const MAX_CHOICE_LENGTH = 600;

/**
 * `GET /api/targets/wellview[?target=<path>]`: where this user's wells are. Reads WellView's
 * `/user` through the gateway (the user's token, refresh, rate limit, cache and error mapping all
 * apply) and answers a {@link TargetDiscovery}. Configured values win; a fully configured
 * dashboard never calls `/user`. A login's `/user` answer is reused for a while (target-memo.ts).
 * Cookies the gateway renewed are passed on.
 */
export async function handleWellviewTarget(request: NextRequest, requestId: string): Promise<Response> {
  if (!hasCsrfHeader(request.headers))
    throw new AppError('CSRF_REJECTED', { message: 'This call must carry the X-CSRF: 1 header.' });
  const chosen = request.nextUrl.searchParams.get('target');
  if (chosen !== null && chosen.length > MAX_CHOICE_LENGTH)
    throw new AppError('BAD_REQUEST', { message: 'The target parameter is too long.' });
  const settings = getConfig().wellview;
  const configured: ConfiguredTarget = {
    orgUnit: settings.orgUnit,
    app: settings.app,
    version: settings.appVersion,
  };
  if (configured.orgUnit && configured.app && configured.version) {
    const session = await readSessionCookies(request.cookies);
    if (session.status !== 'ok') throw new AppError('SIGN_IN_REQUIRED', { message: 'Please sign in.' });
    return Response.json(discoverTarget(null, configured));
  }

  const memo = targetMemo(settings.targetCacheMs);
  const login = await activeLogin(request);
  const remembered = login ? memo.get(login) : undefined;
  if (remembered !== undefined) return Response.json(discoverTarget(remembered, configured, chosen));

  const userRequest = new NextRequest(new URL('/api/wellview/user', request.url), {
    method: 'GET',
    headers: request.headers,
    signal: request.signal,
  });
  const answer = await handleGateway(userRequest, 'wellview', requestId);
  const setCookies = answer.headers.getSetCookie();
  if (!answer.ok) {
    if (login) memo.forget(login);
    return answer;
  }
  let response: Response;
  try {
    const text = await answer.text();
    const user = readAnswer(text, answer.headers.get('content-type'), "WellView's /user");
    response = Response.json(discoverTarget(user, configured, chosen));
    if (login) memo.set(login, user, text.length);
  } catch (error) {
    if (!(error instanceof UpstreamAnswerError)) throw error;
    if (login) memo.forget(login);
    // A 200 that is no answer (HTML, empty, an error object) is the provider's failure: a 502 that says so.
    response = errorResponse(
      new AppError('UPSTREAM_ERROR', { message: error.message, details: { reason: error.code } }),
      requestId,
    );
  }
  for (const cookie of setCookies) response.headers.append('set-cookie', cookie);
  return response;
}

/**
 * The login (its `sid`) behind a request whose session is usable and has not ended, else null:
 * anything else goes through the gateway, which answers it (401, cleared cookies) as it should.
 */
async function activeLogin(request: NextRequest): Promise<string | null> {
  const read = await readSessionCookies(request.cookies);
  if (read.status !== 'ok') return null;
  try {
    await assertLoginActive(read.state.session.sid);
  } catch {
    // Ended, or not known for sure (a store that is down): the gateway decides.
    return null;
  }
  return read.state.session.sid;
}
