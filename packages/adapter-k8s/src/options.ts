// The operator's options: one field per command-line flag of `l4gw run`, plus tuning knobs with
// controller-runtime's defaults (in one place, like its manager.Options).

import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_CONTROLLER_NAME, DEFAULT_IPAM_CONFIGMAP, type Engine, type EngineOptions, type LbAnnotations, type ServiceBehaviour } from '@l4gw/core';
import type { LogFormat, LogLevel, LogSink } from './observability/logger.js';

/** Makes the core engine the operator feeds; injectable so an embedder (or a test) can wrap it. */
export type EngineFactory = (options: EngineOptions) => Engine;

export interface OperatorOptions {
  /** `-kubeconfig`: a path. Default: `$KUBECONFIG`, then in-cluster, then `~/.kube/config`. */
  readonly kubeconfig?: string;
  /** An already loaded KubeConfig (embedding, tests); wins over `kubeconfig`. */
  readonly kubeConfig?: KubeConfig;
  /** `-gateway-class-name`: the controllerName our GatewayClasses carry (GC1). */
  readonly controllerName?: string;
  /** `-ipam-configmap`: `namespace/name`, or a bare name looked up per Gateway namespace (IP1). */
  readonly ipamConfigMap?: string;
  /** `-service-behaviour` (DP1–DP4). */
  readonly serviceBehaviour?: ServiceBehaviour;
  /** `-lb-annotations` (DP6). */
  readonly lbAnnotations?: LbAnnotations;
  /** `-load-balancer-class` (DP6). */
  readonly loadBalancerClass?: string;
  /** `-pin-addresses` (GW5). */
  readonly pinAddresses?: boolean;
  /** `-allow-unpooled-addresses` (IP5). */
  readonly allowUnpooledAddresses?: boolean;
  /** `-metrics-bind-address`: `:8080` style, `0` disables. Default `:8080`. */
  readonly metricsBindAddress?: string;
  /** `-health-probe-bind-address`: `:8081` style, `0` disables. Default `:8081`. */
  readonly healthProbeBindAddress?: string;
  /** `-leader-elect` (R4). Default false (a single replica writes). */
  readonly leaderElect?: boolean;
  /** Namespace of the Lease. Default: the pod's namespace in-cluster, else `kube-system`. */
  readonly leaderElectionNamespace?: string;
  /** Name of the Lease. Default `l4gw-leader-election`. */
  readonly leaderElectionId?: string;
  /** Lease timings; defaults 15 s / 10 s / 2 s (controller-runtime). */
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  /** This replica's identity in the Lease and in Events. Default: hostname + random suffix. */
  readonly identity?: string;
  /** `-log-level` and `-log-format`. Defaults `info`, `json`. */
  readonly logLevel?: LogLevel;
  readonly logFormat?: LogFormat;
  /** Where log lines go (default stderr). */
  readonly logSink?: LogSink;
  /** Full relist of every informer and a reconcile, this often. Default 10 minutes. */
  readonly resyncPeriodMs?: number;
  /** Re-discovery of served Gateway API versions without a CRD watch. Default 60 s. */
  readonly discoveryPeriodMs?: number;
  /** Reconcile coalescing: wait this long after the last change... (default 100 ms) */
  readonly debounceMs?: number;
  /** ...but never longer than this after the first (default 1 s). */
  readonly maxDelayMs?: number;
  /** Error backoff of the reconcile loop: 5 ms doubling to 1000 s (controller-runtime). */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /**
   * A run that has been writing this long stops early when newer changes are waiting, and the
   * loop re-plans with them (bounds latency when thousands of writes are due). Default 2 s.
   */
  readonly writeYieldMs?: number;
  /** API writes in flight at once. Default 8. */
  readonly writeConcurrency?: number;
  /** An identical Event is emitted at most once per window. Default 10 minutes. */
  readonly eventWindowMs?: number;
  /**
   * IP8: an address a Gateway released goes to no other Gateway for this long, so kube-proxy and
   * the announcer have dropped the old Service first. 0 hands it out at once. Default 5 s.
   */
  readonly addressHoldMs?: number;
  /** Stop gracefully (releasing the Lease) on SIGTERM and SIGINT. Default true. */
  readonly handleSignals?: boolean;
  /** Makes the core engine; default: `createEngine` of @l4gw/core. */
  readonly engine?: EngineFactory;
  /** The version l4gw_build_info reports. Default: this package's version. */
  readonly version?: string;
}

/** This package's version, from the package.json one directory above `src/` and `dist/`. */
function packageVersion(): string {
  try {
    const parsed = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Every option with its default resolved. */
export type ResolvedOptions = Required<
  Omit<OperatorOptions, 'kubeconfig' | 'kubeConfig' | 'loadBalancerClass' | 'logSink' | 'leaderElectionNamespace' | 'engine'>
> &
  Pick<OperatorOptions, 'kubeconfig' | 'kubeConfig' | 'loadBalancerClass' | 'logSink' | 'leaderElectionNamespace' | 'engine'>;

export const OPERATOR_DEFAULTS = {
  controllerName: DEFAULT_CONTROLLER_NAME,
  ipamConfigMap: DEFAULT_IPAM_CONFIGMAP,
  serviceBehaviour: 'endpoints',
  lbAnnotations: 'kube-vip',
  pinAddresses: false,
  allowUnpooledAddresses: false,
  metricsBindAddress: ':8080',
  healthProbeBindAddress: ':8081',
  leaderElect: false,
  leaderElectionId: 'l4gw-leader-election',
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
  logLevel: 'info',
  logFormat: 'json',
  resyncPeriodMs: 10 * 60_000,
  discoveryPeriodMs: 60_000,
  debounceMs: 100,
  maxDelayMs: 1_000,
  backoffBaseMs: 5,
  backoffMaxMs: 1_000_000,
  writeYieldMs: 2_000,
  writeConcurrency: 8,
  eventWindowMs: 10 * 60_000,
  addressHoldMs: 5_000,
  handleSignals: true,
  version: packageVersion(),
} as const satisfies Partial<OperatorOptions>;
