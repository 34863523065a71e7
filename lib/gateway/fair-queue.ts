import { AppError } from '@/lib/errors';

/** The caller key for calls made on nobody's behalf (health checks): they share one line. */
export const NO_CALLER = '';

/** One caller waiting for a slot. */
export interface Waiter<T = void> {
  /** Whose call this is: waiters are served round-robin between callers. */
  caller: string;
  /** When it started waiting (performance.now()). */
  since: number;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
  signal?: AbortSignal;
}

/** How long a waiter may wait, and what it is answered when that time is up. */
export interface WaitBound {
  ms: number;
  refusal: () => Error;
  /**
   * Called when the time is up, before the waiter is refused: lets go whatever is due first, so
   * a waiter whose turn has come (its timer merely fired late) is served rather than refused.
   * Answers how much longer (ms) the waiter may stay, once, while what is due is being let go
   * (0: refuse it now).
   */
  settleDue?: () => number;
}

/**
 * The waiting room in front of a limiter: one FIFO line per caller, served round-robin between
 * lines, so a caller with hundreds of calls waiting delays another caller's call by at most one
 * call per busy caller, not by its whole backlog.
 *
 * A line that has just been served goes to the back of the rotation; a caller that starts waiting
 * joins at the back too. Lines are dropped as soon as they are empty, so memory follows the
 * number of waiters, not the number of callers ever seen.
 */
export class FairQueue<T = void> {
  /** Insertion order is the rotation: the first line is served next. */
  private readonly lines = new Map<string, Waiter<T>[]>();
  private count = 0;

  /** Waiters in all lines. */
  get size(): number {
    return this.count;
  }

  /** How many calls `caller` has waiting. */
  queuedBy(caller: string): number {
    return this.lines.get(caller)?.length ?? 0;
  }

  /**
   * How many waiters would be served before one more call from `caller`, if nobody leaves: its
   * own line, and from every other line at most as many as its place in its own line.
   */
  ahead(caller: string): number {
    const own = this.queuedBy(caller);
    let ahead = own;
    for (const [other, line] of this.lines) if (other !== caller) ahead += Math.min(line.length, own + 1);
    return ahead;
  }

  /** The caller with the longest line and its length (null when nobody waits). */
  longest(): { caller: string; length: number } | null {
    let best: { caller: string; length: number } | null = null;
    for (const [caller, line] of this.lines) if (!best || line.length > best.length) best = { caller, length: line.length };
    return best;
  }

  /**
   * Queues a call for `caller`. It leaves the queue (and is refused with CLIENT_CLOSED_REQUEST)
   * if `signal` aborts before its turn, or (refused with `bound.refusal`) when it has waited
   * `bound.ms`; its place goes to the next waiter either way.
   */
  add(caller: string, signal: AbortSignal | undefined, bound: WaitBound): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        if (this.remove(waiter)) waiter.reject(new AppError('CLIENT_CLOSED_REQUEST'));
      };
      let extended = false;
      const expire = () => {
        const more = bound.settleDue?.() ?? 0;
        if (more > 0 && !extended && this.lines.get(caller)?.includes(waiter)) {
          extended = true;
          timer = setTimeout(expire, more);
          return;
        }
        if (this.remove(waiter)) waiter.reject(bound.refusal());
      };
      let timer = setTimeout(expire, bound.ms);
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', leave);
      };
      const waiter: Waiter<T> = {
        caller,
        since: performance.now(),
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        signal,
      };
      this.push(waiter);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }

  /** The waiter whose turn is next, left in place. */
  peek(): Waiter<T> | undefined {
    for (const line of this.lines.values()) return line[0];
    return undefined;
  }

  /** Takes the waiter whose turn is next; its line goes to the back of the rotation. */
  shift(): Waiter<T> | undefined {
    const next = this.peek();
    if (next) this.take(next);
    return next;
  }

  /**
   * Takes `waiter` out because it is being served (or handed on): its line goes to the back of
   * the rotation. False when it was no longer there (it left).
   */
  take(waiter: Waiter<T>): boolean {
    const line = this.lines.get(waiter.caller);
    if (!line || !this.cut(line, waiter)) return false;
    this.lines.delete(waiter.caller);
    if (line.length > 0) this.lines.set(waiter.caller, line);
    return true;
  }

  /** Takes `waiter` out because it gave up: its line keeps its turn. False when it was not there. */
  remove(waiter: Waiter<T>): boolean {
    const line = this.lines.get(waiter.caller);
    if (!line || !this.cut(line, waiter)) return false;
    if (line.length === 0) this.lines.delete(waiter.caller);
    return true;
  }

  /** Takes the newest waiter of `caller`'s line out (to refuse it), keeping the line's turn. */
  popNewest(caller: string): Waiter<T> | undefined {
    const newest = this.lines.get(caller)?.at(-1);
    if (newest) this.remove(newest);
    return newest;
  }

  private push(waiter: Waiter<T>): void {
    const line = this.lines.get(waiter.caller);
    if (line) line.push(waiter);
    else this.lines.set(waiter.caller, [waiter]);
    this.count += 1;
  }

  private cut(line: Waiter<T>[], waiter: Waiter<T>): boolean {
    const index = line.indexOf(waiter);
    if (index < 0) return false;
    line.splice(index, 1);
    this.count -= 1;
    return true;
  }
}
