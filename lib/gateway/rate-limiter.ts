import { AppError } from '@/lib/errors';
import { FairQueue, NO_CALLER, type WaitBound, type Waiter } from '@/lib/gateway/fair-queue';

/**
 * The gap kept on top of the window between a call and the call `limit` places after it. The
 * provider counts a call when it arrives, and a call that leaves a little late (a busy event loop,
 * the way there, the provider's own event loop) while the one `limit` places after it is on time
 * would otherwise put `limit + 1` calls into one of its seconds. 25 ms costs 2.4 % of the budget.
 */
export const SAFETY_MARGIN_MS = 25;

/**
 * This instance's own check on what it actually let go: never `limit` calls within a window plus
 * this (or the margin, if smaller), measured when each call was let go. It only acts after a stall (a timer that fired late
 * followed by ones on time), which the schedule alone would let through.
 */
export const GRANT_GUARD_MS = 10;

/**
 * A waiter is refused this long after its bound, not at it: a call admitted with a wait of
 * exactly the bound must not lose to its own deadline's timer. (Its start time's timer firing
 * late is covered by serving what is due before refusing: see WaitBound.settleDue.)
 */
const EXPIRY_GRACE_MS = 20;

/**
 * The provider has counted a call by the time its answer arrives, and it counts it soon after it
 * left. The call `limit` places on waits until a window after the call was counted: its answer,
 * or, while none has come, this long after it was let go — so that a provider that counts calls
 * late (a busy provider process that reads several requests at once, as the sandbox does on a
 * loaded machine) still never counts `limit + 1` in a second. On a fast provider the answer comes
 * within the margin and this never binds. While answers take longer than the margin, each window
 * stretches by the answer time, up to this cap: a provider answering every call in 300 ms would
 * get 18 calls per 1.3 s at 18/s. (With 250 ms the sandbox on a loaded 2-core machine still
 * counted 7 in a second at a limit of 5; waiting for the answer, it never did.)
 *
 * The cap is a timer, not arithmetic: after a stall of this process (a long burst of work, a
 * pause) a call let go just before it may only leave when the stall ends, so it is presumed
 * counted when the timer actually runs, and GRANT_GUARD_MS more, not at the cap's nominal time.
 */
export const ANSWER_WAIT_CAP_MS = 1_000;

/**
 * How long the shared window (Redis) may take to say whether a call may leave before the instance
 * goes by its own guard alone (and, for a few seconds after, does not ask it): a connected Redis
 * that stops answering would otherwise hold every call for the command timeout (1.5 s), one at a
 * time.
 */
export const ADMISSION_TIMEOUT_MS = 500;

/** How much longer a waiter whose bound is up may stay while the shared window is asked. */
const ADMISSION_GRACE_MS = 100;

/** How much longer than an even alternation a call's turns on a shared schedule are reckoned. */
const SHARE_ESTIMATE_SLACK = 1.06;

/** The most recent grants remembered for that check (and for `currentPerSecond`). */
const MAX_REMEMBERED_GRANTS = 4096;

/** What a limiter tells whoever watches it (metrics): every grant and every refusal. */
export type LimiterEvent =
  | { kind: 'granted'; waitedMs: number; queued: number }
  | { kind: 'refused'; reason: RefusalReason; retryAfterSeconds: number; queued: number };

/** Why a call was refused: its caller's share was used, it could not leave in time, it waited too long. */
export type RefusalReason = 'caller_share' | 'queue_full' | 'wait' | 'expired';

export interface RateLimiterOptions {
  /** Calls allowed in any rolling window. */
  limit: number;
  windowMs?: number;
  /** Callers waiting beyond this many are refused at once. */
  maxQueue?: number;
  /**
   * The longest a call may wait for its slot. A call that could not start within it is refused at
   * once (503 with Retry-After); one pushed back past it by fair ordering is refused when it is up.
   */
  maxWaitMs?: number;
  /**
   * Calls one caller (one user) may have waiting at once; beyond it, that caller's extra calls
   * are refused at once. Default: a quarter of the queue, at least 10.
   */
  maxQueuedPerCaller?: number;
  /** See {@link SAFETY_MARGIN_MS}. */
  marginMs?: number;
  /** See {@link ANSWER_WAIT_CAP_MS}. */
  answerWaitCapMs?: number;
  /** Called on every grant and refusal (for metrics); must not throw. */
  onEvent?: (event: LimiterEvent) => void;
}

