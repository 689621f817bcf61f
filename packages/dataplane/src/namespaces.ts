import { isAlive } from '@l4gw/envtest';
import { command, ip, ipIn } from './ip.js';
import { ADDRESSES, INTERFACES, NAMESPACE_PREFIX, ownerOfNamespace, type NamespaceNames } from './topology.js';

/** Names of every network namespace on the machine (`ip netns list` prints `name (id: n)`). */
export async function listNamespaces(): Promise<string[]> {
  const out = await ip('netns', 'list');
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

/** Sets a sysctl inside `namespace` only (net.* sysctls are per namespace; the host's are untouched). */
async function namespaceSysctl(namespace: string, key: string, value: string): Promise<void> {
  const path = `/proc/sys/${key.replaceAll('.', '/')}`;
  await command('ip', ['netns', 'exec', namespace, 'sh', '-c', `echo ${value} > ${path}`]);
}

/**
 * Creates the three namespaces of a run and wires them as topology.ts draws: loopback up in each,
 * the two veth pairs (created from inside the node namespace, so no link ever exists in the host
 * namespace), addresses, the client's routes to the routed VIP range and the Service CIDR (both via the node), the backend's default
 * route to the node, and forwarding in the node namespace. On failure it deletes what it made.
 */
export async function createTopology(names: NamespaceNames): Promise<void> {
  try {
    for (const ns of [names.node, names.client, names.backend]) {
      await ip('netns', 'add', ns);
      await ipIn(ns, 'link', 'set', 'lo', 'up');
    }
    await ipIn(names.node, 'link', 'add', INTERFACES.nodeToClient, 'type', 'veth', 'peer', 'name', INTERFACES.clientToNode, 'netns', names.client);
    await ipIn(names.node, 'link', 'add', INTERFACES.nodeToBackend, 'type', 'veth', 'peer', 'name', INTERFACES.backendToNode, 'netns', names.backend);
    const wire = async (ns: string, dev: string, address: string): Promise<void> => {
      await ipIn(ns, 'addr', 'add', `${address}/24`, 'dev', dev);
      await ipIn(ns, 'link', 'set', dev, 'up');
    };
    await wire(names.node, INTERFACES.nodeToClient, ADDRESSES.nodeClientSide);
    await wire(names.node, INTERFACES.nodeToBackend, ADDRESSES.nodeBackendSide);
    await wire(names.client, INTERFACES.clientToNode, ADDRESSES.client);
    await wire(names.backend, INTERFACES.backendToNode, ADDRESSES.backendBase);
    await ipIn(names.client, 'route', 'add', ADDRESSES.routedVipRange, 'via', ADDRESSES.nodeClientSide);
    await ipIn(names.client, 'route', 'add', ADDRESSES.serviceCidr, 'via', ADDRESSES.nodeClientSide);
    await ipIn(names.backend, 'route', 'add', 'default', 'via', ADDRESSES.nodeBackendSide);
    await namespaceSysctl(names.node, 'net.ipv4.ip_forward', '1');
  } catch (error) {
    await deleteTopology(names);
    throw error;
  }
}

/** Kills every process inside `namespace` (by pid, as `ip netns pids` lists them) and deletes it. */
export async function deleteNamespace(namespace: string): Promise<void> {
  let pids: number[] = [];
  try {
    pids = (await ip('netns', 'pids', namespace)).split('\n').filter((p) => /^\d+$/.test(p)).map(Number);
  } catch {
    return; // It does not exist (any more).
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  // A killed process leaves the namespace only once it is reaped; wait a little for that.
  for (let i = 0; i < 50 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 20));
  await ip('netns', 'delete', namespace).catch(() => undefined);
}

/**
 * Deletes a run's namespaces, its pods' own (pod-network.ts) first; with them go every veth,
 * address, route and nftables rule inside.
 */
export async function deleteTopology(names: NamespaceNames): Promise<void> {
  const pods = (await listNamespaces()).filter((name) => name.startsWith(`${NAMESPACE_PREFIX}${names.owner}-pod`) && ownerOfNamespace(name) === names.owner);
  for (const ns of [...pods, names.client, names.backend, names.node]) await deleteNamespace(ns);
}

/**
 * Deletes the namespaces of earlier runs whose launcher is gone (a run killed outright leaves
 * them behind, possibly with kube-proxy and the control plane still inside). Only names with this
 * task's prefix and a dead owner pid are touched. Returns the names deleted.
 */
export async function reapOrphanedNamespaces(): Promise<string[]> {
  const reaped: string[] = [];
  for (const name of await listNamespaces()) {
    if (!name.startsWith(NAMESPACE_PREFIX)) continue;
    const owner = ownerOfNamespace(name);
    if (owner === undefined || isAlive(owner)) continue;
    await deleteNamespace(name);
    reaped.push(name);
  }
  return reaped;
}

/** The name of the network namespace process `pid` is in (`ip netns identify`), or '' for none. */
export async function namespaceOf(pid: number): Promise<string> {
  return (await ip('netns', 'identify', String(pid))).trim();
}
