// The level-triggered reconcile loop. l4gw reconciles the whole cluster at once (core is a pure
// function of the whole snapshot), so the "queue" holds one key: "something changed". Triggers
// carry no event; a burst of watch events collapses into one run.
//
// Latency is bounded: a run starts `debounceMs` after the last trigger, but never later than
// `maxDelayMs` after the first trigger of a burst. At most one run is in flight; a trigger during
// a run schedules one more. A failed run is retried with per-loop exponential backoff
// (controller-runtime's default limiter: 5 ms doubling to 1000 s), reset by a successful run.

export type RunResult = 'done' | 'retry';

export interface LoopOptions {
  readonly debounceMs: number;
  readonly maxDelayMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** One reconcile. Throwing or returning 'retry' backs off; 'done' resets the backoff. */
  readonly run: () => Promise<RunResult>;
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
  private firstTriggerAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: LoopOptions) {}

  /** Asks for a reconcile soon. Cheap; call it on every change. */
  trigger(): void {
    if (this.stopped) return;
    const now = Date.now();
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
    this.schedule(now);
  }

  /** True when a change arrived that the run in flight (if any) has not seen. */
  hasPending(): boolean {
    return this.pending;
  }

  /** Stops scheduling and waits for the run in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    await this.running;
  }

  private schedule(now: number): void {
    clearTimeout(this.timer);
    const deadline = this.firstTriggerAt + this.opts.maxDelayMs;
    const at = Math.min(now + this.opts.debounceMs, deadline);
    this.timer = setTimeout(() => this.start(), Math.max(0, at - now));
  }

  private start(): void {
    if (this.stopped || this.running || !this.pending) return;
    this.pending = false;
    this.opts.onDepth?.(0);
    this.running = this.execute().finally(() => {
      this.running = undefined;
      if (this.stopped || !this.pending) return;
      // Changes arrived during the run: handle them now rather than after a backoff.
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.schedule(Date.now());
    });
  }

  private async execute(): Promise<void> {
    let result: RunResult;
    let error: unknown;
    try {
      result = await this.opts.run();
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
