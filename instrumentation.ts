/**
 * Runs once when the server starts: a bad environment stops start-up with one message that
 * lists every problem by variable name (never a value).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { checkConfigOrExit } = await import('@/lib/startup');
  checkConfigOrExit();
  // Idle connections outlive a load balancer's idle timeout (lib/http/keep-alive.ts).
  const [{ installKeepAlive }, { getConfig }] = await Promise.all([import('@/lib/http/keep-alive'), import('@/lib/config')]);
  installKeepAlive(getConfig().keepAliveTimeoutMs);
  // Traces only when an exporter is configured (OTEL_*): otherwise no SDK module is loaded.
  const { startTracingIfConfigured } = await import('@/lib/observability/startup');
  await startTracingIfConfigured();
  // Connect to Redis now, not on the first request that needs shared state.
  const { getSharedRedis } = await import('@/lib/shared-state/redis');
  getSharedRedis();
}
