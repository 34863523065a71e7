/**
 * Typed errors thrown inside `lib/`, and the one place that turns them into HTTP answers.
 * Every `/api` error body is `{ "error": { "code", "message", "requestId"? } }`.
 */

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'INVALID_PATH'
  | 'CSRF_REJECTED'
  | 'SIGN_IN_REQUIRED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'NOT_CONFIGURED'
  | 'IDP_UNAVAILABLE'
  | 'UPSTREAM_UNREACHABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_REJECTED'
  | 'RATE_LIMITED'
  | 'BUSY'
  | 'CLIENT_CLOSED_REQUEST'
  | 'INTERNAL';

const DEFAULT_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  INVALID_PATH: 400,
  CSRF_REJECTED: 403,
  SIGN_IN_REQUIRED: 401,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  NOT_CONFIGURED: 503,
  IDP_UNAVAILABLE: 502,
  UPSTREAM_UNREACHABLE: 502,
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_ERROR: 502,
  UPSTREAM_RATE_LIMITED: 503,
  UPSTREAM_REJECTED: 400,
  RATE_LIMITED: 503,
  BUSY: 503,
  // nginx's code for a client that left before the answer: only our own logs ever see it.
  CLIENT_CLOSED_REQUEST: 499,
  INTERNAL: 500,
};

/** Seconds a caller is told to wait (`Retry-After`) for codes that always mean "retry shortly". */
const DEFAULT_RETRY_AFTER: Partial<Record<ErrorCode, number>> = {
  BUSY: 2,
};

const DEFAULT_MESSAGE: Record<ErrorCode, string> = {
  BAD_REQUEST: 'The request is not valid.',
  INVALID_PATH: 'That path is not allowed.',
  CSRF_REJECTED: 'This request must come from the dashboard itself.',
  SIGN_IN_REQUIRED: 'Please sign in again.',
  UNAUTHORIZED: 'A valid bearer token is required.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'Not found.',
  METHOD_NOT_ALLOWED: 'That method is not allowed here.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  NOT_CONFIGURED: 'This service is not configured on this dashboard.',
  IDP_UNAVAILABLE: 'The sign-in service is unavailable right now. Please try again shortly.',
  UPSTREAM_UNREACHABLE: 'The service could not be reached.',
  UPSTREAM_TIMEOUT: 'The service took too long to answer.',
  UPSTREAM_ERROR: 'The service answered with an error.',
  UPSTREAM_RATE_LIMITED: 'The service is busy. Please retry shortly.',
  UPSTREAM_REJECTED: 'The service refused the request.',
  RATE_LIMITED: 'Too many requests right now. Please retry shortly.',
  BUSY: 'The dashboard is busy with this session right now. Please retry shortly.',
  CLIENT_CLOSED_REQUEST: 'The browser left before the answer was ready.',
  INTERNAL: 'Something went wrong on our side.',
};

export interface AppErrorOptions {
  message?: string;
  status?: number;
  cause?: unknown;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Extra, non-secret fields for the error body (e.g. `upstreamStatus`, the upstream's own error). */
  details?: Record<string, unknown>;
  /** Non-secret fields beside `error` at the top of the body (e.g. the admin page's `service`). */
  context?: Record<string, unknown>;
}

/** An error with a stable string code and an HTTP status; its message is safe to show a user. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfter?: number;
  readonly details?: Record<string, unknown>;
  readonly context?: Record<string, unknown>;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.message ?? DEFAULT_MESSAGE[code], { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? DEFAULT_STATUS[code];
    this.retryAfter = options.retryAfter ?? DEFAULT_RETRY_AFTER[code];
    this.details = options.details;
    this.context = options.context;
  }
}

/** The path of a gateway call is not allowed (400 `INVALID_PATH`). */
export class InvalidPathError extends AppError {
  constructor(message?: string) {
    super('INVALID_PATH', { message });
    this.name = 'InvalidPathError';
  }
}

/** Busy with the same work elsewhere (e.g. a lock held by another request): 503, retry shortly. */
export class BusyError extends AppError {
  constructor(options: Omit<AppErrorOptions, 'status'> = {}) {
    super('BUSY', options);
    this.name = 'BusyError';
  }
}

/** Builds the JSON error answer shared by every `/api` route. */
export function errorResponse(error: AppError, requestId?: string, headers?: HeadersInit): Response {
  const responseHeaders = new Headers(headers);
  responseHeaders.set('content-type', 'application/json; charset=utf-8');
  responseHeaders.set('cache-control', 'no-store');
  if (requestId) responseHeaders.set('x-request-id', requestId);
  if (error.retryAfter !== undefined) responseHeaders.set('retry-after', String(Math.ceil(error.retryAfter)));
  const body = {
    ...error.context,
    error: { code: error.code, message: error.message, ...error.details, ...(requestId ? { requestId } : {}) },
  };
  return new Response(JSON.stringify(body), { status: error.status, headers: responseHeaders });
}

/** Turns anything thrown into an {@link AppError}; unknown errors become a generic 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('INTERNAL', { cause: error });
}