/** The per-caller share of the queue when none is configured: a quarter of it, at least 10. */
export function defaultQueuedPerCaller(maxQueue: number): number {
  return Math.max(10, Math.floor(maxQueue / 4));
}

export interface RateLimiterStats {
  limitPerSecond: number;
  currentPerSecond: number;
  queued: number;
  throttled: number;
}

/** Anything that hands out permission to make one call (in memory, or shared through Redis). */
/** A call let go: its `answered()` tells the limiter that the provider has counted it. */
export interface Slot {
  /** The call's answer (its headers, or its failure) has come back. Optional; idempotent. */
  answered(): void;
}

export interface CallLimiter {
  /**
   * Resolves when the call may start (report its answer on the slot). A caller whose `signal` aborts while it waits leaves the
   * queue (its turn goes to the next one) and gets CLIENT_CLOSED_REQUEST. `caller` names whose
   * call it is (the user's subject id): waiting calls are served round-robin between callers, and
   * each caller may hold only a bounded share of the queue. Calls without one share one line.
   */
  acquire(signal?: AbortSignal, caller?: string): Promise<Slot>;
  stats(): RateLimiterStats;
}

/** A start time taken from the budget: `inMs` from now, or the wait that was too long. */
export type Reservation = { ok: true; inMs: number } | { ok: false; waitMs: number };

/** Where start times come from: this process alone, or a schedule shared through Redis. */
export interface SlotSource {
  /** Takes the next free start time if it is at most `maxWaitMs` away. Never rejects. */
  reserve(maxWaitMs: number): Reservation | Promise<Reservation>;
  /**
   * Present when other instances take start times from the same schedule. An instance then holds
   * at most a window's worth of them ahead (see PacedLimiter) so that the schedule interleaves the
   * instances' calls instead of queueing one instance's whole backlog behind another's, and asks
   * the budget's shared window before each call leaves.
   */
  readonly shared?: SharedWindow;
}

/** What the shared window answers before a call leaves: it may (`call` names it), or not yet. */
export type Admission = { ok: true; call?: string } | { ok: false; waitMs: number };

/**
 * The budget's calls of the last window across every instance: the grant guard of
 * {@link PacedLimiter}, shared. A call counts from when it leaves until a window after its answer
 * (or, unanswered, after the cap): an instance only knows its own calls, and a provider that
 * counts late (a busy provider reading many requests at once) or an instance whose timers fired
 * late would otherwise see `limit` from each instance in one of its seconds.
 */
export interface SharedWindow {
  /** Instances that took start times in the last windows, this one included (at least 1). */
  busyInstances(): number;
  /** Records the call as leaving if fewer than `limit` are in the window. Never rejects. */
  admit(): Promise<Admission>;
  /** The call's answer came: it leaves the window a window from now. Never rejects. */
  answered(call: string): void;
  /** The call was admitted but never left (its caller went): it leaves the window now. */
  release(call: string): void;
}

/**
 * The spacing between two calls: `limit` calls per window plus the margin. Calls spaced evenly
 * by this never put more than `limit` into any window, and every call is as far from the one
 * `limit` places before it as the margin asks — the whole budget but the margin is used.
 */
export function slotInterval(limit: number, windowMs: number, marginMs: number): number {
  return (windowMs + marginMs) / limit;
}

/**
 * Start times for one process: the next free one is the later of now and the last one handed
 * out plus the interval (GCRA without burst). The schedule advances by exact arithmetic, so a
 * timer that fires late delays one call, not every call after it.
 */
export class LocalSlots implements SlotSource {
  private next = 0;

  constructor(private readonly intervalMs: number) {}

  /** Takes the next free start time (see {@link SlotSource.reserve}). */
  reserve(maxWaitMs: number): Reservation {
    const now = performance.now();
    const at = Math.max(this.next, now);
    if (at - now > maxWaitMs) return { ok: false, waitMs: at - now };
    this.next = at + this.intervalMs;
    return { ok: true, inMs: at - now };
  }
}

/** Refuses a caller that has already gone. */
export function alreadyGone(signal: AbortSignal | undefined): Promise<never> | null {
  return signal?.aborted ? Promise.reject(new AppError('CLIENT_CLOSED_REQUEST')) : null;
}

