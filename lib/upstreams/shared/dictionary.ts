/**
 * An empty record with no prototype. Records built from upstream keys must not inherit: a field
 * another row lacks would otherwise read `Object.prototype`'s member of that name (a record with
 * a `toString` field made its column show a function), and `__proto__` would set the prototype.
 * (React cannot pass a null-prototype object from a server to a client component: build these
 * where they are used, as the reshape functions do in the browser.)
 */
export function dictionary<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** Sets an own property on a plain object, even one named `__proto__` (which `=` would not). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
