import 'server-only';
import diagnostics from 'node:diagnostics_channel';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ATTR_DB_NAMESPACE, ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, ATTR_ERROR_TYPE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '@opentelemetry/semantic-conventions';
import { describeFailure, TRACER_NAME } from '@/lib/observability/tracing';

/**
 * One CLIENT span per Redis command (the shared token store, locks, the shared rate limiter),
 * from ioredis's own `ioredis:command` tracing channel: no patching, and nothing of ours runs
 * while tracing is off (nobody subscribes). Commands outside any span are not traced. The span is
 * named after the command (`GET`, `EVAL`); its arguments are never recorded (keys are hashes and
 * values seals, but they are still ours).
 */

/** What ioredis publishes for each command (`_buildCommandContext`). */
interface CommandMessage {
  command?: unknown;
  database?: unknown;
  serverAddress?: unknown;
  serverPort?: unknown;
  error?: unknown;
}

const spans = new WeakMap<object, Span>();

function start(message: CommandMessage): void {
  // Only commands made for something traced (a request, a token renewal): the connection's own
  // handshake (INFO, CLIENT SETINFO) would otherwise be a stream of one-span traces.
  if (!trace.getSpan(context.active())) return;
  const command = typeof message.command === 'string' ? message.command.toUpperCase() : 'COMMAND';
  // `start` runs synchronously in the caller's context: the command's parent is the caller's span.
  const span = trace.getTracer(TRACER_NAME).startSpan(
    command,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_DB_SYSTEM_NAME]: 'redis',
        [ATTR_DB_OPERATION_NAME]: command,
        ...(typeof message.database === 'number' ? { [ATTR_DB_NAMESPACE]: String(message.database) } : {}),
        ...(typeof message.serverAddress === 'string' ? { [ATTR_SERVER_ADDRESS]: message.serverAddress } : {}),
        ...(typeof message.serverPort === 'number' ? { [ATTR_SERVER_PORT]: message.serverPort } : {}),
      },
    },
    context.active(),
  );
  spans.set(message, span);
}

function failed(message: CommandMessage): void {
  const span = spans.get(message);
  if (!span) return;
  span.setStatus({ code: SpanStatusCode.ERROR });
  // A code only: Redis error text can quote what was sent.
  span.setAttribute(ATTR_ERROR_TYPE, describeFailure(message.error).type);
}

function finished(message: CommandMessage): void {
  const span = spans.get(message);
  if (!span) return;
  spans.delete(message);
  span.end();
}

/** Subscribes to ioredis's command channel; call once, when tracing starts. */
export function traceRedisCommands(): void {
  if (typeof diagnostics.tracingChannel !== 'function') return;
  diagnostics.tracingChannel<unknown, CommandMessage>('ioredis:command').subscribe({
    start,
    // A synchronous throw (the message has its error already) never reaches asyncEnd.
    end: (message) => {
      if (message.error !== undefined) finished(message);
    },
    asyncStart: () => undefined,
    // The command's promise settled (for a rejection, `error` ran just before).
    asyncEnd: finished,
    error: failed,
  });
}