/** Whole seconds to wait, at least one (a Retry-After header). */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The refusal for a call that could not start within the bound: retry when it could have. */
export function queueBusy(waitMs: number): AppError {
  return new AppError('RATE_LIMITED', {
    message: 'WellView is at its call limit right now. Please retry in a moment.',
    retryAfter: seconds(waitMs),
  });
}

/**
 * The refusal for a caller that already has its whole share of the queue waiting: Retry-After is
 * about when its own backlog will have gone at the current pace.
 */
export function shareUsed<T>(queue: FairQueue<T>, caller: string, intervalMs: number, maxWaitMs: number): AppError {
  return new AppError('RATE_LIMITED', {
    message: 'You have too many WellView calls waiting already. Please retry in a moment.',
    retryAfter: Math.min(seconds(queue.ahead(caller) * intervalMs), seconds(maxWaitMs)),
    details: { reason: 'caller_share' },
  });
}

/**
 * Frees a place in a full queue for `caller` when that is fair: the newest call of the longest
 * line leaves (it is answered `refusal`) if that line is longer than `caller`'s would be, so a
 * full queue ends up shared evenly rather than held by whoever filled it first. False when the
 * caller must be refused instead.
 */
export function makeRoom<T>(queue: FairQueue<T>, caller: string, refusal: () => AppError): boolean {
  const longest = queue.longest();
  if (!longest || longest.length <= queue.queuedBy(caller) + 1) return false;
  queue.popNewest(longest.caller)?.reject(refusal());
  return true;
}

/**
 * At most `limit` calls start in any rolling `windowMs`, spaced evenly (see {@link slotInterval}),
 * with start times from a {@link SlotSource}. Each call takes a start time when it arrives, so
 * its wait is known at once: one that could not start within `maxWaitMs` is refused at once with
 * a Retry-After of that wait. Waiting calls hold start times, but which caller gets the next one
 * is decided when it comes, round-robin between callers (`FairQueue`); a time whose caller left
 * goes to the next caller in turn (or to the next newcomer). One timer wakes the queue at the
 * instant the next start time comes: no polling.
 */
export class PacedLimiter implements CallLimiter {
  private readonly queue = new FairQueue<Slot>();
  /** Start times held for this instance's callers, earliest first (performance.now()). */
  private readonly slots: number[] = [];
  /** When the most recent calls were let go, and when their answers came (NaN: not yet): a ring. */
  private readonly grants: Float64Array;
  private readonly answers: Float64Array;
  /** 1 where the answer time is the cap's presumption (see ANSWER_WAIT_CAP_MS), not an answer. */
  private readonly presumed: Uint8Array;
  private readonly grantSeq: Float64Array;
  private grantIndex = 0;
  private granted = 0;
  /** Reservations on their way (Redis), per caller: they count as waiting. */
  private readonly pending = new Map<string, number>();
  private pendingTotal = 0;
  /** Start times being taken for waiters that have none yet (a shared schedule only). */
  private topping = 0;
  /** The shared window is being asked whether the next call may leave (a shared schedule only). */
  private admitting = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private throttled = 0;
  private readonly windowMs: number;
  private readonly maxQueue: number;
  private readonly maxWaitMs: number;
  private readonly maxQueuedPerCaller: number;
  private readonly intervalMs: number;
  private readonly guardMs: number;
  private readonly answerWaitCapMs: number;
  private readonly source: SlotSource;

  /** How long a waiter may wait; what is due is served before one is refused. */
  private readonly waitBound: WaitBound;

  /** `source` defaults to this process's own schedule; see `shared-rate-limiter.ts` for Redis. */
  constructor(
    private readonly options: RateLimiterOptions,
    source?: SlotSource,
  ) {
    this.windowMs = options.windowMs ?? 1000;
    this.maxQueue = options.maxQueue ?? 500;
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
    this.maxQueuedPerCaller = options.maxQueuedPerCaller ?? defaultQueuedPerCaller(this.maxQueue);
    const marginMs = options.marginMs ?? SAFETY_MARGIN_MS;
    this.intervalMs = slotInterval(options.limit, this.windowMs, marginMs);
    this.guardMs = Math.min(GRANT_GUARD_MS, marginMs);
    this.answerWaitCapMs = options.answerWaitCapMs ?? ANSWER_WAIT_CAP_MS;
    this.source = source ?? new LocalSlots(this.intervalMs);
    this.waitBound = { ms: this.maxWaitMs + EXPIRY_GRACE_MS, refusal: () => this.expired(), settleDue: () => this.settleDue() };
    const remembered = Math.min(options.limit, MAX_REMEMBERED_GRANTS);
    this.grants = new Float64Array(remembered).fill(Number.NEGATIVE_INFINITY);
    this.answers = new Float64Array(remembered).fill(Number.NEGATIVE_INFINITY);
    this.presumed = new Uint8Array(remembered);
    this.grantSeq = new Float64Array(remembered).fill(-1);
  }

