/**
 * A 200 is not always an answer: an APIM policy page, a login redirect followed to HTML, an empty
 * body, or `{ "error": ... }` sent with status 200. These turn into an {@link UpstreamAnswerError}
 * whose message says what arrived, so a page shows an error instead of waiting forever.
 * Pure and isomorphic.
 */

export type AnswerErrorCode =
  'EMPTY_ANSWER' | 'HTML_ANSWER' | 'NOT_JSON' | 'ERROR_ANSWER' | 'UNEXPECTED_SHAPE' | 'PAGING_STOPPED';

/** An upstream answer that arrived but cannot be used. */
export class UpstreamAnswerError extends Error {
  constructor(
    readonly code: AnswerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamAnswerError';
  }
}

const MAX_DETAIL = 200;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL)}…` : flat;
}

/**
 * Parses the text of a successful answer as JSON, or throws an {@link UpstreamAnswerError} that
 * names what came instead (nothing, an HTML page, other text). `source` names the API in messages.
 */
export function parseAnswerText(text: string, contentType: string | null, source = 'The provider'): unknown {
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new UpstreamAnswerError(
      'EMPTY_ANSWER',
      `${source} answered with an empty body where data was expected. Try again; if it persists, check the API's address.`,
    );
  }
  if (/html/i.test(contentType ?? '') || /^<(?:!doctype|html|head|body|\?xml|[a-z])/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1];
    throw new UpstreamAnswerError(
      'HTML_ANSWER',
      `${source} answered with a web page${title ? ` ("${clip(title)}")` : ''} instead of data. The API address may point at a portal or sign-in page.`,
    );
  }
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    throw new UpstreamAnswerError(
      'NOT_JSON',
      `${source} answered with text that is not JSON: "${clip(trimmed)}".`,
    );
  }
}

function messageOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() ? clip(value) : null;
  if (Array.isArray(value)) {
    const parts = value.map(messageOf).filter((part): part is string => part !== null);
    return parts.length > 0 ? clip(parts.join('; ')) : null;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of [
      'message',
      'error_description',
      'description',
      'detail',
      'title',
      'faultstring',
      'reason',
      'error',
      'code',
    ]) {
      const found = messageOf(record[key]);
      if (found) return found;
    }
  }
  return null;
}

/** Keys under which a successful answer carries data; an error-looking object with one is data. */
const DATA_KEYS = ['data', 'items', 'results', 'value', 'records', 'rows', 'content', 'entries', 'result'];

/**
 * The error an otherwise successful JSON body carries, or null when it looks like data:
 * `{ error }`, `{ errors: [...] }`, `{ fault }`, or `{ message, code }` / `{ message, status }`
 * without any records beside them.
 */
export function errorInAnswer(body: unknown, source = 'The provider'): UpstreamAnswerError | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  if (
    DATA_KEYS.some(
      (key) =>
        Array.isArray(record[key]) ||
        (record[key] !== null && typeof record[key] === 'object' && key !== 'result'),
    )
  ) {
    return null;
  }
  const hasErrors = Array.isArray(record.errors) && record.errors.length > 0;
  const errorValue = record.error ?? record.fault ?? record.Fault ?? (hasErrors ? record.errors : undefined);
  const flagged =
    errorValue !== undefined && errorValue !== null && errorValue !== false && errorValue !== '';
  const bareMessage =
    typeof record.message === 'string' &&
    (record.code !== undefined ||
      record.statusCode !== undefined ||
      (typeof record.status === 'number' && record.status >= 400)) &&
    record.success !== true;
  const unsuccessful = record.success === false || record.ok === false;
  if (!flagged && !bareMessage && !unsuccessful) return null;
  const detail = messageOf(errorValue) ?? messageOf(record) ?? 'no message';
  return new UpstreamAnswerError(
    'ERROR_ANSWER',
    `${source} reported an error with a success status: ${detail}`,
  );
}

/** {@link parseAnswerText} then {@link errorInAnswer}: the JSON of a usable answer, or a thrown error. */
export function readAnswer(text: string, contentType: string | null, source = 'The provider'): unknown {
  const body = parseAnswerText(text, contentType, source);
  const error = errorInAnswer(body, source);
  if (error) throw error;
  return body;
}
