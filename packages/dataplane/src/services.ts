import { startControlPlane, type ControlPlane } from '@l4gw/envtest';
import { startTestAnnouncer } from './announcer.js';
import { currentRun } from './identity.js';
import { createNode, startKubeProxy } from './kube-proxy.js';
import type { NamespaceNames } from './topology.js';

/** The long-lived part of the test bed inside the node namespace. */
export interface TestbedServices {
  readonly run: NamespaceNames;
  readonly controlPlane: ControlPlane;
  /** From the call until kube-proxy was healthy, in ms (for reports). */
  readonly startedInMs: number;
  stop(): Promise<void>;
}

/** How the test bed's kube-proxy runs. */
export interface TestbedServicesOptions {
  /**
   * kube-proxy's minimum sync period (`--iptables-min-sync-period`, which nftables mode follows; 1s when absent): the least time between two
   * syncs of its rules. `0s` syncs on every change (the conformance run's choice, see
   * tools/conformance/inside.ts).
   */
  readonly kubeProxyMinSyncPeriod?: string;
}

/**
 * Refuses to run outside its run's node namespace (identity.ts); there it starts the control
 * plane (@l4gw/envtest, unchanged), the Node object, kube-proxy in nftables mode and the test
 * announcer. The suite's global setup and the data-plane bench both start from here.
 */
export async function startTestbedServices(options: TestbedServicesOptions = {}): Promise<TestbedServices> {
  const run = await currentRun();
  const began = Date.now();
  const controlPlane = await startControlPlane();
  try {
    await createNode(controlPlane.kubeConfig);
    const kubeProxy = await startKubeProxy(controlPlane.kubeconfigPath, options.kubeProxyMinSyncPeriod === undefined ? {} : { minSyncPeriod: options.kubeProxyMinSyncPeriod });
    const announcer = startTestAnnouncer(controlPlane.kubeConfig);
    return {
      run,
      controlPlane,
      startedInMs: Date.now() - began,
      async stop() {
        announcer.stop();
        await kubeProxy.stop(10_000);
        await controlPlane.stop();
      },
    };
  } catch (error) {
    await controlPlane.stop();
    throw error;
  }
}
