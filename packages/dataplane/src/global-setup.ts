import { startControlPlane } from '@l4gw/envtest';
import type { TestProject } from 'vitest/node';
import { startTestAnnouncer } from './announcer.js';
import { currentRun } from './identity.js';
import { createNode, startKubeProxy } from './kube-proxy.js';
import './provided-context.js';

/**
 * vitest globalSetup of the data-plane suite (vitest.dataplane.config.ts). It runs inside the
 * node namespace the launcher made, and refuses to run anywhere else; there it starts the
 * control plane (as the integration tests' setup does), the Node object, kube-proxy in nftables
 * mode and the test announcer, and hands the kubeconfig to the test files.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const run = await currentRun();
  const began = Date.now();
  const controlPlane = await startControlPlane();
  try {
    await createNode(controlPlane.kubeConfig);
    const kubeProxy = await startKubeProxy(controlPlane.kubeconfigPath);
    const announcer = startTestAnnouncer(controlPlane.kubeConfig);
    process.stderr.write(
      `[l4dp] test bed in ${run.node}: control plane ${controlPlane.timings.totalMs} ms, kube-proxy healthy after ${Date.now() - began} ms in all\n`,
    );
    project.provide('l4dpKubeconfigPath', controlPlane.kubeconfigPath);
    project.provide('l4dpOwner', run.owner);
    return async () => {
      announcer.stop();
      await kubeProxy.stop(10_000);
      await controlPlane.stop();
    };
  } catch (error) {
    await controlPlane.stop();
    throw error;
  }
}
