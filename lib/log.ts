import 'server-only';
import { activeTraceIds } from '@/lib/observability/tracing';

/**
 * Structured logs: one JSON line per event. Values under secret-looking keys, bearer tokens,
 * JWTs and long opaque strings are redacted before anything is written. While a span is active
 * (tracing on), each line carries its `traceId` and `spanId`, so a trace leads to its log lines.
 */

type Level = 'debug' | 'info' | 'warn' | 'error';
type Fields = Record<string, unknown>;

const SECRET_KEY = /token|secret|password|authorization|cookie|code_verifier|^code$|session|assertion|api[-_]?key|subscription/i;
const JWT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g;
const BEARER = /Bearer\s+[\w.~+/-]+=*/gi;

/** Masks anything that looks like a credential inside a free-text string. */
export function redactText(text: string): string {
  return text.replace(JWT, '[redacted-jwt]').replace(BEARER, 'Bearer [redacted]');
}

function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[truncated]';
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    const out: Fields = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) && !/^(tokenRequests|sessionId|hasRefreshToken)$/.test(key) ? '[redacted]' : redact(item, depth + 1);
    }
    return out;
  }
  return value;
}

const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

let minimum: { setting: string | undefined; rank: number } | undefined;

/** `LOG_LEVEL` (debug, info, warn, error; default info): lines below it are not written. */
function enabled(level: Level): boolean {
  const setting = process.env.LOG_LEVEL;
  // Worked out again only when the setting changes (tests change it); this runs on every request.
  if (minimum === undefined || minimum.setting !== setting) {
    const wanted = setting?.toLowerCase() as Level | undefined;
    minimum = { setting, rank: RANK[wanted && wanted in RANK ? wanted : 'info'] };
  }
  return RANK[level] >= minimum.rank;
}

function write(level: Level, event: string, fields: Fields = {}): void {
  if (!enabled(level)) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...activeTraceIds(), ...(redact(fields) as Fields) });
  if (level === 'error' || level === 'warn') process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

export const log = {
  /** True when lines of `level` are written: skip building fields that would be thrown away. */
  enabled,
  debug: (event: string, fields?: Fields) => write('debug', event, fields),
  info: (event: string, fields?: Fields) => write('info', event, fields),
  warn: (event: string, fields?: Fields) => write('warn', event, fields),
  error: (event: string, fields?: Fields) => write('error', event, fields),
};
