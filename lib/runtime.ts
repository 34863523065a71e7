import 'server-only';

/**
 * Process-wide singletons. Next bundles `proxy.ts` and each route separately, so module-level
 * state could exist more than once in one process; keeping it in one registry on `globalThis`
 * makes every bundle share the same instance.
 */
const registry: Record<string, unknown> = ((globalThis as unknown as Record<symbol, Record<string, unknown> | undefined>)[
  Symbol.for('wellview-dashboard.singletons')
] ??= Object.create(null) as Record<string, unknown>);

export function processSingleton<T>(name: string, create: () => T): T {
  // A plain property read: this runs many times on every gateway call.
  return (registry[name] ??= create()) as T;
}
