// The composition root: informers -> snapshot -> core.reconcile -> core.plan -> writer, with
// leader election, metrics, probes, events and graceful shutdown around it. No business rule
// lives here: anything testable without a cluster belongs in core (docs/architecture.md).

import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { createEngine } from '@l4gw/core';
import { ClusterCache } from './cache/cluster-cache.js';
import { DiscoveryWatcher } from './cache/discovery-watcher.js';
import { ReconcileLoop } from './controller/loop.js';
import { Reconciler } from './controller/reconciler.js';
import { ReleasedAddresses } from './controller/released-addresses.js';
import { KubeRest } from './kube/rest.js';
import { Writer } from './kube/writer.js';
import { LeaderElector } from './leaderelection/elector.js';
import { GatewayNotices } from './observability/gateway-notices.js';
import { EventRecorder } from './observability/events.js';
import { parseBindAddress, serve, type HttpEndpoint } from './observability/http.js';
import { createLogger, type Logger } from './observability/logger.js';
import { OperatorMetrics } from './observability/metrics.js';
import { OPERATOR_DEFAULTS, type OperatorOptions, type ResolvedOptions } from './options.js';
import { errorText } from './kube/error-text.js';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A running operator. */
export interface OperatorHandle {
  /** This replica's identity (Lease holder, Event reportingInstance). */
  readonly identity: string;
  /** Actual `host:port` of the metrics endpoint, when enabled. */
  readonly metricsAddress: string | undefined;
  /** Actual `host:port` of /healthz and /readyz, when enabled. */
  readonly healthProbeAddress: string | undefined;
  readonly metrics: OperatorMetrics;
  readonly log: Logger;
  isLeader(): boolean;
  /** Informers synced, and leader or standby (what /readyz reports). */
  isReady(): boolean;
  /** Total API writes issued (object writes, status writes, deletes, events). */
  writes(): number;
  /** Completed reconciles (any result). */
  reconciles(): number;
  /** Resolves when all informers have listed (R2). */
  whenSynced(): Promise<void>;
  /** Resolves after a reconcile that started after this call has completed successfully. */
  whenReconciled(): Promise<void>;
  /** The cluster cache (tests: informer internals such as relist counts). */
  readonly cache: ClusterCache;
  /** Stops gracefully: no more writes, Lease released, watches closed, endpoints closed. */
  stop(): Promise<void>;
  /** Resolves once stopped (by stop() or a signal). */
  readonly done: Promise<void>;
}

function resolveOptions(options: OperatorOptions): ResolvedOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...OPERATOR_DEFAULTS, identity: defaultIdentity(), ...defined } as ResolvedOptions;
}

function defaultIdentity(): string {
  return `${hostname()}_${randomUUID().slice(0, 8)}`;
}

/**
 * client-go's order: the path given, else `$KUBECONFIG`, else in-cluster, else `~/.kube/config`.
 * (The CLI merges several `$KUBECONFIG` entries as client-go does; this embedder default takes
 * client-node's reading of them.)
 */
export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else if (process.env['KUBECONFIG']) kc.loadFromDefault();
  else if (existsSync(`${SERVICE_ACCOUNT_DIR}/token`) && process.env['KUBERNETES_SERVICE_HOST']) kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}

