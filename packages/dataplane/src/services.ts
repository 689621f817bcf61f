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

/**
 * Refuses to run outside its run's node namespace (identity.ts); there it starts the control
 * plane (@l4gw/envtest, unchanged), the Node object, kube-proxy in nftables mode and the test
 * announcer. The suite's global setup and the data-plane bench both start from here.
 */
export async function startTestbedServices(): Promise<TestbedServices> {
  const run = await currentRun();
  const began = Date.now();
  const controlPlane = await startControlPlane();
  try {
    await createNode(controlPlane.kubeConfig);
    const kubeProxy = await startKubeProxy(controlPlane.kubeconfigPath);
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
