// The level-triggered reconcile loop. l4gw reconciles the whole cluster at once (core is a pure
// function of the whole snapshot), so the "queue" holds one key: "something changed". Triggers
// carry no event; a burst of watch events collapses into one run.
//
// Latency is bounded both ways. A change after a quiet spell (no change and no run for
// `debounceMs`) starts a run at once, on the next turn of the event loop, so the common case — one
// change on an idle cluster — waits for nothing. Changes that follow other changes or a run
// within `debounceMs` coalesce as before: the next run starts `debounceMs` after the last of them,
// but never later than `maxDelayMs` after the first, and a start that is due is never postponed. At
// most one run is in flight; a trigger during a run schedules one more. A failed run is retried
// with per-loop exponential backoff (controller-runtime's default limiter: 5 ms doubling to
// 1000 s), reset by a successful run.

export type RunResult = 'done' | 'retry';

export interface LoopOptions {
  readonly debounceMs: number;
  readonly maxDelayMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /**
   * One reconcile. Throwing or returning 'retry' backs off; 'done' resets the backoff.
   * `queuedMs`: how long the oldest change it handles waited for it (debounce included).
   */
  readonly run: (queuedMs: number) => Promise<RunResult>;
  readonly onError: (err: unknown, retryInMs: number) => void;
  /** Queue depth (0 or 1 pending run) for metrics. */
  readonly onDepth?: (depth: number) => void;
}

export const DEFAULT_LOOP_TIMINGS = {
  debounceMs: 100,
  maxDelayMs: 1000,
  backoffBaseMs: 5,
  backoffMaxMs: 1_000_000,
} as const;

/** Delay before retry number `failures` (1-based): base·2^(failures−1), capped. */
export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 40));
}

export class ReconcileLoop {
  private pending = false;
  /** When the oldest change no run has taken yet arrived; `maxDelayMs` counts from it. */
  private firstTriggerAt = 0;
  /** The last change or run end; a change `debounceMs` or more after it starts a run at once. */
  private lastActivityAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  /** When `timer` starts the next run. */
  private startsAt = 0;
  private running: Promise<void> | undefined;
  private failures = 0;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: LoopOptions) {}

  /** Asks for a reconcile soon. Cheap; call it on every change. */
  trigger(): void {
    if (this.stopped) return;
    const now = Date.now();
    const quiet = now - this.lastActivityAt >= this.opts.debounceMs;
    this.lastActivityAt = now;
    if (!this.pending) {
      this.pending = true;
      this.firstTriggerAt = now;
      this.opts.onDepth?.(1);
    }
    if (this.running) return; // scheduled again when the run ends
    // A new change does not wait out the backoff of an earlier failure (like controller-runtime,
    // where an event re-adds the key at once); the failure count keeps growing until a success.
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.schedule(now, quiet);
  }

  /** True when a change arrived that the run in flight (if any) has not seen. */
  hasPending(): boolean {
    return this.pending;
  }

  /** Stops scheduling and waits for the run in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    clearTimeout(this.retryTimer);
    await this.running;
  }

  private schedule(now: number, quiet: boolean): void {
    // A start already due keeps its time: a flood of changes cannot push the run back for ever.
    if (this.timer !== undefined && this.startsAt <= now) return;
    const at = quiet ? now : Math.min(now + this.opts.debounceMs, this.firstTriggerAt + this.opts.maxDelayMs);
    clearTimeout(this.timer);
    this.startsAt = at;
    // Even "at once" goes through a timer, so the triggers of one watch chunk share the run.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start();
    }, Math.max(0, at - now));
  }

  private start(): void {
    if (this.stopped || this.running || !this.pending) return;
    this.pending = false;
    this.opts.onDepth?.(0);
    const queuedMs = Date.now() - this.firstTriggerAt;
    this.running = this.execute(queuedMs).finally(() => {
      this.running = undefined;
      this.lastActivityAt = Date.now();
      if (this.stopped || !this.pending) return;
      // Changes arrived during the run: coalesce them, but not behind a backoff.
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.schedule(this.lastActivityAt, false);
    });
  }

  private async execute(queuedMs: number): Promise<void> {
    let result: RunResult;
    let error: unknown;
    try {
      result = await this.opts.run(queuedMs);
    } catch (err) {
      result = 'retry';
      error = err;
    }
    if (result === 'done') {
      this.failures = 0;
      return;
    }
    this.failures++;
    const delay = backoffDelay(this.failures, this.opts.backoffBaseMs, this.opts.backoffMaxMs);
    if (error !== undefined) this.opts.onError(error, delay);
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.pending) {
        this.pending = true;
        this.opts.onDepth?.(1);
      }
      this.firstTriggerAt = Date.now();
      this.start();
    }, delay);
  }
}
