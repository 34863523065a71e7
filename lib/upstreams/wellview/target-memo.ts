import 'server-only';
import { processSingleton } from '@/lib/runtime';

/** Logins remembered at most; the oldest go first. */
const MAX_LOGINS = 5000;
/** A `/user` answer larger than this is not kept (it would be an unusual one, and memory is shared). */
const MAX_ANSWER_CHARS = 64 * 1024;

interface Remembered {
  user: unknown;
  expiresAt: number;
}

/**
 * WellView's `/user` answer per login, for finding where its wells are. Without it every page
 * load more than a response-cache lifetime after the last reads `/user` and only then the wells:
 * two calls in a row, the second one a rate-limit slot later. Where a user's wells are rarely
 * changes; a new sign-in is a new login and reads it again. Only answers that were read whole are
 * kept, and only for the login that read them (the caller checks that login is still active).
 */
export class TargetMemo {
  private readonly entries = new Map<string, Remembered>();

  constructor(private readonly ttlMs: number) {}

  /** The login's remembered `/user` answer, or undefined. */
  get(sid: string, now = Date.now()): unknown {
    const entry = this.entries.get(sid);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(sid);
      return undefined;
    }
    return entry.user;
  }

  /** Keeps the login's `/user` answer (`chars`: its size as text) for the memo's lifetime. */
  set(sid: string, user: unknown, chars: number, now = Date.now()): void {
    if (this.ttlMs <= 0 || chars > MAX_ANSWER_CHARS) return;
    this.entries.delete(sid);
    this.entries.set(sid, { user, expiresAt: now + this.ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= MAX_LOGINS) break;
      this.entries.delete(oldest);
    }
  }

  /** Forgets a login (its `/user` answer changed meaning: an error, a new shape). */
  forget(sid: string): void {
    this.entries.delete(sid);
  }
}

/** This process's memo, for the configured lifetime. */
export function targetMemo(ttlMs: number): TargetMemo {
  return processSingleton(`wellview-target-memo:${ttlMs}`, () => new TargetMemo(ttlMs));
}
