/**
 * The browser's side of the gateway: every call carries `X-CSRF: 1`, and every error becomes a
 * {@link GatewayError} with the server's code and plain message.
 */

export class GatewayError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly retryAfter: number | null,
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  get signInRequired(): boolean {
    return this.code === 'SIGN_IN_REQUIRED';
  }

  /** Busy rather than broken: our queue, a refresh in progress elsewhere, or the provider's rate limit. */
  get busy(): boolean {
    return this.status === 429 || this.code === 'RATE_LIMITED' || this.code === 'UPSTREAM_RATE_LIMITED' || this.code === 'BUSY';
  }
}

async function toError(response: Response): Promise<GatewayError> {
  let code = `HTTP_${response.status}`;
  let message = `The request failed (HTTP ${response.status}).`;
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown; error_description?: unknown };
    if (body.error && typeof body.error === 'object') {
      const error = body.error as { code?: unknown; message?: unknown };
      if (typeof error.code === 'string') code = error.code;
      if (typeof error.message === 'string') message = error.message;
    } else if (typeof body.message === 'string') {
      message = body.message;
    } else if (typeof body.error_description === 'string') {
      message = body.error_description;
    }
  } catch {
    // Not JSON: keep the generic message.
  }
  if (response.status === 404 && code.startsWith('HTTP_')) code = 'NOT_FOUND';
  const retryAfter = Number(response.headers.get('retry-after'));
  return new GatewayError(message, response.status, code, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
}

/** Calls a dashboard `/api` route and parses its JSON answer. */
export async function gatewayFetch<T>(url: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('x-csrf', '1');
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(url, { ...init, headers, credentials: 'same-origin' });
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Sends the browser to sign in and back to this very view. */
export function redirectToSignIn(): void {
  const here = `${window.location.pathname}${window.location.search}`;
  // A full navigation on purpose: the ended session's cookies are cleared by the server's answer.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`/login?error=session_expired&returnTo=${encodeURIComponent(here)}`);
}
