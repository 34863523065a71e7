import 'server-only';

/**
 * Process-wide singletons. Next bundles `proxy.ts` and each route separately, so module-level
 * state could exist more than once in one process; keeping it on `globalThis` under a symbol
 * makes every bundle share the same instance.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const slot = Symbol.for(`wellview-dashboard.${name}`);
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  holder[slot] ??= create();
  return holder[slot];
}
