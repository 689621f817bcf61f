import type { KubeObject } from './kube.js';

/**
 * Everything core needs to know about a cluster, as raw objects exactly as the API server (or a
 * manifest file) returned them. Core parses each object itself, so a malformed object becomes a
 * condition or a diagnostic rather than an exception in the caller. List order never matters.
 */
export interface Snapshot {
  readonly gatewayClasses: readonly unknown[];
  readonly gateways: readonly unknown[];
  /** ListenerSets (`v1`); empty where the API server does not serve them. */
  readonly listenerSets: readonly unknown[];
  /** TCPRoutes of any served version (`v1` or `v1alpha2`); the apiVersion field tells which. */
  readonly tcpRoutes: readonly unknown[];
  readonly udpRoutes: readonly unknown[];
  /** ReferenceGrants (`v1` or `v1beta1`). */
  readonly referenceGrants: readonly unknown[];
  readonly namespaces: readonly unknown[];
  readonly services: readonly unknown[];
  readonly endpointSlices: readonly unknown[];
  /** ConfigMaps that may hold IPAM pools or GatewayClass parameters. Others are ignored. */
  readonly configMaps: readonly unknown[];
  /**
   * `gateway.networking.k8s.io/bundle-version` of each installed Gateway API CRD, by CRD name
   * (GC3). Omitted when unknown (offline runs), which counts as supported.
   */
  readonly crdBundleVersions?: Readonly<Record<string, string>>;
  /**
   * IP8: addresses a Gateway released a moment ago, which IPAM does not hand out fresh while they
   * are listed (an operator lists each for a few seconds, so kube-proxy and the announcer forget
   * the old holder before a new one gets it). Omitted: none.
   */
  readonly heldBackAddresses?: readonly string[];
}

/** The names of a snapshot's object lists. */
export type SnapshotList = Exclude<keyof Snapshot, 'crdBundleVersions' | 'heldBackAddresses'>;

/** Which snapshot list holds objects of each kind (whatever their API version). */
export const SNAPSHOT_LIST_OF_KIND: Readonly<Record<string, SnapshotList>> = {
  GatewayClass: 'gatewayClasses',
  Gateway: 'gateways',
  ListenerSet: 'listenerSets',
  TCPRoute: 'tcpRoutes',
  UDPRoute: 'udpRoutes',
  ReferenceGrant: 'referenceGrants',
  Namespace: 'namespaces',
  Service: 'services',
  EndpointSlice: 'endpointSlices',
  ConfigMap: 'configMaps',
};

/** Creates an empty snapshot; convenient for tests and embedders. */
export function emptySnapshot(): Snapshot {
  return {
    gatewayClasses: [],
    gateways: [],
    listenerSets: [],
    tcpRoutes: [],
    udpRoutes: [],
    referenceGrants: [],
    namespaces: [],
    services: [],
    endpointSlices: [],
    configMaps: [],
  };
}
