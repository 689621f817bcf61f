// The flags shared by `run`, `reconcile` and `ipam`, and their translation into core's
// ReconcileOptions. One definition, so the offline dry run and the operator cannot disagree.

import {
  DEFAULT_CONTROLLER_NAME,
  DEFAULT_IPAM_CONFIGMAP,
  type LbAnnotations,
  type ReconcileOptions,
  type ServiceBehaviour,
} from '@l4gw/core';
import type { FlagSpec, FlagValues } from './flags.js';

export const SERVICE_BEHAVIOURS: readonly ServiceBehaviour[] = ['endpoints', 'create', 'duplicate', 'update'];
export const LB_ANNOTATIONS: readonly LbAnnotations[] = ['kube-vip', 'metallb', 'cilium', 'none'];

/** `-master`, the prototype's controller-runtime flag: the API server address, alone or over the kubeconfig's. */
export const MASTER_FLAG: FlagSpec = {
  kind: 'string',
  name: 'master',
  default: '',
  usage: 'address of the Kubernetes API server: overrides the kubeconfig\'s, or is used alone (no credentials) when there is no kubeconfig',
};

/** Flags that shape what core decides (their rule ids are explained in docs/rules.md). */
export const RECONCILE_FLAGS: readonly FlagSpec[] = [
  {
    kind: 'string',
    name: 'gateway-class-name',
    default: DEFAULT_CONTROLLER_NAME,
    usage: 'controller name: GatewayClasses whose spec.controllerName equals it are ours (GC1)',
  },
  {
    kind: 'string',
    name: 'ipam-configmap',
    default: DEFAULT_IPAM_CONFIGMAP,
    usage: 'IPAM ConfigMap in kube-vip-cloud-provider format: namespace/name, or a bare name read in each Gateway\'s namespace (IP1)',
  },
  {
    kind: 'string',
    name: 'service-behaviour',
    default: 'endpoints',
    values: SERVICE_BEHAVIOURS,
    usage: 'how listeners become Services when neither the route label serviceBehaviour nor the class chooses (DP1-DP4)',
  },
  {
    kind: 'string',
    name: 'lb-annotations',
    default: 'kube-vip',
    values: LB_ANNOTATIONS,
    usage: 'which announcer annotations carry the VIP on generated Services (DP6)',
  },
  {
    kind: 'string',
    name: 'load-balancer-class',
    default: '',
    usage: 'spec.loadBalancerClass for generated Services (DP6); empty leaves it unset',
  },
  {
    kind: 'bool',
    name: 'pin-addresses',
    default: false,
    usage: 'also write assigned addresses into Gateway spec.addresses, as the prototype did (GW5)',
  },
  {
    kind: 'bool',
    name: 'allow-unpooled-addresses',
    default: false,
    usage: 'accept requested Gateway addresses outside every pool (IP5)',
  },
  {
    kind: 'string',
    name: 'implementation-label',
    default: '',
    usage: 'accepted for compatibility with the prototype and ignored: l4gw labels objects as GW8 says',
  },
];

/** Builds core's options from parsed flags; `now` comes from the caller (core has no clock). */
export function reconcileOptionsFrom(flags: FlagValues, now: string): ReconcileOptions {
  const loadBalancerClass = flags.string('load-balancer-class');
  return {
    controllerName: flags.string('gateway-class-name'),
    ipamConfigMap: flags.string('ipam-configmap'),
    // The flag parser already restricted these to the listed values.
    serviceBehaviour: flags.string('service-behaviour') as ServiceBehaviour,
    lbAnnotations: flags.string('lb-annotations') as LbAnnotations,
    ...(loadBalancerClass === '' ? {} : { loadBalancerClass }),
    pinAddresses: flags.bool('pin-addresses'),
    allowUnpooledAddresses: flags.bool('allow-unpooled-addresses'),
    now,
  };
}
