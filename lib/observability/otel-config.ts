/**
 * Which traces to export, from the standard OpenTelemetry variables. The one reader of `OTEL_*`
 * in the app (lib/config.ts reads everything else); the exporter and the SDK read the rest of
 * them themselves (headers, timeouts, sampler, batch sizes).
 *
 * Tracing is off unless an exporter is asked for: `OTEL_EXPORTER_OTLP_ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_TRACES_EXPORTER` (`otlp`, `console`). Off, no SDK
 * module is even loaded. `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` turns it off
 * whatever else is set.
 */

export type TraceExporterName = 'otlp' | 'console';

export interface TracingSettings {
  enabled: boolean;
  exporters: TraceExporterName[];
  /** `OTEL_SERVICE_NAME`, default `wellview-dashboard`. */
  serviceName: string;
  /** Settings that cannot work, by variable name (never a value): start-up stops on them. */
  problems: string[];
  /** Settings that work, but not as written: logged once at start-up. */
  warnings: string[];
}

export const DEFAULT_SERVICE_NAME = 'wellview-dashboard';

const KNOWN_EXPORTERS = new Set(['otlp', 'console', 'none']);

type Env = Record<string, string | undefined>;

/** A variable's value, trimmed; unset and empty are the same (as the OpenTelemetry spec says). */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Works out the tracing settings from the environment (pure: tests pass their own). */
export function tracingSettings(env: Env = process.env): TracingSettings {
  const serviceName = read(env, 'OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME;
  const off: TracingSettings = { enabled: false, exporters: [], serviceName, problems: [], warnings: [] };
  // The spec: only a case-insensitive "true" disables; anything else leaves the SDK on.
  if (read(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return off;

  const problems: string[] = [];
  const warnings: string[] = [];
  const listed = read(env, 'OTEL_TRACES_EXPORTER')
    ?.split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unknown = (listed ?? []).filter((name) => !KNOWN_EXPORTERS.has(name));
  if (unknown.length > 0) problems.push('OTEL_TRACES_EXPORTER: only otlp, console or none are supported here');
  if (listed?.includes('none')) return { ...off, problems };

  const endpoints = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'].filter((name) => read(env, name) !== undefined);
  const exporters: TraceExporterName[] = listed
    ? [...new Set(listed.filter((name): name is TraceExporterName => name === 'otlp' || name === 'console'))]
    : endpoints.length > 0
      ? ['otlp']
      : [];
  if (exporters.length === 0) return { ...off, problems };

  if (exporters.includes('otlp')) {
    for (const name of endpoints) {
      if (!isHttpUrl(read(env, name) as string)) problems.push(`${name}: must be an http:// or https:// URL`);
    }
    const protocolVariable = read(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    const protocol = read(env, protocolVariable)?.toLowerCase();
    if (protocol === 'grpc') {
      problems.push(`${protocolVariable}: grpc is not supported; use the collector's OTLP/HTTP port (4318) with http/json`);
    } else if (protocol === 'http/protobuf') {
      // An OTLP/HTTP receiver takes JSON and protobuf on the same path: this still arrives.
      warnings.push(`${protocolVariable}: traces are sent as http/json (OTLP/HTTP receivers accept both)`);
    } else if (protocol !== undefined && protocol !== 'http/json') {
      problems.push(`${protocolVariable}: must be http/json (or http/protobuf, sent as http/json)`);
    }
  }
  return { enabled: problems.length === 0, exporters, serviceName, problems, warnings };
}
