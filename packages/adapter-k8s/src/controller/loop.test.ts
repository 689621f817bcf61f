import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, ReconcileLoop, type RunResult } from './loop.js';

function loopWith(run: () => Promise<RunResult>, errors: number[] = []) {
  return new ReconcileLoop({
    debounceMs: 100,
    maxDelayMs: 1000,
    backoffBaseMs: 5,
    backoffMaxMs: 1_000_000,
    run,
    onError: (_err, retryInMs) => errors.push(retryInMs),
  });
}

describe('backoffDelay', () => {
  it('should double from 5 ms and cap at 1000 s like controller-runtime', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 5, 1_000_000))).toEqual([5, 10, 20, 40]);
    expect(backoffDelay(30, 5, 1_000_000)).toBe(1_000_000);
    expect(backoffDelay(10_000, 5, 1_000_000)).toBe(1_000_000);
  });
});

describe('ReconcileLoop', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A run that records when it started (fake time) and succeeds. */
  function recordingRun(starts: number[]) {
    return vi.fn(async (): Promise<RunResult> => {
      starts.push(Date.now());
      return 'done';
    });
  }

  it('should start at once on the first change after a quiet spell', async () => {
    const starts: number[] = [];
    const loop = loopWith(recordingRun(starts));
    const t0 = Date.now();
    loop.trigger();
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([t0]); // no debounce on an idle loop
    await vi.advanceTimersByTimeAsync(500);
    loop.trigger(); // quiet again for 500 ms: at once again
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([t0, t0 + 501]);
    await loop.stop();
  });

  it('should coalesce a burst of triggers into one run', async () => {
    const run = vi.fn(async (): Promise<RunResult> => 'done');
    const loop = loopWith(run);
    for (let i = 0; i < 50; i++) loop.trigger();
    await vi.advanceTimersByTimeAsync(150);
    expect(run).toHaveBeenCalledTimes(1);
    await loop.stop();
  });

  it('should debounce changes that follow a run closely', async () => {
    const starts: number[] = [];
    const loop = loopWith(recordingRun(starts));
    const t0 = Date.now();
    loop.trigger();
    await vi.advanceTimersByTimeAsync(30);
    loop.trigger(); // 30 ms after the run: waits for the debounce
    await vi.advanceTimersByTimeAsync(20);
    loop.trigger(); // and a further change pushes it back
    await vi.advanceTimersByTimeAsync(99);
    expect(starts).toEqual([t0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([t0, t0 + 150]);
    await loop.stop();
  });

  it('should run within maxDelay even while triggers keep coming', async () => {
    const starts: number[] = [];
    const loop = loopWith(recordingRun(starts));
    const t0 = Date.now();
    for (let t = 0; t < 2500; t += 50) {
      loop.trigger();
      await vi.advanceTimersByTimeAsync(50);
    }
    // The first change found the loop idle; the stream after it never is, so it coalesces up to
    // maxDelay (1 s) from its first change (50 ms, then 1050 ms): debounce alone would wait for ever.
    expect(starts).toEqual([t0, t0 + 1050, t0 + 2050]);
    await loop.stop();
  });

  it('should run once more when triggered during a run', async () => {
    let release!: () => void;
    const run = vi.fn(
      () => new Promise<RunResult>((resolve) => (release = () => resolve('done'))),
    );
    const loop = loopWith(run);
    loop.trigger();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(1);
    loop.trigger();
    loop.trigger();
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(2);
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(2);
    await loop.stop();
  });

  it('should retry failures with growing backoff and stop retrying after a success', async () => {
    const results: (RunResult | Error)[] = [new Error('a'), new Error('b'), 'retry', 'done'];
    const run = vi.fn(async (): Promise<RunResult> => {
      const r = results.shift() ?? 'done';
      if (r instanceof Error) throw r;
      return r;
    });
    const errors: number[] = [];
    const loop = loopWith(run, errors);
    loop.trigger();
    await vi.advanceTimersByTimeAsync(100 + 5 + 10 + 20 + 5);
    expect(run).toHaveBeenCalledTimes(4);
    expect(errors).toEqual([5, 10]); // thrown errors are reported with their retry delay
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(4);
    await loop.stop();
  });

  it('should not run after stop()', async () => {
    const run = vi.fn(async (): Promise<RunResult> => 'done');
    const loop = loopWith(run);
    loop.trigger();
    await loop.stop();
    loop.trigger();
    await vi.advanceTimersByTimeAsync(2000);
    expect(run).not.toHaveBeenCalled();
  });
});
