/**
 * Concurrent callers with the same key share one in-flight task instead of each running it.
 */
export class SingleFlight<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  run(key: string, task: () => Promise<T>): { promise: Promise<T>; shared: boolean } {
    const existing = this.inflight.get(key);
    if (existing) return { promise: existing, shared: true };
    const promise = task().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return { promise, shared: false };
  }

  has(key: string): boolean {
    return this.inflight.has(key);
  }
}
