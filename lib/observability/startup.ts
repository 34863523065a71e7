import 'server-only';
import { log } from '@/lib/log';
import { tracingSettings } from '@/lib/observability/otel-config';

/**
 * Starts tracing when the `OTEL_*` variables ask for it (instrumentation.ts). Unusable settings
 * stop start-up with one message naming the variables, like the rest of the configuration;
 * without an exporter nothing is loaded and every span helper stays a plain call.
 */
export async function startTracingIfConfigured(env: Record<string, string | undefined> = process.env): Promise<boolean> {
  const settings = tracingSettings(env);
  if (settings.problems.length > 0) {
    console.error(
      `\nwellview-dashboard cannot start.\nTracing settings:\n${settings.problems.map((problem) => `  - ${problem}`).join('\n')}\nSee .env.local.example for every variable.\n`,
    );
    process.exit(1);
  }
  if (!settings.enabled) return false;
  for (const warning of settings.warnings) log.warn('tracing.setting', { note: warning });
  // Loaded only now: an untraced deployment never loads the SDK or the exporter.
  const { startTracing } = await import('@/lib/observability/otel-setup');
  startTracing(settings);
  log.info('tracing.started', { serviceName: settings.serviceName, exporters: settings.exporters });
  return true;
}