  acquire(signal?: AbortSignal, caller: string = NO_CALLER): Promise<Slot> {
    const gone = alreadyGone(signal);
    if (gone) return gone;
    if (this.queue.queuedBy(caller) + (this.pending.get(caller) ?? 0) >= this.maxQueuedPerCaller) {
      return this.refuse(shareUsed(this.queue, caller, this.intervalMs, this.maxWaitMs), 'caller_share');
    }
    // A start time whose caller left is free for this one.
    if (this.slots.length > this.queue.size) return this.wait(caller, signal);
    if (this.queue.size + this.pendingTotal >= this.maxQueue) {
      if (makeRoom(this.queue, caller, () => this.pushedOut())) return this.wait(caller, signal);
      return this.refuse(queueBusy(this.horizonMs()), 'queue_full');
    }
    if (this.source.shared && this.slots.length + this.topping + this.pendingTotal >= this.options.limit) return this.waitForStart(caller, signal);
    const reservation = this.source.reserve(this.maxWaitMs);
    if (reservation instanceof Promise) return this.afterReserving(reservation, caller, signal);
    return this.place(reservation, caller, signal);
  }

  /**
   * On a shared schedule this instance already holds a window's worth of start times: the call
   * waits in the queue without one and takes one when one of those is used (`topUp`). Reserving
   * every arrival at once would put this instance's whole backlog ahead of every call another
   * instance receives a moment later, its light users included; this way the schedule alternates
   * between the instances' queues. Refused at once when, at the full rate, it could not leave in time.
   */
  private waitForStart(caller: string, signal: AbortSignal | undefined): Promise<Slot> {
    // (Making room in a longer line would not bring this call's turn nearer: the round-robin
    // counts at most one call more of another line than of its own.)
    const waitMs = this.startEstimateMs(caller);
    if (waitMs > this.maxWaitMs) return this.refuse(queueBusy(waitMs), 'wait');
    const waiting = this.queue.add(caller, signal, this.waitBound);
    this.serve();
    return waiting;
  }

  /**
   * When a call from `caller` would leave if it queued now: the start time held for its place in
   * the round-robin, or, past those, one start time per busy instance's turn after the last held
   * (the schedule alternates between the instances that are taking start times). The alternation
   * is not exact (an instance's calls wait for the shared window, its timers fire late), so the
   * turns beyond what is held are reckoned SHARE_ESTIMATE_SLACK longer: 6 of 658 calls admitted
   * without it expired at the bound in `npm run bench -- rate` (two instances), up to 535 ms late.
   */
  private startEstimateMs(caller: string): number {
    const now = performance.now();
    const place = this.queue.ahead(caller) + this.pendingTotal;
    const held = this.slots[place];
    if (held !== undefined) return Math.max(0, held - now);
    const last = Math.max(now, this.slots.at(-1) ?? now);
    const instances = this.source.shared?.busyInstances() ?? 1;
    const turns = (place + 1 - this.slots.length) * this.intervalMs * instances;
    return last - now + (instances > 1 ? turns * SHARE_ESTIMATE_SLACK : turns);
  }

  /** Takes start times for waiters without one, up to a window's worth held (a shared schedule). */
  private topUp(): void {
    if (!this.source.shared) return;
    while (this.queue.size > this.slots.length + this.topping && this.slots.length + this.topping < this.options.limit) {
      this.topping += 1;
      const settle = (answer: Reservation) => {
        this.topping -= 1;
        if (answer.ok) {
          this.hold(answer.inMs);
          this.serve();
        } else {
          // The schedule is full beyond the bound: ask again an interval later, not at once.
          setTimeout(() => this.serve(), this.intervalMs).unref?.();
        }
      };
      const reservation = this.source.reserve(this.maxWaitMs);
      // (A source never rejects; were one to, the waiters would still be served an interval later.)
      if (reservation instanceof Promise) void reservation.then(settle, () => settle({ ok: false, waitMs: this.intervalMs }));
      else settle(reservation);
    }
  }

