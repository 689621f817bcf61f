import { CoreV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { installCrds, loadCrds, pollUntil, probe, registerExitCleanup, spawnManaged, type ManagedProcess } from '@l4gw/envtest';
import { testbedBinary } from './binaries.js';
import { INTERFACES, NODE_NAME } from './topology.js';

/** Where MetalLB runs and what it may hand out. */
export interface MetallbOptions {
  readonly kubeConfig: KubeConfig;
  readonly kubeconfigPath: string;
  /** Address ranges of its IPAddressPool (`a.b.c.d-a.b.c.e` or CIDRs). */
  readonly addresses: readonly string[];
  /** Applies objects server-side (the test bed's `apply`). */
  readonly apply: (...objects: KubernetesObject[]) => Promise<void>;
}

/** A running MetalLB (controller + L2 speaker). */
export interface Metallb {
  readonly namespace: string;
  readonly controller: ManagedProcess;
  readonly speaker: ManagedProcess;
  stop(): Promise<void>;
}

const NAMESPACE = 'metallb-system';
const SPEAKER_POD = 'speaker-l4dp';
const CONTROLLER_PORT = 7472;
const SPEAKER_PORT = 7473;

function spawnWithCleanup(name: string, binary: string, args: string[]): ManagedProcess {
  const child = spawnManaged(name, binary, args);
  const unregister = registerExitCleanup(() => child.killNow());
  void child.exited.then(unregister);
  return child;
}

async function waitForMetrics(child: ManagedProcess, port: number): Promise<void> {
  await pollUntil(
    async () => {
      const result = await probe(`http://127.0.0.1:${port}/metrics`, {}, 1_000);
      return 'status' in result && result.status === 200 ? true : undefined;
    },
    {
      timeoutMs: 60_000,
      what: `${child.name} /metrics`,
      abortReason: () => (child.hasExited() ? `${child.name} exited:\n${child.outputTail().slice(-4000)}` : undefined),
    },
  );
}

/**
 * Starts a real MetalLB inside the node namespace: its CRDs (from the module's config/crd/bases,
 * which need no conversion webhook), an IPAddressPool with `autoAssign: false` (so it hands out
 * only the addresses Services request, here l4gw's), an L2Advertisement limited to the node's
 * client-facing interface, the controller (webhooks off) and the speaker (memberlist off). The
 * speaker insists on finding its own Pod, so a Pod bound to the node stands for it; nothing runs it.
 */
export async function startMetallb(options: MetallbOptions): Promise<Metallb> {
  const crdDirectory = process.env.L4GW_METALLB_CRDS;
  if (!crdDirectory) throw new Error('L4GW_METALLB_CRDS is not set; `eval "$(tools/envtest/build.sh --print-env)"` exports it');
  const controllerBinary = testbedBinary('metallbController');
  const speakerBinary = testbedBinary('metallbSpeaker');
  await installCrds(options.kubeConfig, await loadCrds([crdDirectory]), 60_000);
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  await options.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: SPEAKER_POD, namespace: NAMESPACE, labels: { app: 'metallb', component: 'speaker' } },
      spec: { nodeName: NODE_NAME, containers: [{ name: 'speaker', image: 'quay.io/metallb/speaker:v0.15.2' }] },
    } as KubernetesObject,
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'l4gw', namespace: NAMESPACE },
      spec: { addresses: [...options.addresses], autoAssign: false },
    } as KubernetesObject,
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: 'l4gw', namespace: NAMESPACE },
      spec: { ipAddressPools: ['l4gw'], interfaces: [INTERFACES.nodeToClient] },
    } as KubernetesObject,
  );
  await core.readNamespacedPod({ name: SPEAKER_POD, namespace: NAMESPACE });
  const kubeconfig = `--kubeconfig=${options.kubeconfigPath}`;
  const controller = spawnWithCleanup('metallb-controller', controllerBinary, [
    kubeconfig,
    `--namespace=${NAMESPACE}`,
    '--webhook-mode=disabled',
    '--disable-cert-rotation',
    `--port=${CONTROLLER_PORT}`,
  ]);
  const speaker = spawnWithCleanup('metallb-speaker', speakerBinary, [
    kubeconfig,
    `--namespace=${NAMESPACE}`,
    `--node-name=${NODE_NAME}`,
    `--pod-name=${SPEAKER_POD}`,
    `--port=${SPEAKER_PORT}`,
  ]);
  const stop = async (): Promise<void> => {
    await speaker.stop(10_000);
    await controller.stop(10_000);
  };
  try {
    await waitForMetrics(controller, CONTROLLER_PORT);
    await waitForMetrics(speaker, SPEAKER_PORT);
  } catch (error) {
    await stop();
    throw error;
  }
  return { namespace: NAMESPACE, controller, speaker, stop };
}
