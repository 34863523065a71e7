import 'server-only';
import { processSingleton } from '@/lib/runtime';
import { recordResponseCacheLookup } from '@/lib/observability/store';

/** Answers larger than this are streamed through and never cached. */
export const MAX_CACHED_BODY_BYTES = 8 * 1024 * 1024;
const MAX_ENTRIES = 2000;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

export interface CachedAnswer {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

interface Entry extends CachedAnswer {
  upstream: string;
  expiresAt: number;
}

/**
 * A short-lived, bounded, in-process cache of successful GET answers. Keys carry their scope
 * (a user's keyed hash for WellView, "shared" for service-token upstreams), so one user's answer
 * is never served to another. Any write through an upstream drops that upstream's entries.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;

  get(key: string, now = Date.now()): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      recordResponseCacheLookup(false);
      return undefined;
    }
    if (entry.expiresAt <= now) {
      this.delete(key, entry);
      recordResponseCacheLookup(false);
      return undefined;
    }
    // Refresh its place in the LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    recordResponseCacheLookup(true);
    return entry;
  }

  set(key: string, upstream: string, answer: CachedAnswer, ttlMs: number, now = Date.now()): void {
    if (ttlMs <= 0 || answer.body.length > MAX_CACHED_BODY_BYTES) return;
    const previous = this.entries.get(key);
    if (previous) this.delete(key, previous);
    this.entries.set(key, { status: answer.status, headers: answer.headers, body: answer.body, upstream, expiresAt: now + ttlMs });
    this.totalBytes += answer.body.length;
    if (this.entries.size <= MAX_ENTRIES && this.totalBytes <= MAX_TOTAL_BYTES) return;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.totalBytes <= MAX_TOTAL_BYTES) break;
      this.delete(oldest, entry);
    }
  }

  /** Drops one entry (a fresh answer that could not be kept must not leave an older one). */
  forget(key: string): void {
    const entry = this.entries.get(key);
    if (entry) this.delete(key, entry);
  }

  /** Drops every entry of one upstream (after a write through it). */
  invalidate(upstream: string): void {
    for (const [key, entry] of this.entries) if (entry.upstream === upstream) this.delete(key, entry);
  }

  clear(): void {
    this.entries.clear();
    this.totalBytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of answer bodies held. */
  get bytes(): number {
    return this.totalBytes;
  }

  private delete(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.totalBytes -= entry.body.length;
  }
}

export const getResponseCache = () => processSingleton('gateway.response-cache', () => new ResponseCache());

/** The browser asks for a fresh answer with the standard request directives. */
export function wantsFreshAnswer(headers: Headers): boolean {
  const directives = `${headers.get('cache-control') ?? ''},${headers.get('pragma') ?? ''}`.toLowerCase();
  return /(^|,)\s*(no-cache|no-store|max-age=0)\s*(,|$)/.test(directives);
}

/** Upstream answers marked `no-store` are never kept; `private` ones only in a per-user scope. */
export function upstreamForbidsStoring(cacheControl: string | string[] | undefined, shared: boolean): boolean {
  const text = (Array.isArray(cacheControl) ? cacheControl.join(',') : (cacheControl ?? '')).toLowerCase();
  return /\bno-store\b/.test(text) || (shared && /\bprivate\b/.test(text));
}
