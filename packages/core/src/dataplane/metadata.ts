// GW8 and DP6: what every Service l4gw generates or takes over carries, whatever the behaviour —
// the Gateway's identifying labels, its infrastructure labels and annotations, the owner
// reference, and the VIP written where each announcer reads it.

import type { ResolvedGateway } from '../model/graph.js';
import type { OwnerReference } from '../model/kube.js';
import {
  ANNOTATION_CILIUM_IPS,
  ANNOTATION_CILIUM_SHARING_KEY,
  ANNOTATION_KUBE_VIP_IPS,
  ANNOTATION_METALLB_IPS,
  ANNOTATION_METALLB_SHARED,
  LABEL_GATEWAY_CLASS_NAME,
  LABEL_GATEWAY_NAME,
  LABEL_GATEWAY_NAMESPACE,
  LABEL_MANAGED_BY,
  MANAGED_BY_VALUE,
} from '../model/labels.js';
import type { LbAnnotations, ReconcileOptions } from '../model/options.js';
import { withInfrastructureRecord } from '../model/infrastructure-record.js';
import { labelValueFor } from './names.js';

/** DP7: the address a Service requests from a DHCP pool (kube-vip's convention). */
export const DHCP_REQUEST_ADDRESS = '0.0.0.0';

/**
 * The labels that tie an object to its Gateway (GW8), without `managed-by`: update-mode Services
 * (DP4) carry these so IPAM can tell them from other Services (IP3), but they are not ours to
 * delete. Long names become hashed label values (`labelValueFor`).
 */
export function gatewayLabels(gateway: ResolvedGateway): Record<string, string> {
  return {
    [LABEL_GATEWAY_NAME]: labelValueFor(gateway.gateway.meta.name),
    [LABEL_GATEWAY_NAMESPACE]: gateway.gateway.meta.namespace,
    [LABEL_GATEWAY_CLASS_NAME]: labelValueFor(gateway.className),
  };
}

/** GW8: labels of a generated object; infrastructure labels first, so ours win a clash. */
export function generatedLabels(gateway: ResolvedGateway): Record<string, string> {
  return {
    ...gateway.gateway.infrastructure.labels,
    ...gatewayLabels(gateway),
    [LABEL_MANAGED_BY]: MANAGED_BY_VALUE,
  };
}

/**
 * GW8: annotations of a generated object from its Gateway: the infrastructure annotations and
 * the record of the infrastructure keys (model/infrastructure-record.ts); empty when it has none.
 */
export function infrastructureAnnotations(gateway: ResolvedGateway): Record<string, string> {
  const infrastructure = gateway.gateway.infrastructure;
  return withInfrastructureRecord(infrastructure.labels, infrastructure.annotations);
}

/**
 * The owner reference to the Gateway, so Kubernetes deletes generated objects with it. Owner
 * references cannot cross namespaces and need the owner's uid, so objects in another namespace
 * (DP2, DP3) and Gateways read from files without a uid get none; label-based garbage
 * collection (DP8) covers them.
 */
export function ownerReferencesFor(gateway: ResolvedGateway, namespace: string): OwnerReference[] | undefined {
  const meta = gateway.gateway.meta;
  if (meta.uid === '' || namespace !== meta.namespace) return undefined;
  return [{ apiVersion: gateway.gateway.apiVersion, kind: 'Gateway', name: meta.name, uid: meta.uid, controller: true }];
}

/** The addresses a generated Service requests: the assigned ones, or `0.0.0.0` for DHCP (DP7). */
export function requestedAddresses(gateway: ResolvedGateway): readonly string[] {
  const assignment = gateway.assignment;
  if (assignment.kind === 'dhcp') return [DHCP_REQUEST_ADDRESS];
  if (assignment.kind === 'assigned') return assignment.addresses;
  return [];
}

/** DP6: the annotations that carry the VIP to the configured announcer. */
export function vipAnnotations(gateway: ResolvedGateway, style: LbAnnotations): Record<string, string> {
  const ips = requestedAddresses(gateway).join(',');
  const sharingKey = `${gateway.gateway.meta.namespace}/${gateway.gateway.meta.name}`;
  switch (style) {
    case 'kube-vip':
      return { [ANNOTATION_KUBE_VIP_IPS]: ips };
    case 'metallb':
      return { [ANNOTATION_METALLB_IPS]: ips, [ANNOTATION_METALLB_SHARED]: sharingKey };
    case 'cilium':
      return { [ANNOTATION_CILIUM_IPS]: ips, [ANNOTATION_CILIUM_SHARING_KEY]: sharingKey };
    case 'none':
      return {};
  }
}

/**
 * DP6: the Service spec fields that carry the VIP: `type: LoadBalancer`, `loadBalancerIP` (the
 * first address; the field holds one), `loadBalancerClass` and `externalTrafficPolicy` when
 * configured. With MetalLB the annotation alone carries the VIP: MetalLB refuses a Service that
 * sets both.
 */
export function vipSpec(gateway: ResolvedGateway, style: LbAnnotations): Record<string, unknown> {
  const spec: Record<string, unknown> = { type: 'LoadBalancer' };
  const first = requestedAddresses(gateway)[0];
  if (first !== undefined && style !== 'metallb') spec['loadBalancerIP'] = first;
  if (gateway.loadBalancerClass !== undefined) spec['loadBalancerClass'] = gateway.loadBalancerClass;
  if (gateway.externalTrafficPolicy !== undefined) spec['externalTrafficPolicy'] = gateway.externalTrafficPolicy;
  return spec;
}

/**
 * `vipSpec` for a Service l4gw generates (DP1–DP3): the traffic policy is always written, `Cluster`
 * (the API default) unless the class asks for `Local`, so that removing the class parameter puts
 * the Services back. (An update-mode Service, DP4, is the user's: its policy is changed only when
 * the class sets one, and restored with the rest.)
 */
export function generatedVipSpec(gateway: ResolvedGateway, style: LbAnnotations): Record<string, unknown> {
  return { ...vipSpec(gateway, style), externalTrafficPolicy: gateway.externalTrafficPolicy ?? 'Cluster' };
}

/** DP6: the announcer style of a Gateway's Services: its class's `lbAnnotations`, else the option. */
export function announcerStyle(gateway: ResolvedGateway, options: ReconcileOptions): LbAnnotations {
  return gateway.lbAnnotations ?? options.lbAnnotations;
}
