/** The four ways a listener can be realised (DP1–DP4, docs/rules.md). */
export type ServiceBehaviour = 'endpoints' | 'create' | 'duplicate' | 'update';

/** Every Service behaviour, for validating labels and class parameters. */
export const SERVICE_BEHAVIOURS: readonly ServiceBehaviour[] = ['endpoints', 'create', 'duplicate', 'update'];

/** True when `value` names one of the four behaviours (DP1–DP4). */
export function isServiceBehaviour(value: string | undefined): value is ServiceBehaviour {
  return value !== undefined && (SERVICE_BEHAVIOURS as readonly string[]).includes(value);
}

/** Where generated Services carry the VIP for the announcer (DP6). */
export type LbAnnotations = 'kube-vip' | 'metallb' | 'cilium' | 'none';

/** Every announcer style, for validating flags and class parameters. */
export const LB_ANNOTATION_STYLES: readonly LbAnnotations[] = ['kube-vip', 'metallb', 'cilium', 'none'];

/** `spec.externalTrafficPolicy` of generated Services (`Local` preserves the client's source IP). */
export type ExternalTrafficPolicy = 'Cluster' | 'Local';

export const EXTERNAL_TRAFFIC_POLICIES: readonly ExternalTrafficPolicy[] = ['Cluster', 'Local'];

export interface ReconcileOptions {
  /** GC1: GatewayClasses whose `spec.controllerName` equals this are ours. */
  readonly controllerName: string;
  /** DP: behaviour when neither the route label nor the class parameters choose one. */
  readonly serviceBehaviour: ServiceBehaviour;
  readonly lbAnnotations: LbAnnotations;
  /** DP6: sets `spec.loadBalancerClass` on generated Services when given. */
  readonly loadBalancerClass?: string;
  /** IP1: `namespace/name` of one ConfigMap, or a bare `name` looked up in each Gateway's namespace. */
  readonly ipamConfigMap: string;
  /** GW5: also record assigned addresses in the Gateway's `spec.addresses` (prototype behaviour). */
  readonly pinAddresses: boolean;
  /** IP5: accept requested addresses outside every pool. */
  readonly allowUnpooledAddresses: boolean;
  /** RFC 3339 time used for `lastTransitionTime` of conditions that change. Core has no clock. */
  readonly now: string;
}

export const DEFAULT_CONTROLLER_NAME = 'kube-vip.io/controller';
export const DEFAULT_IPAM_CONFIGMAP = 'kube-system/kubevip';

/** Options with every default filled in; `now` must still be supplied by the caller. */
export function defaultOptions(now: string): ReconcileOptions {
  return {
    controllerName: DEFAULT_CONTROLLER_NAME,
    serviceBehaviour: 'endpoints',
    lbAnnotations: 'kube-vip',
    ipamConfigMap: DEFAULT_IPAM_CONFIGMAP,
    pinAddresses: false,
    allowUnpooledAddresses: false,
    now,
  };
}

/**
 * Every option but `now`, flattened as name, value (by name, so that an option added later is
 * covered): the options a result that does not read the clock depends on, for telling whether
 * two sets of options give it alike (an engine reuses such a result while these are unchanged).
 */
export function optionsButNow(options: ReconcileOptions): unknown[] {
  const inputs: unknown[] = [];
  for (const [key, value] of Object.entries(options)) if (key !== 'now') inputs.push(key, value);
  return inputs;
}
