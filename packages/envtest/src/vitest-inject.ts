import { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import './provided-context.js';

/**
 * Test-side accessors for the control plane the `integration` project's global setup started.
 * Kept out of the main entry so that importing `@l4gw/envtest` does not load vitest.
 */

/** Path of the shared control plane's admin kubeconfig (throws outside the integration project). */
export function sharedKubeconfigPath(): string {
  const path = inject('l4gwKubeconfigPath');
  if (!path) {
    throw new Error(
      'No shared control plane: run this file in the vitest `integration` project, whose globalSetup is packages/envtest/src/global-setup.ts.',
    );
  }
  return path;
}

/** URL of the shared kube-apiserver. */
export function sharedApiServerUrl(): string {
  sharedKubeconfigPath();
  return inject('l4gwApiServerUrl');
}

/** A fresh admin KubeConfig for the shared control plane. */
export function sharedKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(sharedKubeconfigPath());
  return kubeConfig;
}
