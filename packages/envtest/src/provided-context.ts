/**
 * Values the integration project's global setup hands to test files through vitest's
 * `provide`/`inject`; declared here once so both sides agree on the keys and types.
 */
export interface SharedControlPlaneContext {
  /** Admin kubeconfig of the shared control plane. */
  l4gwKubeconfigPath: string;
  /** `https://127.0.0.1:<port>` of the shared kube-apiserver. */
  l4gwApiServerUrl: string;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface ProvidedContext extends SharedControlPlaneContext {}
}
