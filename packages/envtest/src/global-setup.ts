import type { TestProject } from 'vitest/node';
import { startControlPlane } from './control-plane.js';
import './provided-context.js';

/**
 * vitest globalSetup for the `integration` project: starts one shared control plane (default CRD
 * set, v1.6 experimental) before any test file runs, provides its kubeconfig path and URL to the
 * files (read them with `@l4gw/envtest/vitest`), and stops it when the run ends. A missing binary
 * fails the run with instructions; it never skips.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const controlPlane = await startControlPlane();
  const t = controlPlane.timings;
  process.stderr.write(
    `[envtest] control plane at ${controlPlane.apiServerUrl} ready in ${t.totalMs} ms ` +
      `(etcd ${t.etcdMs}, kube-apiserver ${t.apiServerMs}, ${controlPlane.crdNames.length} CRDs ${t.crdsMs})\n`,
  );
  project.provide('l4gwKubeconfigPath', controlPlane.kubeconfigPath);
  project.provide('l4gwApiServerUrl', controlPlane.apiServerUrl);
  return () => controlPlane.stop();
}
