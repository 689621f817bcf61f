import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

/**
 * Creates a namespace with a server-generated unique name (`<prefix>-xxxxx`) and returns the name.
 * Test files share one API server, so each should work in its own namespace. Deleting it is
 * pointless: without kube-controller-manager a deleted namespace stays `Terminating` forever.
 */
export async function createTestNamespace(kubeConfig: KubeConfig, prefix = 'test'): Promise<string> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const created = await core.createNamespace({ body: { metadata: { generateName: `${prefix}-` } } });
  const name = created.metadata?.name;
  if (!name) throw new Error('the API server returned a namespace without a name');
  return name;
}