  stats(): RateLimiterStats {
    const since = performance.now() - this.windowMs;
    let current = 0;
    for (const at of this.grants) if (at > since) current += 1;
    return {
      limitPerSecond: Math.round((this.options.limit * 1000) / this.windowMs),
      currentPerSecond: current,
      queued: this.queue.size + this.pendingTotal,
      throttled: this.throttled,
    };
  }

  private async afterReserving(reservation: Promise<Reservation>, caller: string, signal: AbortSignal | undefined): Promise<Slot> {
    this.countPending(caller, 1);
    let answer: Reservation;
    try {
      answer = await reservation;
    } finally {
      this.countPending(caller, -1);
    }
    if (signal?.aborted) {
      // Gone while Redis answered: the start time goes to the next caller in turn.
      if (answer.ok) this.hold(answer.inMs);
      this.serve();
      throw new AppError('CLIENT_CLOSED_REQUEST');
    }
    return this.place(answer, caller, signal);
  }

  private place(reservation: Reservation, caller: string, signal: AbortSignal | undefined): Promise<Slot> {
    if (reservation.ok) {
      this.hold(reservation.inMs);
      return this.wait(caller, signal);
    }
    // No new start time within the bound: one whose caller left meanwhile is free; otherwise a
    // caller with a shorter line may take the place of the newest call of the longest line
    // (whose start time it inherits).
    if (this.slots.length > this.queue.size) return this.wait(caller, signal);
    if (makeRoom(this.queue, caller, () => this.pushedOut())) return this.wait(caller, signal);
    return this.refuse(queueBusy(reservation.waitMs), 'wait');
  }

  /** Queues the call (at least one held start time is free for it) and serves what is due. */
  private wait(caller: string, signal: AbortSignal | undefined): Promise<Slot> {
    const now = performance.now();
    // (A shared budget asks its window first, which takes a moment: the call waits in the queue.)
    if (!this.source.shared && this.queue.size === 0 && (this.slots[0] as number) <= now && this.guardUntil() <= now) {
      this.slots.shift();
      return Promise.resolve(this.recordGrant(now, 0));
    }
    const waiting = this.queue.add(caller, signal, this.waitBound);
    this.serve();
    return waiting;
  }

  /**
   * A waiter's bound is up: what is due goes first. On a shared schedule that means asking the
   * shared window, which answers a moment later: the waiter may stay that long (see WaitBound).
   */
  private settleDue(): number {
    this.serve();
    return this.admitting ? ADMISSION_GRACE_MS : 0;
  }

  /** Lets go every waiter whose start time has come, then sleeps until the next one. */
  private serve(): void {
    // The shared window's answer serves the queue when it comes.
    if (this.admitting) return;
    const now = performance.now();
    for (let at = this.slots[0]; at !== undefined && at <= now; at = this.slots[0]) {
      if (this.queue.size === 0) {
        // Its caller left and nobody came since: an unused start time is only a gap.
        this.slots.shift();
        continue;
      }
      const guard = this.guardUntil();
      // An infinite guard waits for an answer (or its cap timer), which serves the queue itself.
      if (guard > now) {
        this.topUp();
        return this.wake(Number.isFinite(guard) ? guard : undefined);
      }
      if (this.source.shared) return this.admitShared(this.source.shared);
      this.grantNext(now);
    }
    this.topUp();
    this.wake(this.slots[0]);
  }

  /** Lets the next waiter go on the first start time held. */
  private grantNext(now: number, sharedCall?: string): void {
    this.slots.shift();
    const next = this.queue.shift() as Waiter<Slot>;
    next.resolve(this.recordGrant(now, now - next.since, sharedCall));
  }

  /**
   * A start time has come on a shared schedule: the call leaves once the shared window has room
   * (see SharedWindow). Nothing else is let go meanwhile; when the window is full, the start time
   * stays held and the window is asked again when a call should have left it (at most an interval
   * later: another instance's answers can free it sooner, and they do not wake this one).
   */
  private admitShared(shared: SharedWindow): void {
    this.admitting = true;
    const settle = (admission: Admission) => {
      this.admitting = false;
      const now = performance.now();
      if (!admission.ok) {
        this.topUp();
        return this.wake(now + Math.max(1, Math.min(admission.waitMs, this.intervalMs)));
      }
      if (this.queue.size === 0 || (this.slots[0] ?? Number.POSITIVE_INFINITY) > now) {
        // Its caller left while the window was asked: the call never leaves.
        if (admission.call) shared.release(admission.call);
      } else {
        this.grantNext(now, admission.call);
      }
      this.serve();
    };
    // (The window never rejects; were it to, the queue would be asked again an interval later.)
    void shared.admit().then(settle, () => settle({ ok: false, waitMs: this.intervalMs }));
  }

