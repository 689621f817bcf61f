/**
 * The test bed's network: three namespaces joined by veth pairs, with no route out of any of them.
 *
 *     client (10.99.1.2) ─veth─ (10.99.1.1) node (10.99.2.1) ─veth─ backend (10.99.2.254 + one address per pod)
 *
 * The node namespace holds etcd, kube-apiserver, kube-proxy, l4gw and MetalLB on its own loopback.
 * The client reaches the kube-vip-style VIP range and the Service CIDR only through routes via the node (the test
 * announcer does not answer ARP, see announcer.ts); the MetalLB range lies on the client's own
 * link, so there it finds the VIP by ARP from MetalLB's speaker. The backend's default route is
 * the node, so answers return the way they came.
 */

/** The launcher exports its pid under this name to the command it runs in the node namespace. */
export const OWNER_VARIABLE = 'L4DP_OWNER';

/** Every namespace this task creates starts with this prefix (and is deleted by it). */
export const NAMESPACE_PREFIX = 'l4dp-';

/** The namespaces of one run, named after the pid of the launcher that owns them. */
export interface NamespaceNames {
  readonly owner: number;
  readonly node: string;
  readonly client: string;
  readonly backend: string;
}

/** The names of the namespaces owned by launcher `owner`, e.g. `l4dp-1234-node`. */
export function namespaceNames(owner: number): NamespaceNames {
  return {
    owner,
    node: `${NAMESPACE_PREFIX}${owner}-node`,
    client: `${NAMESPACE_PREFIX}${owner}-client`,
    backend: `${NAMESPACE_PREFIX}${owner}-backend`,
  };
}

/** The owner pid encoded in a test-bed namespace name, or undefined for any other name. */
export function ownerOfNamespace(name: string): number | undefined {
  const match = /^l4dp-(\d+)-(node|client|backend|pod\d+)$/.exec(name);
  return match?.[1] ? Number(match[1]) : undefined;
}

export const ADDRESSES = {
  /** The client's address, on the link to the node. */
  client: '10.99.1.2',
  /** The node's address on the client link: kube-proxy's node IP and the speaker's ARP interface. */
  nodeClientSide: '10.99.1.1',
  /** The node's address on the backend link: the backends' default gateway. */
  nodeBackendSide: '10.99.2.1',
  /** The backend namespace's own address (no pod uses it). */
  backendBase: '10.99.2.254',
  /** The subnet the backend namespace's pods take addresses from. */
  podSubnet: '10.99.2.0/24',
  /** The subnet of pods in namespaces of their own (pod-network.ts); its .1 is the node's side. */
  podNetworkSubnet: '10.99.3.0/24',
  /** kube-proxy's --cluster-cidr: both pod subnets. */
  clusterCidr: '10.99.2.0/23',
  /** The client routes this range via the node: the kube-vip-style VIPs. */
  routedVipRange: '10.77.0.0/24',
  /**
   * The Service CIDR (@l4gw/envtest starts kube-apiserver with --service-cluster-ip-range=10.0.0.0/24).
   * The client routes it via the node too, so tests can reach a ClusterIP as an in-cluster client would.
   */
  serviceCidr: '10.0.0.0/24',
  /** The client link's subnet, where MetalLB's VIPs live (reached by ARP, no route). */
  clientLink: '10.99.1.0/24',
} as const;

/** Interface names inside each namespace (veth ends; names are per namespace, so they never clash). */
export const INTERFACES = {
  nodeToClient: 'to-client',
  nodeToBackend: 'to-backend',
  clientToNode: 'to-node',
  backendToNode: 'to-node',
} as const;

/** Pod addresses are 10.99.2.<first> … 10.99.2.<last>. */
export const POD_ADDRESS_RANGE = { prefix: '10.99.2.', first: 10, last: 250 } as const;

/**
 * Pods in namespaces of their own (pod-network.ts) are 10.99.3.<first> … 10.99.3.<last>, in
 * network namespace l4dp-<owner>-pod<last octet>; 10.99.3.1 is the node's side of every pod's veth.
 */
export const POD_NETWORK_RANGE = { prefix: '10.99.3.', gateway: '10.99.3.1', first: 2, last: 254 } as const;

/** The network namespace of the pod with address `${POD_NETWORK_RANGE.prefix}${host}`. */
export function podNamespaceName(owner: number, host: number): string {
  return `${NAMESPACE_PREFIX}${owner}-pod${host}`;
}

/** The Kubernetes Node kube-proxy and the speaker run as. */
export const NODE_NAME = 'l4dp-node1';
