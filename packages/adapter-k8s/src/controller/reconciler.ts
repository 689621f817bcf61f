// One reconcile of the whole cluster: the core engine (fed by the informers as they change,
// cache/cluster-cache.ts) → its reconcile and plan → writes → events, with metrics and logs.
// The loop (loop.ts) decides when it runs; this decides nothing but how.

import type { Diagnostic, Engine, KubeObject } from '@l4gw/core';
import type { ClusterCache } from '../cache/cluster-cache.js';
import type { Writer } from '../kube/writer.js';
import type { GatewayNotices } from '../observability/gateway-notices.js';
import type { EventRecorder } from '../observability/events.js';
import type { Logger } from '../observability/logger.js';
import type { OperatorMetrics } from '../observability/metrics.js';
import type { RunResult } from './loop.js';
import type { ReleasedAddresses } from './released-addresses.js';

export interface ReconcilerOptions {
  readonly cache: ClusterCache;
  /** core's engine, holding what the cache holds. */
  readonly engine: Engine;
  readonly writer: Writer;
  readonly events: EventRecorder;
  readonly metrics: OperatorMetrics;
  readonly log: Logger;
  /** Log lines and Normal Events for Gateways' addresses and Programmed (the writer feeds it). */
  readonly notices: GatewayNotices;
  /** Only the leader reconciles (R4); never after shutdown began. */
  readonly mayRun: () => boolean;
  /** True when changes arrived since this run's snapshot (ReconcileLoop.hasPending). */
  readonly changesPending: () => boolean;
  /** A run that has written this long yields to pending changes. */
  readonly writeYieldMs: number;
  /** IP8: addresses released a moment ago, which IPAM holds back for a few seconds. */
  readonly released: ReleasedAddresses;
  /** Asks for a run at `atMs` (ms since the epoch): when held-back addresses become free again. */
  readonly wakeAt: (atMs: number) => void;
}

type Result = 'success' | 'conflict' | 'yielded' | 'error';

export class Reconciler {
  private count = 0;
  private waiters: { after: number; resolve: () => void }[] = [];
  private lastDiagnostics = new Set<string>();
  private heldBackFed: readonly string[] | undefined;

  constructor(private readonly opts: ReconcilerOptions) {}

  /** Runs started so far (any result). */
  runs(): number {
    return this.count;
  }

  /** Resolves after a run that starts after this call completes with every write applied. */
  whenReconciled(): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ after: this.count, resolve }));
  }

  /**
   * One reconcile; the loop's contract: 'retry' or a throw backs off, 'done' resets.
   * `queuedMs` (how long its oldest change waited for it) is only logged.
   */
  async run(queuedMs = 0): Promise<RunResult> {
    const { cache, engine, writer, events, metrics, log } = this.opts;
    // R2: never on a partial view; nothing to do without the Gateway API.
    if (!cache.hasSynced() || !cache.servesGateways() || !this.opts.mayRun()) return 'done';
    const startedAt = performance.now();
    const run = ++this.count;
    let result: Result = 'error';
    try {
      this.opts.notices.observe(engine.snapshot().gateways as KubeObject[]);
      this.feedHeldBack();
      // Conditions carry RFC 3339 times with second precision, like metav1.Time.
      const desired = engine.reconcile(new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
      this.opts.released.observe(desired.addresses, Date.now());
      const nextRelease = this.opts.released.nextRelease();
      if (nextRelease !== undefined) this.opts.wakeAt(nextRelease);
      const reconciledAt = performance.now();
      const actions = engine.plan(desired);
      const plannedAt = performance.now();
      metrics.setPools(desired.poolUsage);
      this.logDiagnostics(desired.diagnostics);
      // Bounded latency under load: once writes have run for writeYieldMs and newer changes are
      // waiting, stop and re-plan with them instead of finishing a plan made from older state.
      const outcome = await writer.applyAll(
        actions,
        () => this.opts.changesPending() && performance.now() - plannedAt > this.opts.writeYieldMs,
      );
      if (actions.length > 0) {
        log.debug('reconciled', {
          actions: actions.length,
          applied: outcome.applied,
          conflicts: outcome.conflicts,
          errors: outcome.errors.length,
          yielded: outcome.yielded,
          queuedMs,
          reconcileMs: Math.round(reconciledAt - startedAt),
          planMs: Math.round(plannedAt - reconciledAt),
          writeMs: Math.round(performance.now() - plannedAt),
        });
      }
      await events.record([...desired.events, ...this.opts.notices.drain()]);
      if (outcome.errors.length > 0) {
        const first = outcome.errors.slice(0, 3).map((e) => e.message).join('; ');
        const more = outcome.errors.length > 3 ? ` (and ${outcome.errors.length - 3} more)` : '';
        throw new AggregateError(outcome.errors, `${outcome.errors.length} writes failed: ${first}${more}`);
      }
      if (outcome.conflicts > 0) {
        result = 'conflict'; // R3: re-reconcile from fresh state after a short backoff
        return 'retry';
      }
      // A yielded run is not complete; the loop runs again at once because changes are pending.
      result = outcome.yielded ? 'yielded' : 'success';
      return 'done';
    } finally {
      metrics.observeReconcile(result, (performance.now() - startedAt) / 1000);
      if (result === 'success') {
        const ready = this.waiters.filter((w) => w.after < run);
        this.waiters = this.waiters.filter((w) => w.after >= run);
        for (const w of ready) w.resolve();
      }
    }
  }

  /** IP8: tells the engine which addresses to hold back now, when that changed. */
  private feedHeldBack(): void {
    const heldBack = this.opts.released.heldBack(Date.now());
    if (heldBack === this.heldBackFed) return;
    this.heldBackFed = heldBack;
    this.opts.engine.apply({ type: 'heldBackAddresses', addresses: heldBack });
  }

  /** Core repeats its diagnostics on every run; log each one once, when it appears. */
  private logDiagnostics(diagnostics: readonly Diagnostic[]): void {
    const current = new Set(diagnostics.map((d) => JSON.stringify(d)));
    for (const d of diagnostics) {
      if (this.lastDiagnostics.has(JSON.stringify(d))) continue;
      const object = d.object ? `${d.object.kind}/${d.object.namespace ?? ''}/${d.object.name}` : undefined;
      this.opts.log[d.severity === 'error' ? 'error' : 'warn'](d.message, object ? { object } : {});
    }
    this.lastDiagnostics = current;
  }
}