/** `host:port` of the API server, the `host` label of rest_client_requests_total. */
function hostOf(kc: KubeConfig): string {
  const server = kc.getCurrentCluster()?.server ?? '';
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

function defaultLeaseNamespace(): string {
  try {
    return readFileSync(`${SERVICE_ACCOUNT_DIR}/namespace`, 'utf8').trim() || 'kube-system';
  } catch {
    return 'kube-system';
  }
}


/**
 * Starts the l4gw operator: binds the metrics and probe endpoints (failing fast on a bad or busy
 * address), then in the background discovers the served Gateway API versions, starts the
 * informers, campaigns for leadership when `leaderElect` is set, and reconciles on every change
 * once every informer has listed (R2). Returns a handle whose `stop()` shuts down gracefully;
 * with `handleSignals` (default) SIGTERM and SIGINT do the same.
 */
export async function runOperator(options: OperatorOptions = {}): Promise<OperatorHandle> {
  const o = resolveOptions(options);
  const log = createLogger(o.logLevel, o.logFormat, o.logSink, { identity: o.identity });
  const kc = o.kubeConfig ?? loadKubeConfig(o.kubeconfig);
  const metrics = new OperatorMetrics({ version: o.version, leaseName: o.leaderElectionId });
  const apiHost = hostOf(kc);
  const rest = new KubeRest(kc, undefined, (method, code) => metrics.countRequest(method, code, apiHost));
  let stopped = false;
  let leading = !o.leaderElect;
  metrics.setLeader(leading);
  let elector: LeaderElector | undefined;

  // One engine for the one cluster this operator reconciles: the informers feed it every change.
  const engine = (o.engine ?? createEngine)({
    controllerName: o.controllerName,
    serviceBehaviour: o.serviceBehaviour,
    lbAnnotations: o.lbAnnotations,
    ...(o.loadBalancerClass ? { loadBalancerClass: o.loadBalancerClass } : {}),
    ipamConfigMap: o.ipamConfigMap,
    pinAddresses: o.pinAddresses,
    allowUnpooledAddresses: o.allowUnpooledAddresses,
  });
  const cache = new ClusterCache({
    rest,
    log,
    ipamConfigMap: o.ipamConfigMap,
    onChange: () => loop.trigger(),
    feed: (delta) => engine.apply(delta),
    onSynced: (resource, synced) => metrics.informerSynced.set({ resource }, synced ? 1 : 0),
  });
  const notices = new GatewayNotices(log);
  const writer = new Writer(
    rest,
    {
      lookup: (ref) => cache.lookup(ref),
      written: (obj) => {
        cache.recordWrite(obj);
        notices.written(obj);
      },
      deleted: (ref, uid) => cache.recordDelete(ref, uid),
      count: (kind, verb, result) => metrics.countWrite(kind, verb, result),
      mayWrite: () => leading && !stopped,
      onWrite: (record) => (record.result === 'error' ? log.warn : log.info)('write', { ...record }),
    },
    o.writeConcurrency,
  );
  const events = new EventRecorder({
    rest,
    log,
    controller: o.controllerName,
    instance: o.identity,
    windowMs: o.eventWindowMs,
    lookup: (ref) => cache.lookup(ref),
    count: (reason, result) => {
      metrics.events.inc({ reason });
      metrics.countWrite('Event', 'create', result);
    },
  });
  // IP8: one timer for the earliest moment a held-back address is free again.
  let releaseWake: { at: number; timer: NodeJS.Timeout } | undefined;
  const wakeAt = (atMs: number): void => {
    if (stopped || (releaseWake !== undefined && releaseWake.at <= atMs)) return;
    if (releaseWake !== undefined) clearTimeout(releaseWake.timer);
    const timer = setTimeout(() => {
      releaseWake = undefined;
      loop.trigger();
    }, Math.max(0, atMs - Date.now()));
    timer.unref();
    releaseWake = { at: atMs, timer };
  };
  const reconciler = new Reconciler({
    cache,
    engine,
    writer,
    events,
    metrics,
    log,
    notices,
    mayRun: () => leading && !stopped,
    changesPending: () => loop.hasPending(),
    writeYieldMs: o.writeYieldMs,
    released: new ReleasedAddresses(o.addressHoldMs),
    wakeAt,
  });
  const loop: ReconcileLoop = new ReconcileLoop({
    debounceMs: o.debounceMs,
    maxDelayMs: o.maxDelayMs,
    backoffBaseMs: o.backoffBaseMs,
    backoffMaxMs: o.backoffMaxMs,
    run: (queuedMs) => reconciler.run(queuedMs),
    onError: (err, retryInMs) => log.error('reconcile failed', { error: errorText(err), retryInMs }),
    onDepth: (d) => metrics.setQueueDepth(d),
  });

  // Endpoints first, so a bad address fails runOperator itself.
  const isReady = (): boolean => !stopped && cache.hasSynced() && (leading || elector !== undefined);
  const endpoints = await serveEndpoints(o, metrics, isReady, () => stopped);

  const discovery = new DiscoveryWatcher({
    rest,
    log,
    periodMs: o.discoveryPeriodMs,
    onChange: (d) => cache.setDiscovery(d),
  });
  let resync: NodeJS.Timeout | undefined;

  const boot = async (): Promise<void> => {
    const first = await discovery.start();
    if (!first || stopped) return;
    if (!first.types.gateways || !first.types.gatewayClasses) {
      log.warn('the Gateway API (GatewayClass, Gateway v1) is not served; waiting for its CRDs');
    }
    log.info('starting informers', { kinds: Object.values(first.types).map((t) => `${t?.kind}.${t?.version}`) });
    cache.start(first);
    resync = setInterval(() => {
      cache.relistAll();
      loop.trigger();
    }, o.resyncPeriodMs);
    if (o.leaderElect) {
      elector = new LeaderElector({
        rest,
        namespace: o.leaderElectionNamespace ?? defaultLeaseNamespace(),
        name: o.leaderElectionId,
        identity: o.identity,
        leaseDurationMs: o.leaseDurationMs,
        renewDeadlineMs: o.renewDeadlineMs,
        retryPeriodMs: o.retryPeriodMs,
        log: log.child({ component: 'leaderelection' }),
        onStartedLeading: () => {
          leading = true;
          metrics.setLeader(true);
          loop.trigger();
        },
        onStoppedLeading: () => {
          leading = false;
          metrics.setLeader(false);
        },
      });
      elector.start();
    }
  };
  const booting = boot();

  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info('received signal; shutting down', { signal });
    void stop();
  };
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      stopped = true;
      clearInterval(resync);
      if (releaseWake !== undefined) clearTimeout(releaseWake.timer);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await discovery.stop(); // also ends a boot still waiting for the API server
      await booting;
      clearInterval(resync);
      await loop.stop(); // waits for the reconcile in flight: no write after this
      leading = false;
      metrics.setLeader(false);
      await elector?.stop(); // releases the Lease
      await cache.stop();
      await Promise.all(endpoints.map((e) => e.close()));
      log.info('stopped');
      resolveDone();
    })();
    return stopping;
  };
  if (o.handleSignals) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  return {
    identity: o.identity,
    metricsAddress: endpoints.find((e) => e.name === 'metrics')?.address,
    healthProbeAddress: endpoints.find((e) => e.name === 'health')?.address,
    metrics,
    log,
    cache,
    isLeader: () => leading,
    isReady,
    writes: () => metrics.writes,
    reconciles: () => reconciler.runs(),
    whenSynced: async () => {
      await booting;
      if (!stopped) await cache.whenSynced();
    },
    whenReconciled: () => {
      const reconciled = reconciler.whenReconciled();
      loop.trigger();
      return reconciled;
    },
    stop,
    done,
  };
}

