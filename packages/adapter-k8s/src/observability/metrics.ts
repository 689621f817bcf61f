// Prometheus metrics of one operator instance. Each instance has its own Registry (not the
// prom-client global), so two replicas in one process (tests, embedding) do not collide.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolUsage } from '@l4gw/core';

/** Metric names, exported for the README and dashboards. */
export const METRIC_NAMES = {
  reconcileDuration: 'l4gw_reconcile_duration_seconds',
  reconcileTotal: 'l4gw_reconcile_total',
  apiWrites: 'l4gw_api_writes_total',
  queueDepth: 'l4gw_queue_depth',
  poolCapacity: 'l4gw_pool_capacity_addresses',
  poolUsed: 'l4gw_pool_used_addresses',
  leader: 'l4gw_leader',
  informerSynced: 'l4gw_informer_synced',
  events: 'l4gw_events_total',
} as const;

export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconcileDuration = new Histogram({
    name: METRIC_NAMES.reconcileDuration,
    help: 'Time of one reconcile: snapshot, core reconcile and plan, and the API writes.',
    labelNames: ['result'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly reconcileTotal = new Counter({
    name: METRIC_NAMES.reconcileTotal,
    help: 'Reconciles by result (success, conflict, yielded, error).',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly apiWrites = new Counter({
    name: METRIC_NAMES.apiWrites,
    help: 'API writes issued, by kind, verb (apply, create, update, updateStatus, delete) and result.',
    labelNames: ['kind', 'verb', 'result'],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: METRIC_NAMES.queueDepth,
    help: 'Pending reconciles (the loop coalesces every change into at most one).',
    registers: [this.registry],
  });
  readonly poolCapacity = new Gauge({
    name: METRIC_NAMES.poolCapacity,
    help: 'Addresses in each IPAM pool (IP7); IPv6 pools may exceed float precision.',
    labelNames: ['pool', 'family'],
    registers: [this.registry],
  });
  readonly poolUsed = new Gauge({
    name: METRIC_NAMES.poolUsed,
    help: 'Addresses in use in each IPAM pool (IP7).',
    labelNames: ['pool', 'family'],
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: METRIC_NAMES.leader,
    help: '1 while this replica is the leader (the only one that writes), else 0.',
    registers: [this.registry],
  });
  readonly informerSynced = new Gauge({
    name: METRIC_NAMES.informerSynced,
    help: '1 once the informer of a resource has completed its initial list.',
    labelNames: ['resource'],
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: METRIC_NAMES.events,
    help: 'Kubernetes Events emitted, by reason (after de-duplication).',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  /** Total API writes, for tests and the bench (the counter above, summed). */
  writes = 0;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'l4gw_' });
  }

  countWrite(kind: string, verb: string, result: string): void {
    this.writes++;
    this.apiWrites.inc({ kind, verb, result });
  }

  /** Replaces the pool gauges with the latest report (pools may appear and disappear). */
  setPools(usage: readonly PoolUsage[]): void {
    this.poolCapacity.reset();
    this.poolUsed.reset();
    for (const p of usage) {
      this.poolCapacity.set({ pool: p.pool, family: p.family }, Number(p.capacity));
      this.poolUsed.set({ pool: p.pool, family: p.family }, Number(p.used));
    }
  }
}