  private wake(at: number | undefined): void {
    if (at === this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = at ?? Number.POSITIVE_INFINITY;
    if (at === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.serve();
      },
      Math.max(0, Math.ceil(at - performance.now())),
    );
  }

  /** Keeps a start time `inMs` from now, in order. */
  private hold(inMs: number): void {
    const at = performance.now() + inMs;
    let index = this.slots.length;
    while (index > 0 && (this.slots[index - 1] as number) > at) index -= 1;
    this.slots.splice(index, 0, at);
  }

  /**
   * The earliest the next call may go by what this instance let go: a window after the call
   * `limit` places back left (plus GRANT_GUARD_MS), and after it was counted (its answer, or the
   * cap's presumption; see ANSWER_WAIT_CAP_MS). Infinite while that call is neither: its answer
   * or its cap timer serves the queue then.
   */
  private guardUntil(): number {
    if (this.grants.length < this.options.limit) return Number.NEGATIVE_INFINITY;
    const index = this.grantIndex;
    const sent = this.grants[index] as number;
    const counted = this.answers[index] as number;
    if (Number.isNaN(counted)) return Number.POSITIVE_INFINITY;
    // The provider's window is (now - window, now]: a call exactly a window later is in a new one.
    // A presumed count is a guess made when the loop ran, so it keeps the guard's gap too.
    const countedGap = this.presumed[index] ? this.guardMs : 1;
    return Math.max(sent + this.windowMs + this.guardMs, counted + this.windowMs + countedGap);
  }

  private recordGrant(now: number, waitedMs: number, sharedCall?: string): Slot {
    const index = this.grantIndex;
    const seq = this.granted;
    this.granted += 1;
    this.grants[index] = now;
    this.answers[index] = Number.NaN;
    this.presumed[index] = 0;
    this.grantSeq[index] = seq;
    this.grantIndex = (index + 1) % this.grants.length;
    this.options.onEvent?.({ kind: 'granted', waitedMs, queued: this.queue.size });
    const count = (presumed: boolean) => {
      if (this.grantSeq[index] !== seq || !Number.isNaN(this.answers[index] as number)) return;
      this.answers[index] = performance.now();
      this.presumed[index] = presumed ? 1 : 0;
      // A waiter held back until this call was counted may go now.
      if (this.queue.size > 0) this.serve();
    };
    const cap = setTimeout(() => count(true), this.answerWaitCapMs);
    cap.unref?.();
    let reported = false;
    return {
      answered: () => {
        if (reported) return;
        reported = true;
        clearTimeout(cap);
        count(false);
        if (sharedCall !== undefined) this.source.shared?.answered(sharedCall);
      },
    };
  }

  /** How long until the last start time held here (what a newcomer would wait at least). */
  private horizonMs(): number {
    const last = this.slots.at(-1);
    return last === undefined ? this.intervalMs : Math.max(0, last - performance.now()) + this.intervalMs;
  }

  private refuse(error: AppError, reason: RefusalReason): Promise<never> {
    this.countRefusal(error, reason);
    return Promise.reject(error);
  }

  private countRefusal(error: AppError, reason: RefusalReason): void {
    this.throttled += 1;
    this.options.onEvent?.({ kind: 'refused', reason, retryAfterSeconds: error.retryAfter ?? 1, queued: this.queue.size });
  }

  /** The refusal for a waiter pushed out of a full queue by a caller with a shorter line. */
  private pushedOut(): AppError {
    const error = queueBusy(this.horizonMs());
    this.countRefusal(error, 'queue_full');
    return error;
  }

  /** The refusal for a waiter whose bound is up (fair ordering pushed it back). */
  private expired(): AppError {
    const error = queueBusy(this.horizonMs());
    this.countRefusal(error, 'expired');
    // Its start time stays held: the next caller in turn gets it.
    return error;
  }

  private countPending(caller: string, delta: number): void {
    const count = (this.pending.get(caller) ?? 0) + delta;
    if (count > 0) this.pending.set(caller, count);
    else this.pending.delete(caller);
    this.pendingTotal += delta;
  }
}
