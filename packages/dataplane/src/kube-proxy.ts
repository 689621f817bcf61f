import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { pollUntil, probe, registerExitCleanup, spawnManaged, type ManagedProcess } from '@l4gw/envtest';
import { testbedBinary } from './binaries.js';
import { ADDRESSES, NODE_NAME } from './topology.js';

/** kube-proxy's health endpoint (in the node namespace's own network stack). */
const HEALTHZ = 'http://127.0.0.1:10256/healthz';

/**
 * Creates the Node kube-proxy runs as, with its InternalIP in status: without it kube-proxy waits
 * and then falls back to loopback as its node address.
 */
export async function createNode(kubeConfig: KubeConfig): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const node = await core.createNode({ body: { metadata: { name: NODE_NAME, labels: { 'kubernetes.io/hostname': NODE_NAME } } } });
  node.status = {
    addresses: [
      { type: 'InternalIP', address: ADDRESSES.nodeClientSide },
      { type: 'Hostname', address: NODE_NAME },
    ],
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'the test bed stands in for a kubelet' }],
  };
  await core.replaceNodeStatus({ name: NODE_NAME, body: node });
}

/**
 * Starts kube-proxy in nftables mode inside the node namespace and waits until it is healthy
 * (its first sync done). The conntrack flags at 0 keep it off the host-global conntrack sysctls
 * (nf_conntrack_max, the hash size and the timeouts are not per namespace); everything else it
 * programs lives in this namespace's nftables and dies with it.
 */
export async function startKubeProxy(kubeconfigPath: string, { timeoutMs = 60_000 }: { timeoutMs?: number } = {}): Promise<ManagedProcess> {
  const binary = testbedBinary('kubeProxy');
  const proxy = spawnManaged('kube-proxy', binary, [
    '--proxy-mode=nftables',
    `--kubeconfig=${kubeconfigPath}`,
    `--hostname-override=${NODE_NAME}`,
    `--cluster-cidr=${ADDRESSES.clusterCidr}`,
    '--conntrack-max-per-core=0',
    '--conntrack-min=0',
    '--conntrack-tcp-timeout-established=0',
    '--conntrack-tcp-timeout-close-wait=0',
    '--oom-score-adj=0',
    '--healthz-bind-address=127.0.0.1:10256',
    '--metrics-bind-address=127.0.0.1:10249',
    '--v=2',
  ]);
  const unregister = registerExitCleanup(() => proxy.killNow());
  void proxy.exited.then(unregister);
  try {
    await pollUntil(
      async () => {
        const result = await probe(HEALTHZ);
        return 'status' in result && result.status === 200 ? true : undefined;
      },
      {
        timeoutMs,
        what: 'kube-proxy /healthz',
        abortReason: () => (proxy.hasExited() ? `kube-proxy exited:\n${proxy.outputTail().slice(-4000)}` : undefined),
      },
    );
  } catch (error) {
    await proxy.stop(5_000);
    throw new Error(`kube-proxy did not become healthy:\n${proxy.outputTail().slice(-4000)}`, { cause: error });
  }
  return proxy;
}
