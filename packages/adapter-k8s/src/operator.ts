// The composition root: informers -> snapshot -> core.reconcile -> core.plan -> writer, with
// leader election, metrics, probes, events and graceful shutdown around it. No business rule
// lives here (DESIGN.md: anything testable without a cluster belongs in core).

import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { plan, reconcile, type Diagnostic, type ReconcileOptions } from '@l4gw/core';
import { ClusterCache } from './cache/cluster-cache.js';
import { discover, discoveryKey, stabilizeDiscovery, type Discovery, type GatewayKind } from './cache/discovery.js';
import { Informer, sleep } from './cache/informer.js';
import { CORE_TYPES } from './kube/resources.js';
import { ReconcileLoop, type RunResult } from './controller/loop.js';
import { KubeRest } from './kube/rest.js';
import { Writer } from './kube/writer.js';
import { LeaderElector } from './leaderelection/elector.js';
import { EventRecorder } from './observability/events.js';
import { parseBindAddress, serve, type HttpEndpoint } from './observability/http.js';
import { createLogger, type Logger } from './observability/logger.js';
import { OperatorMetrics } from './observability/metrics.js';
import { OPERATOR_DEFAULTS, type OperatorOptions, type ReconcileEngine, type ResolvedOptions } from './options.js';

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

/** DESIGN.md: `-kubeconfig`, else in-cluster, else `$KUBECONFIG`, else `~/.kube/config`. */
export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else if (existsSync(`${SERVICE_ACCOUNT_DIR}/token`) && process.env['KUBERNETES_SERVICE_HOST']) kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}

