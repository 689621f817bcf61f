// Prometheus metrics of one operator instance. Each instance has its own Registry (not the
// prom-client global), so two replicas in one process (tests, embedding) do not collide.
// Beside l4gw's own `l4gw_*` families it exports what dashboards and alerts written for
// controller-runtime operators query (controller_runtime_*, workqueue_*, rest_client_*,
// leader_election_*), and prom-client's process_* / nodejs_* families under their standard names.

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
  buildInfo: 'l4gw_build_info',
  controllerReconcileTotal: 'controller_runtime_reconcile_total',
  controllerReconcileErrors: 'controller_runtime_reconcile_errors_total',
  controllerReconcileTime: 'controller_runtime_reconcile_time_seconds',
  workqueueDepth: 'workqueue_depth',
  restClientRequests: 'rest_client_requests_total',
  leaderElectionStatus: 'leader_election_master_status',
} as const;

/** The `controller` (and workqueue `name`) label value of the controller-runtime families. */
export const CONTROLLER_LABEL = 'l4gw';

/** l4gw's reconcile results in controller-runtime's vocabulary (success, error, requeue). */
const CONTROLLER_RUNTIME_RESULT: Readonly<Record<string, string>> = {
  success: 'success',
  error: 'error',
  conflict: 'requeue',
  yielded: 'requeue',
};

const RECONCILE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface MetricsIdentity {
  /** The running l4gw version, for l4gw_build_info. */
  readonly version: string;
  /** The leader-election Lease name, the `name` label of leader_election_master_status. */
  readonly leaseName: string;
}

// One line per metric below: every family registers with the instance's own registry.
function counter(registry: Registry, name: string, help: string, labelNames: readonly string[]): Counter {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string, labelNames: readonly string[]): Gauge {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

function histogram(registry: Registry, name: string, help: string, labelNames: readonly string[], buckets: number[]): Histogram {
  return new Histogram({ name, help, labelNames, buckets, registers: [registry] });
}

export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconcileDuration = histogram(this.registry, METRIC_NAMES.reconcileDuration, 'Time of one reconcile: snapshot, core reconcile and plan, and the API writes.', ['result'], RECONCILE_BUCKETS);
  readonly reconcileTotal = counter(this.registry, METRIC_NAMES.reconcileTotal, 'Reconciles by result (success, conflict, yielded, error).', ['result']);
  readonly apiWrites = counter(this.registry, METRIC_NAMES.apiWrites, 'API writes issued, by kind, verb (apply, create, update, updateStatus, delete) and result.', ['kind', 'verb', 'result']);
  readonly queueDepth = gauge(this.registry, METRIC_NAMES.queueDepth, 'Pending reconciles (the loop coalesces every change into at most one).', []);
  readonly poolCapacity = gauge(this.registry, METRIC_NAMES.poolCapacity, 'Addresses in each IPAM pool (IP7); IPv6 pools may exceed float precision.', ['pool', 'family']);
  readonly poolUsed = gauge(this.registry, METRIC_NAMES.poolUsed, 'Addresses in use in each IPAM pool (IP7).', ['pool', 'family']);
  readonly leader = gauge(this.registry, METRIC_NAMES.leader, '1 while this replica is the leader (the only one that writes), else 0.', []);
  readonly informerSynced = gauge(this.registry, METRIC_NAMES.informerSynced, '1 once the informer of a resource has completed its initial list.', ['resource']);
  readonly events = counter(this.registry, METRIC_NAMES.events, 'Kubernetes Events emitted, by reason (after de-duplication).', ['reason']);
  readonly buildInfo = gauge(this.registry, METRIC_NAMES.buildInfo, 'Always 1; the labels say which l4gw and Node.js versions run.', ['version', 'node_version']);
  readonly controllerReconcileTotal = counter(this.registry, METRIC_NAMES.controllerReconcileTotal, 'Reconciles per controller and result (controller-runtime compatible).', ['controller', 'result']);
  readonly controllerReconcileErrors = counter(this.registry, METRIC_NAMES.controllerReconcileErrors, 'Reconciles that failed, per controller (controller-runtime compatible).', ['controller']);
  readonly controllerReconcileTime = histogram(this.registry, METRIC_NAMES.controllerReconcileTime, 'Time per reconcile, per controller (controller-runtime compatible).', ['controller'], RECONCILE_BUCKETS);
  readonly workqueueDepth = gauge(this.registry, METRIC_NAMES.workqueueDepth, 'Pending reconciles (client-go workqueue compatible).', ['controller', 'name']);
  readonly restClientRequests = counter(this.registry, METRIC_NAMES.restClientRequests, 'Requests to the API server by status code (<error> when none came), method and host (client-go compatible).', ['code', 'method', 'host']);
  readonly leaderElectionStatus = gauge(this.registry, METRIC_NAMES.leaderElectionStatus, '1 while this replica holds the leader-election Lease, else 0 (client-go compatible).', ['name']);
  /** Total API writes, for tests and the bench (the counter above, summed). */
  writes = 0;
  readonly #leaseName: string;

  constructor(identity: MetricsIdentity = { version: 'unknown', leaseName: 'l4gw-leader-election' }) {
    this.#leaseName = identity.leaseName;
    collectDefaultMetrics({ register: this.registry });
    this.buildInfo.set({ version: identity.version, node_version: process.version }, 1);
    this.workqueueDepth.set({ controller: CONTROLLER_LABEL, name: CONTROLLER_LABEL }, 0);
    this.controllerReconcileErrors.inc({ controller: CONTROLLER_LABEL }, 0);
  }

  /** One finished reconcile, in both vocabularies. */
  observeReconcile(result: string, seconds: number): void {
    this.reconcileDuration.observe({ result }, seconds);
    this.reconcileTotal.inc({ result });
    this.controllerReconcileTime.observe({ controller: CONTROLLER_LABEL }, seconds);
    this.controllerReconcileTotal.inc({ controller: CONTROLLER_LABEL, result: CONTROLLER_RUNTIME_RESULT[result] ?? result });
    if (result === 'error') this.controllerReconcileErrors.inc({ controller: CONTROLLER_LABEL });
  }

  setQueueDepth(depth: number): void {
    this.queueDepth.set(depth);
    this.workqueueDepth.set({ controller: CONTROLLER_LABEL, name: CONTROLLER_LABEL }, depth);
  }

  setLeader(leading: boolean): void {
    this.leader.set(leading ? 1 : 0);
    this.leaderElectionStatus.set({ name: this.#leaseName }, leading ? 1 : 0);
  }

  countRequest(method: string, code: string, host: string): void {
    this.restClientRequests.inc({ code, method, host });
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
