import { CoreV1Api, KubernetesObjectApi, PatchStrategy, type KubeConfig, type V1EndpointSlice, type V1Service } from '@kubernetes/client-node';
import type { Pod } from './pods.js';
import { NODE_NAME } from './topology.js';

/** What a slice needs of a running pod (the test bed's own, or one run for a Pod object by workloads.ts). */
export type PodEndpoint = Pick<Pod, 'name' | 'namespace' | 'labels' | 'ip'>;

/** The field manager and the managed-by label of the slices written here, as the real controller's. */
const CONTROLLER = 'endpointslice-controller.k8s.io';

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * The EndpointSlice the EndpointSlice controller would keep for `service` given these running
 * pods: one IPv4 slice, an endpoint (ready, serving) per selected pod, and per Service port the
 * pod's port its targetPort names. Undefined for a Service without a selector (nothing to do).
 */
export function desiredSlice(service: V1Service, pods: readonly PodEndpoint[]): V1EndpointSlice | undefined {
  const selector = service.spec?.selector;
  const name = service.metadata?.name ?? '';
  const namespace = service.metadata?.namespace ?? '';
  if (!selector || Object.keys(selector).length === 0) return undefined;
  const selected = pods.filter((pod) => pod.namespace === namespace && selects(selector, pod.labels));
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${name}-l4dp`,
      namespace,
      labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': CONTROLLER },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints: selected.map((pod) => ({
      addresses: [pod.ip],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: NODE_NAME,
      targetRef: { kind: 'Pod', namespace, name: pod.name },
    })),
    ports: (service.spec?.ports ?? []).map((port) => {
      const target = port.targetPort ?? port.port;
      if (typeof target !== 'number') {
        throw new Error(`Service ${namespace}/${name} port ${port.name ?? port.port}: named targetPort '${target}' is not supported by the test bed`);
      }
      return { name: port.name ?? '', port: target, protocol: port.protocol ?? 'TCP' };
    }),
  };
}

/** The stand-in EndpointSlice controller; see {@link startEndpointSliceController}. */
export interface EndpointSliceController {
  /** Serves Services in `namespace` from now on. */
  watchNamespace(namespace: string): void;
  /** Replaces the set of running pods and writes the slices that changed. */
  setPods(pods: readonly PodEndpoint[]): Promise<void>;
  /** One pass over every watched namespace, writing what changed; passes never overlap. */
  sync(): Promise<void>;
  stop(): void;
}

/**
 * Stands in for kube-controller-manager's EndpointSlice controller, which the test bed does not
 * run: for every Service with a selector in the namespaces it is told about, it keeps the slice
 * {@link desiredSlice} says, from the pods it is given. Besides the explicit syncs, a loop syncs
 * every `intervalMs`, so Services l4gw creates (the `create` and `duplicate` behaviours) get their
 * endpoints as they would in a cluster.
 */
export function startEndpointSliceController(kubeConfig: KubeConfig, intervalMs = 100): EndpointSliceController {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  /** namespace/slice name → the JSON last written, to write only changes. */
  const written = new Map<string, string>();
  const namespaces = new Set<string>();
  let pods: readonly PodEndpoint[] = [];
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const syncOnce = async (): Promise<void> => {
    for (const namespace of namespaces) {
      const services = await core.listNamespacedService({ namespace });
      for (const service of services.items) {
        const slice = desiredSlice(service, pods);
        if (!slice) continue;
        const key = `${namespace}/${slice.metadata?.name}`;
        const json = JSON.stringify(slice);
        if (written.get(key) === json) continue;
        await objects.patch(slice, undefined, undefined, CONTROLLER, true, PatchStrategy.ServerSideApply);
        written.set(key, json);
      }
    }
  };
  const sync = (): Promise<void> => {
    running = running.catch(() => undefined).then(syncOnce);
    return running;
  };
  void (async () => {
    while (!stopped) {
      await sync().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    watchNamespace: (namespace) => void namespaces.add(namespace),
    async setPods(next) {
      pods = [...next];
      for (const pod of next) namespaces.add(pod.namespace);
      await sync();
    },
    sync,
    stop: () => {
      stopped = true;
    },
  };
}
