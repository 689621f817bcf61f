import { KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { createTestNamespace } from '@l4gw/envtest';
import { startClient, type Client } from './client.js';
import { startEndpointSliceController, type EndpointSliceController } from './endpoint-slices.js';
import { currentRun } from './identity.js';
import { startOperator, type Operator, type OperatorOptions } from './operator.js';
import { startPod, stopPod, type Pod, type PodSpec } from './pods.js';
import type { NamespaceNames } from './topology.js';

/** The field manager of objects a test applies. */
const FIELD_MANAGER = 'l4dp-test';

/** One test file's handle on the test bed; {@link Testbed.close} stops all it started. */
export interface Testbed {
  readonly run: NamespaceNames;
  readonly kubeConfig: KubeConfig;
  readonly kubeconfigPath: string;
  /** Sends requests from the client namespace. */
  readonly client: Client;
  /** The stand-in EndpointSlice controller for this file's pods. */
  readonly slices: EndpointSliceController;
  /** A fresh Kubernetes namespace (`<prefix>-xxxxx`) whose Services get EndpointSlices for this file's pods. */
  namespace(prefix: string): Promise<string>;
  /** Starts a pod and writes the EndpointSlices that now select it. */
  startPod(spec: PodSpec): Promise<Pod>;
  /** Stops a pod and writes the EndpointSlices that no longer hold it. */
  stopPod(pod: Pod): Promise<void>;
  /** Starts an l4gw operator with this control plane's kubeconfig. */
  startOperator(options: Omit<OperatorOptions, 'kubeconfigPath'>): Promise<Operator>;
  /** Server-side applies each object (as `kubectl apply --server-side`). */
  apply(...objects: KubernetesObject[]): Promise<void>;
  /** Deletes each object (missing is fine). */
  remove(...objects: KubernetesObject[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the test bed for one test file: checks that this process is inside its run's node
 * namespace (see identity.ts), starts the client agent and the stand-in EndpointSlice controller.
 */
export async function openTestbed(kubeconfigPath: string): Promise<Testbed> {
  const run = await currentRun();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  const client = await startClient(run.client);
  const slices = startEndpointSliceController(kubeConfig);
  const pods = new Set<Pod>();
  const operators = new Set<Operator>();
  return {
    run,
    kubeConfig,
    kubeconfigPath,
    client,
    slices,
    async namespace(prefix) {
      const name = await createTestNamespace(kubeConfig, prefix);
      slices.watchNamespace(name);
      return name;
    },
    async startPod(spec) {
      const pod = await startPod(run.backend, spec);
      pods.add(pod);
      await slices.setPods([...pods]);
      return pod;
    },
    async stopPod(pod) {
      pods.delete(pod);
      await slices.setPods([...pods]);
      await stopPod(run.backend, pod);
    },
    async startOperator(options) {
      const operator = await startOperator({ ...options, kubeconfigPath });
      operators.add(operator);
      void operator.process.exited.then(() => operators.delete(operator));
      return operator;
    },
    async apply(...list) {
      for (const object of list) {
        await objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
      }
    },
    async remove(...list) {
      for (const object of list) {
        await objects.delete(object).catch((error: unknown) => {
          if ((error as { code?: number }).code !== 404) throw error;
        });
      }
    },
    async close() {
      slices.stop();
      for (const operator of operators) await operator.stop();
      for (const pod of pods) await stopPod(run.backend, pod);
      pods.clear();
      await client.stop();
    },
  };
}
