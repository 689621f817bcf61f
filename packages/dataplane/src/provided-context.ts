/** Values the data-plane global setup hands to the test files (vitest provide/inject). */
export interface DataplaneContext {
  /** Admin kubeconfig of the control plane inside the node namespace. */
  l4dpKubeconfigPath: string;
  /** The launcher's pid, from which the namespace names follow. */
  l4dpOwner: number;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface ProvidedContext extends DataplaneContext {}
}