function defaultLeaseNamespace(): string {
  try {
    return readFileSync(`${SERVICE_ACCOUNT_DIR}/namespace`, 'utf8').trim() || 'kube-system';
  } catch {
    return 'kube-system';
  }
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

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
  const engine: ReconcileEngine = o.engine ?? { reconcile, plan };
  const kc = o.kubeConfig ?? loadKubeConfig(o.kubeconfig);
  const rest = new KubeRest(kc);
  const metrics = new OperatorMetrics();
  let stopped = false;
  let leading = !o.leaderElect;
  metrics.leader.set(leading ? 1 : 0);
  let reconcileCount = 0;
  let reconcileWaiters: { after: number; resolve: () => void }[] = [];
  let lastDiagnostics = new Set<string>();

  const cache = new ClusterCache({
    rest,
    log,
    ipamConfigMap: o.ipamConfigMap,
    onChange: () => loop.trigger(),
    onSynced: (resource, synced) => metrics.informerSynced.set({ resource }, synced ? 1 : 0),
  });
  let elector: LeaderElector | undefined;
  const writer = new Writer(
    rest,
    {
      lookup: (ref) => cache.lookup(ref),
      written: (obj) => cache.recordWrite(obj),
      deleted: (ref, uid) => cache.recordDelete(ref, uid),
      count: (kind, verb, result) => metrics.countWrite(kind, verb, result),
      mayWrite: () => leading && !stopped,
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

  const reconcileOptions = (): ReconcileOptions => ({
    controllerName: o.controllerName,
    serviceBehaviour: o.serviceBehaviour,
    lbAnnotations: o.lbAnnotations,
    ...(o.loadBalancerClass ? { loadBalancerClass: o.loadBalancerClass } : {}),
    ipamConfigMap: o.ipamConfigMap,
    pinAddresses: o.pinAddresses,
    allowUnpooledAddresses: o.allowUnpooledAddresses,
    // Conditions carry RFC 3339 times with second precision, like metav1.Time.
    now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });

  const logDiagnostics = (diagnostics: readonly Diagnostic[]): void => {
    // Core repeats its diagnostics on every run; log each one once, when it appears.
    const current = new Set(diagnostics.map((d) => JSON.stringify(d)));
    for (const d of diagnostics) {
      if (lastDiagnostics.has(JSON.stringify(d))) continue;
      const object = d.object ? `${d.object.kind}/${d.object.namespace ?? ''}/${d.object.name}` : undefined;
      log[d.severity === 'error' ? 'error' : 'warn'](d.message, object ? { object } : {});
    }
    lastDiagnostics = current;
  };

  const reconcileOnce = async (): Promise<RunResult> => {
    if (!cache.hasSynced() || !cache.servesGateways() || !leading || stopped) return 'done';
    const startedAt = performance.now();
    const run = ++reconcileCount;
    let result: 'success' | 'conflict' | 'yielded' | 'error' = 'error';
    try {
      const snapshot = cache.snapshot();
      const t0 = performance.now();
      const desired = engine.reconcile(snapshot, reconcileOptions());
      const t1 = performance.now();
      const actions = engine.plan(desired, snapshot);
      const t2 = performance.now();
      metrics.setPools(desired.poolUsage);
      logDiagnostics(desired.diagnostics);
      // Bounded latency under load: once writes have run for writeYieldMs and newer changes are
      // waiting, stop and re-plan with them instead of finishing a plan made from older state.
      const writeStart = performance.now();
      const outcome = await writer.applyAll(
        actions,
        () => loop.hasPending() && performance.now() - writeStart > o.writeYieldMs,
      );
      if (actions.length > 0) {
        log.debug('reconciled', {
          actions: actions.length,
          applied: outcome.applied,
          conflicts: outcome.conflicts,
          errors: outcome.errors.length,
          yielded: outcome.yielded,
          reconcileMs: Math.round(t1 - t0),
          planMs: Math.round(t2 - t1),
          writeMs: Math.round(performance.now() - t2),
        });
      }
      await events.record(desired.events);
      if (outcome.errors.length > 0) {
        const first = outcome.errors.slice(0, 3).map((e) => e.message).join('; ');
        const more = outcome.errors.length > 3 ? ` (and ${outcome.errors.length - 3} more)` : '';
        throw new AggregateError(outcome.errors, `${outcome.errors.length} writes failed: ${first}${more}`);
      }
      if (outcome.conflicts > 0) {
        result = 'conflict';
        return 'retry';
      }
      // A yielded run is not complete; the loop runs again at once because changes are pending.
      result = outcome.yielded ? 'yielded' : 'success';
      return 'done';
    } finally {
      metrics.reconcileDuration.observe({ result }, (performance.now() - startedAt) / 1000);
      metrics.reconcileTotal.inc({ result });
      if (result === 'success') {
        const ready = reconcileWaiters.filter((w) => w.after < run);
        reconcileWaiters = reconcileWaiters.filter((w) => w.after >= run);
        for (const w of ready) w.resolve();
      }
    }
  };

  const loop: ReconcileLoop = new ReconcileLoop({
    debounceMs: o.debounceMs,
    maxDelayMs: o.maxDelayMs,
    backoffBaseMs: o.backoffBaseMs,
    backoffMaxMs: o.backoffMaxMs,
    run: reconcileOnce,
    onError: (err, retryInMs) => log.error('reconcile failed', { error: errorText(err), retryInMs }),
    onDepth: (d) => metrics.queueDepth.set(d),
  });

  // Endpoints first, so a bad address fails runOperator itself.
  const endpoints: HttpEndpoint[] = [];
  let metricsAddress: string | undefined;
  let healthProbeAddress: string | undefined;
  const metricsBind = parseBindAddress(o.metricsBindAddress);
  const healthBind = parseBindAddress(o.healthProbeBindAddress);
  if (metricsBind) {
    const ep = await serve(metricsBind, {
      '/metrics': async () => ({
        status: 200,
        body: await metrics.registry.metrics(),
        contentType: metrics.registry.contentType,
      }),
    });
    endpoints.push(ep);
    metricsAddress = ep.address;
  }
  const isReady = (): boolean => !stopped && cache.hasSynced() && (leading || elector !== undefined);
  if (healthBind) {
    try {
      const ep = await serve(healthBind, {
        '/healthz': async () => ({ status: stopped ? 503 : 200, body: stopped ? 'stopping\n' : 'ok\n' }),
        '/readyz': async () =>
          isReady() ? { status: 200, body: 'ok\n' } : { status: 503, body: 'informers not synced\n' },
      });
      endpoints.push(ep);
      healthProbeAddress = ep.address;
    } catch (err) {
      await Promise.all(endpoints.map((e) => e.close()));
      throw err;
    }
  }

  const background = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  let currentDiscovery = '';
  let lastDiscovery: Discovery = { types: {}, bundleVersions: undefined };
  let crdInformer: Informer | undefined;
  const discoveryMisses = new Map<GatewayKind, number>();

  const rediscover = async (): Promise<void> => {
    try {
      const d = stabilizeDiscovery(lastDiscovery, await discover(rest, background.signal), discoveryMisses);
      lastDiscovery = d;
      const key = discoveryKey(d);
      if (key !== currentDiscovery) {
        currentDiscovery = key;
        await cache.setDiscovery(d);
      }
    } catch (err) {
      log.warn('Gateway API discovery failed', { error: errorText(err) });
    }
  };

  const boot = async (): Promise<void> => {
    let first: Discovery | undefined;
    for (let delay = 100; !first && !stopped; delay = Math.min(delay * 2, 30_000)) {
      try {
        first = await discover(rest, background.signal);
      } catch (err) {
        log.warn('Gateway API discovery failed; retrying', { error: errorText(err), retryInMs: delay });
        await sleep(delay, background.signal);
      }
    }
    if (!first || stopped) return;
    currentDiscovery = discoveryKey(first);
    lastDiscovery = first;
    if (!first.types.gateways || !first.types.gatewayClasses) {
      log.warn('the Gateway API (GatewayClass, Gateway v1) is not served; waiting for its CRDs');
    }
    log.info('starting informers', {
      kinds: Object.values(first.types).map((t) => `${t?.kind}.${t?.version}`),
    });
    cache.start(first);
    timers.push(setInterval(() => void rediscover(), o.discoveryPeriodMs));
    if (first.bundleVersions !== undefined) {
      // CRDs are readable: react to Gateway API CRDs being installed, upgraded or removed at once,
      // rather than at the next periodic discovery. Twice: a new CRD is served shortly after its
      // event, and a removal must be seen twice (stabilizeDiscovery).
      crdInformer = new Informer({
        rest,
        type: CORE_TYPES.crds,
        log: log.child({ component: 'informer' }),
        metadataOnly: true,
        onChange: () => {
          for (const delay of [200, 2000]) timers.push(setTimeout(() => void rediscover(), delay));
        },
      });
      crdInformer.start();
    }
    timers.push(
      setInterval(() => {
        cache.relistAll();
        loop.trigger();
      }, o.resyncPeriodMs),
    );
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
          metrics.leader.set(1);
          loop.trigger();
        },
        onStoppedLeading: () => {
          leading = false;
          metrics.leader.set(0);
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
      background.abort();
      for (const t of timers) clearTimeout(t); // also clears intervals
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await booting;
      await loop.stop(); // waits for the reconcile in flight: no write after this
      leading = false;
      metrics.leader.set(0);
      await elector?.stop(); // releases the Lease
      await cache.stop();
      await crdInformer?.stop();
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
    metricsAddress,
    healthProbeAddress,
    metrics,
    log,
    cache,
    isLeader: () => leading,
    isReady,
    writes: () => metrics.writes,
    reconciles: () => reconcileCount,
    whenSynced: async () => {
      await booting;
      await cache.whenSynced();
    },
    whenReconciled: () =>
      new Promise<void>((resolve) => {
        reconcileWaiters.push({ after: reconcileCount, resolve });
        loop.trigger();
      }),
    stop,
    done,
  };
}
