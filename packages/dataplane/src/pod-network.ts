import { ip, ipIn } from './ip.js';
import { deleteNamespace, listNamespaces } from './namespaces.js';
import { POD_NETWORK_RANGE, podNamespaceName, type NamespaceNames } from './topology.js';

/**
 * A pod's own network namespace, for servers that bind the wildcard address on a fixed port (the
 * Gateway API suite's echo server does): `l4dp-<owner>-pod<n>`, joined to the node by a veth
 * pair made from inside the node namespace, as a point-to-point CNI plugin does it:
 *
 *     node: pod<n> (10.99.3.1/32, route 10.99.3.<n>/32) ─veth─ eth0 (10.99.3.<n>/32) :pod
 *
 * The pod's default route is the node, which has no default route itself: nothing leaves the test bed.
 */
export interface PodNetwork {
  /** The network namespace the pod's processes run in. */
  readonly namespace: string;
  readonly ip: string;
}

const hostOf = (namespace: string, owner: number): number | undefined => {
  const match = new RegExp(`^l4dp-${owner}-pod(\\d+)$`).exec(namespace);
  return match?.[1] ? Number(match[1]) : undefined;
};

/** Creates the network of the pod with the lowest free address; on failure deletes what it made. */
export async function createPodNetwork(run: NamespaceNames): Promise<PodNetwork> {
  const used = new Set((await listNamespaces()).map((name) => hostOf(name, run.owner)));
  let host = POD_NETWORK_RANGE.first;
  while (used.has(host)) host++;
  if (host > POD_NETWORK_RANGE.last) throw new Error(`no free pod address left in ${POD_NETWORK_RANGE.prefix}0/24`);
  const namespace = podNamespaceName(run.owner, host);
  const address = `${POD_NETWORK_RANGE.prefix}${host}`;
  const hostSide = `pod${host}`;
  try {
    await ip('netns', 'add', namespace);
    await ipIn(namespace, 'link', 'set', 'lo', 'up');
    await ipIn(run.node, 'link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace);
    await ipIn(run.node, 'addr', 'add', `${POD_NETWORK_RANGE.gateway}/32`, 'dev', hostSide);
    await ipIn(run.node, 'link', 'set', hostSide, 'up');
    await ipIn(run.node, 'route', 'add', `${address}/32`, 'dev', hostSide);
    await ipIn(namespace, 'addr', 'add', `${address}/32`, 'dev', 'eth0');
    await ipIn(namespace, 'link', 'set', 'eth0', 'up');
    await ipIn(namespace, 'route', 'add', `${POD_NETWORK_RANGE.gateway}/32`, 'dev', 'eth0');
    await ipIn(namespace, 'route', 'add', 'default', 'via', POD_NETWORK_RANGE.gateway, 'dev', 'eth0');
  } catch (error) {
    await deleteNamespace(namespace);
    throw new Error(`creating the network of a pod (${namespace}, ${address})`, { cause: error });
  }
  return { namespace, ip: address };
}

/** Kills what still runs in the pod's namespace and deletes it (the veth pair and the node's route go with it). */
export function deletePodNetwork(network: PodNetwork): Promise<void> {
  return deleteNamespace(network.namespace);
}
