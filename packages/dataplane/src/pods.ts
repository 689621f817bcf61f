import { registerExitCleanup, spawnManaged, type ManagedProcess } from '@l4gw/envtest';
import { agentScript, inNamespace } from './agents.js';
import { ipIn } from './ip.js';
import { INTERFACES, POD_ADDRESS_RANGE } from './topology.js';

/** A backend "pod" to start: where it belongs in Kubernetes and which ports it serves. */
export interface PodSpec {
  /** The pod's name; its servers answer every request with it. */
  readonly name: string;
  /** Its Kubernetes namespace (for selectors and the EndpointSlice's targetRef). */
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly tcpPorts?: readonly number[];
  readonly udpPorts?: readonly number[];
}

/** A running pod: its address in the backend namespace and its server process. */
export interface Pod extends PodSpec {
  readonly ip: string;
  readonly process: ManagedProcess;
}

/** Addresses in use on the backend namespace's link (pods of this and of earlier test files). */
async function addressesInUse(backendNamespace: string): Promise<Set<string>> {
  const out = await ipIn(backendNamespace, '-4', '-o', 'addr', 'show', 'dev', INTERFACES.backendToNode);
  return new Set([...out.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1] ?? ''));
}

/**
 * Starts a pod: takes the lowest free pod address on the backend namespace's link and runs
 * src/agents/backend-server.ts there, bound to that address; resolves once it listens.
 */
export async function startPod(backendNamespace: string, spec: PodSpec): Promise<Pod> {
  const used = await addressesInUse(backendNamespace);
  let ip: string | undefined;
  for (let host = POD_ADDRESS_RANGE.first; host <= POD_ADDRESS_RANGE.last && !ip; host++) {
    const candidate = `${POD_ADDRESS_RANGE.prefix}${host}`;
    if (!used.has(candidate)) ip = candidate;
  }
  if (!ip) throw new Error(`pod ${spec.namespace}/${spec.name}: no free pod address left in the backend namespace`);
  await ipIn(backendNamespace, 'addr', 'add', `${ip}/24`, 'dev', INTERFACES.backendToNode);
  const args = [spec.name, ip, (spec.tcpPorts ?? []).join(','), (spec.udpPorts ?? []).join(',')];
  const server = spawnManaged(`pod ${spec.name}`, 'ip', inNamespace(backendNamespace, agentScript('backend-server'), args));
  const unregister = registerExitCleanup(() => server.killNow());
  void server.exited.then(unregister);
  const deadline = Date.now() + 30_000;
  while (!server.outputTail().includes('ready')) {
    if (server.hasExited() || Date.now() > deadline) {
      server.killNow();
      await ipIn(backendNamespace, 'addr', 'del', `${ip}/24`, 'dev', INTERFACES.backendToNode).catch(() => undefined);
      throw new Error(`pod ${spec.namespace}/${spec.name} did not start: ${server.outputTail().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { ...spec, ip, process: server };
}

/** Stops a pod's servers and frees its address. */
export async function stopPod(backendNamespace: string, pod: Pod): Promise<void> {
  await pod.process.stop(2_000);
  await ipIn(backendNamespace, 'addr', 'del', `${pod.ip}/24`, 'dev', INTERFACES.backendToNode).catch(() => undefined);
}