const METRICS_FLAG = '-metrics-bind-address';
const HEALTH_FLAG = '-health-probe-bind-address';

/** Starts /metrics and /healthz + /readyz as configured; closes what it opened if one fails. */
async function serveEndpoints(
  o: ResolvedOptions,
  metrics: OperatorMetrics,
  isReady: () => boolean,
  isStopped: () => boolean,
): Promise<(HttpEndpoint & { name: 'metrics' | 'health' })[]> {
  const endpoints: (HttpEndpoint & { name: 'metrics' | 'health' })[] = [];
  try {
    const metricsBind = parseBindAddress(o.metricsBindAddress, METRICS_FLAG);
    if (metricsBind) {
      const ep = await serve(metricsBind, METRICS_FLAG, o.metricsBindAddress, {
        '/metrics': async () => ({
          status: 200,
          body: await metrics.registry.metrics(),
          contentType: metrics.registry.contentType,
        }),
      });
      endpoints.push({ ...ep, name: 'metrics' });
    }
    const healthBind = parseBindAddress(o.healthProbeBindAddress, HEALTH_FLAG);
    if (healthBind) {
      const ep = await serve(healthBind, HEALTH_FLAG, o.healthProbeBindAddress, {
        '/healthz': async () => (isStopped() ? { status: 503, body: 'stopping\n' } : { status: 200, body: 'ok\n' }),
        '/readyz': async () => (isReady() ? { status: 200, body: 'ok\n' } : { status: 503, body: 'not ready\n' }),
      });
      endpoints.push({ ...ep, name: 'health' });
    }
  } catch (err) {
    await Promise.all(endpoints.map((e) => e.close()));
    throw err;
  }
  return endpoints;
}
