// A tiny benchmark harness shared by every section of `pnpm bench` (ipam, core, e2e).
//
//   import { measure, printTable, formatMs } from './lib.ts';
//   const r = measure('allocate in /24', () => space.allocate(pool, 'IPv4'), { setup: () => ..., runs: 200 });
//   printTable('IPAM', ['case', 'median', 'p95'], [[r.name, formatMs(r.medianMs), formatMs(r.p95Ms)]]);
//
// Rules: wall-clock time with performance.now(); warm-up runs first (JIT), then `runs` timed runs;
// the median and the 95th percentile are reported, never the mean (one GC pause would skew it).
// Untimed per-run preparation goes in `setup`, whose result is handed to the measured function.
// Bench files run directly on Node 24 (type stripping): erasable TypeScript only.

/** Timing of one measured case, in milliseconds. */
export interface Measurement {
  readonly name: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
  /**
   * Median CPU time of the process per call (user + system, all threads: includes parallel GC).
   * Less disturbed than wall time when other work shares the machine; coarse below ~1 ms.
   */
  readonly cpuMedianMs: number;
}

export interface MeasureOptions<S> {
  /** Untimed runs before measuring (default 3). */
  readonly warmup?: number;
  /** Timed runs (default 20). */
  readonly runs?: number;
  /** Untimed preparation before each run (warm-up included); its result is passed to the function. */
  readonly setup?: () => S;
  /** Number of calls per timed run, for operations too fast to time alone (default 1); times are per call. */
  readonly batch?: number;
}

/** Keeps results reachable so the JIT cannot drop the measured work. */
let sink: unknown;

/** Measures `fn` (sync or async) and returns median / p95 / min / max per call. */
export async function measure<S = undefined>(
  name: string,
  fn: (state: S) => unknown,
  options: MeasureOptions<S> = {},
): Promise<Measurement> {
  const warmup = options.warmup ?? 3;
  const runs = options.runs ?? 20;
  const batch = options.batch ?? 1;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  collectGarbage();
  for (let i = 0; i < warmup + runs; i++) {
    const states: S[] = [];
    for (let b = 0; b < batch; b++) states.push(options.setup === undefined ? (undefined as S) : options.setup());
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    for (let b = 0; b < batch; b++) {
      const result = fn(states[b] as S);
      sink = result instanceof Promise ? await result : result;
    }
    const elapsed = (performance.now() - start) / batch;
    const cpu = process.cpuUsage(cpuStart);
    if (i >= warmup) {
      times.push(elapsed);
      cpuTimes.push((cpu.user + cpu.system) / 1000 / batch);
    }
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  return {
    name,
    runs,
    medianMs: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    minMs: times[0] ?? 0,
    maxMs: times[times.length - 1] ?? 0,
    cpuMedianMs: percentile(cpuTimes, 0.5),
  };
}

/** Times one call of `fn` (for cases too slow to repeat, e.g. end-to-end runs), in ms. */
export async function timeOnce(fn: () => unknown): Promise<number> {
  collectGarbage();
  const start = performance.now();
  const result = fn();
  sink = result instanceof Promise ? await result : result;
  return performance.now() - start;
}

/** The machine's load average over the last minute and its CPU count, for the report header. */
export function machineLoad(): string {
  const os = process.getBuiltinModule('node:os');
  return `load ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} CPUs`;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** "12.3 µs", "1.23 ms", "456 ms", "12.3 s": three significant digits, unit chosen by size. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatMs(-ms)}`; // a difference of two clocks' readings may be
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  // toPrecision would switch to exponent notation from 1,000 s on.
  if (ms < 1_000_000) return `${(ms / 1000).toPrecision(3)} s`;
  return `${(ms / 1000).toFixed(0)} s`;
}

/** "123 MiB" */
export function formatMiB(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** "1.85x" */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}

/** A target check for a table cell: "ok (< 1 ms)" or "MISSED (< 1 ms)". */
export function verdict(passed: boolean, target: string): string {
  return `${passed ? 'ok' : 'MISSED'} (${target})`;
}

/**
 * Prints a titled table with aligned columns: text left-aligned, cells that look numeric
 * (durations, counts, ratios) right-aligned.
 */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = (cell: string): boolean => /^[-+]?[\d.,]+\s*(µs|ms|s|x|%)?$/.test(cell);
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (numeric(cell) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  console.log(`\n${title}\n${'='.repeat(title.length)}`);
  console.log(line(header));
  console.log(rule);
  for (const row of rows) console.log(line(row));
}

/** Runs a full GC when Node was started with --expose-gc (as `pnpm bench` does). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** A small deterministic PRNG (mulberry32), so benchmark inputs are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Keeps `value` reachable until the next call (e.g. while the heap it holds is measured). */
export function keepAlive(value: unknown): void {
  sink = value;
}

/**
 * The live JS heap in bytes after a full GC, or undefined when Node was started without
 * --expose-gc (heapUsed would then count garbage not yet collected).
 */
export function liveHeapBytes(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  gc();
  return process.memoryUsage().heapUsed;
}

/** Keeps the last result alive (exported so tools cannot prove it unused). */
export function lastResult(): unknown {
  return sink;
}

/**
 * The command-line flags a bench section accepts (bench/run.ts parses them with util.parseArgs):
 * flag name → its default and a one-line help. Values arrive as strings.
 */
export type SectionFlags = Readonly<Record<string, { readonly type: 'string'; readonly default: string; readonly help: string }>>;
