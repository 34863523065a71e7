import { describe, expect, it } from 'vitest';
import { tracingSettings } from '@/lib/observability/otel-config';

describe('tracing settings from OTEL_* variables', () => {
  it('are off when nothing asks for an exporter, whatever else is set', () => {
    for (const env of [{}, { OTEL_SERVICE_NAME: 'x' }, { OTEL_EXPORTER_OTLP_ENDPOINT: '' }, { OTEL_EXPORTER_OTLP_HEADERS: 'a=b', OTEL_TRACES_SAMPLER: 'always_on' }]) {
      const settings = tracingSettings(env);
      expect(settings.enabled, JSON.stringify(env)).toBe(false);
      expect(settings.problems).toEqual([]);
    }
  });

  it('turn on with an OTLP endpoint (general or traces-only) and name the service', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toMatchObject({
      enabled: true,
      exporters: ['otlp'],
      serviceName: 'wellview-dashboard',
    });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example.com/v1/traces', OTEL_SERVICE_NAME: 'dash-eu' })).toMatchObject({
      enabled: true,
      exporters: ['otlp'],
      serviceName: 'dash-eu',
    });
  });

  it('follow OTEL_TRACES_EXPORTER: otlp (default endpoint), console, both, or none', () => {
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({ enabled: true, exporters: ['otlp'] });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'Console' })).toMatchObject({ enabled: true, exporters: ['console'] });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp, console,otlp' })).toMatchObject({ enabled: true, exporters: ['otlp', 'console'] });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toMatchObject({ enabled: false, problems: [] });
    // An endpoint with a console-only choice exports to the console only.
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'console', OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toMatchObject({ enabled: true, problems: [] });
  });

  it('are off with OTEL_SDK_DISABLED=true (any case), and only then', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingSettings({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' }).enabled).toBe(false);
    expect(tracingSettings({ ...endpoint, OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'zipkin' }).problems).toEqual([]);
    expect(tracingSettings({ ...endpoint, OTEL_SDK_DISABLED: 'false' }).enabled).toBe(true);
    expect(tracingSettings({ ...endpoint, OTEL_SDK_DISABLED: '1' }).enabled).toBe(true);
  });

  it('name unusable settings by variable, never echoing a value', () => {
    const bad = tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector.internal:4318?token=s3cret', OTEL_TRACES_EXPORTER: 'otlp,jaeger' });
    expect(bad.enabled).toBe(false);
    expect(bad.problems).toEqual([
      'OTEL_TRACES_EXPORTER: only otlp, console or none are supported here',
      'OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL',
    ]);
    expect(bad.problems.join(' ')).not.toContain('s3cret');
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://x/v1/traces' }).problems).toEqual([
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http:// or https:// URL',
    ]);
  });

  it('send OTLP/HTTP JSON: grpc is refused, http/protobuf warned about, the traces-only protocol wins', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingSettings({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toMatchObject({ enabled: true, warnings: [], problems: [] });
    expect(tracingSettings({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toMatchObject({ enabled: false });
    expect(tracingSettings({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).problems[0]).toMatch(/^OTEL_EXPORTER_OTLP_PROTOCOL: grpc is not supported/);
    const protobuf = tracingSettings({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' });
    expect(protobuf).toMatchObject({ enabled: true, problems: [] });
    expect(protobuf.warnings[0]).toMatch(/^OTEL_EXPORTER_OTLP_PROTOCOL: traces are sent as http\/json/);
    expect(tracingSettings({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' })).toMatchObject({ enabled: true, problems: [] });
    expect(tracingSettings({ ...endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'thrift' }).problems).toEqual([
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: must be http/json (or http/protobuf, sent as http/json)',
    ]);
    // The console exporter has no protocol to get wrong.
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'console', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toMatchObject({ enabled: true, problems: [] });
  });
});
