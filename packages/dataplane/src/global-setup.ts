import type { TestProject } from 'vitest/node';
import { startTestbedServices } from './services.js';
import './provided-context.js';

/**
 * vitest globalSetup of the data-plane suite (vitest.dataplane.config.ts). It runs inside the
 * node namespace the launcher made, and refuses to run anywhere else; there it starts the
 * control plane (as the integration tests' setup does), the Node object, kube-proxy in nftables
 * mode and the test announcer, and hands the kubeconfig to the test files.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await startTestbedServices();
  process.stderr.write(
    `[l4dp] test bed in ${services.run.node}: control plane ${services.controlPlane.timings.totalMs} ms, ` +
      `kube-proxy healthy after ${services.startedInMs} ms in all\n`,
  );
  project.provide('l4dpKubeconfigPath', services.controlPlane.kubeconfigPath);
  project.provide('l4dpOwner', services.run.owner);
  return () => services.stop();
}
