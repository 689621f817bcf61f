import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import {
  ApiException,
  ApiextensionsV1Api,
  CustomObjectsApi,
  loadAllYaml,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { pollUntil } from './http-probe.js';

const YAML_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function isCrd(document: unknown): document is V1CustomResourceDefinition {
  return (
    typeof document === 'object' &&
    document !== null &&
    'kind' in document &&
    document.kind === 'CustomResourceDefinition' &&
    'spec' in document
  );
}

/**
 * Reads every `.yaml`/`.yml`/`.json` file directly in `directories` and returns the documents of
 * `kind: CustomResourceDefinition`, like envtest's loader; anything else (kustomization.yaml) is
 * skipped. A missing directory is an error, since a silently empty set would make tests lie.
 */
export async function loadCrds(directories: readonly string[]): Promise<V1CustomResourceDefinition[]> {
  const crds: V1CustomResourceDefinition[] = [];
  for (const directory of directories) {
    const entries = (await readdir(directory)).filter((name) => YAML_EXTENSIONS.has(extname(name))).sort();
    for (const name of entries) {
      // client-node's loader turns wire names (`x-kubernetes-validations`) into its model's
      // (`x_kubernetes_validations`); the typed API client serializes only the latter, so a plain
      // YAML parse would silently drop every CEL rule and list-type marker.
      const documents: unknown[] = loadAllYaml(await readFile(join(directory, name), 'utf8'));
      for (const document of documents) if (isCrd(document)) crds.push(document);
    }
  }
  return crds;
}

/** Creates a CRD, or replaces it if one of that name already exists (a reused etcd). */
async function applyCrd(api: ApiextensionsV1Api, crd: V1CustomResourceDefinition): Promise<void> {
  try {
    await api.createCustomResourceDefinition({ body: crd });
  } catch (error) {
    if (!(error instanceof ApiException) || error.code !== 409) throw error;
    const name = crd.metadata?.name ?? '';
    const existing = await api.readCustomResourceDefinition({ name });
    await api.replaceCustomResourceDefinition({
      name,
      body: { ...crd, metadata: { ...crd.metadata, resourceVersion: existing.metadata?.resourceVersion } },
    });
  }
}

function isEstablished(crd: V1CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

/** Whether discovery at /apis/<group>/<version> lists the CRD's plural for every served version. */
async function servedInDiscovery(api: CustomObjectsApi, crd: V1CustomResourceDefinition): Promise<boolean> {
  for (const version of crd.spec.versions.filter((v) => v.served)) {
    try {
      const list = await api.getAPIResources({ group: crd.spec.group, version: version.name });
      if (!list.resources.some((r) => r.name === crd.spec.names.plural)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Waits until each CRD is `Established` and every served version appears in discovery (what
 * envtest's `WaitForCRDs` checks), so clients can use them immediately. Also used after an API
 * server restart, when the CRD handlers are rebuilt from etcd.
 */
export async function waitForCrdsServed(kubeConfig: KubeConfig, crds: readonly V1CustomResourceDefinition[], timeoutMs: number): Promise<void> {
  const extensions = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const customObjects = kubeConfig.makeApiClient(CustomObjectsApi);
  const pending = new Set(crds.map((crd) => crd.metadata?.name ?? ''));
  await pollUntil(
    async () => {
      for (const crd of crds) {
        const name = crd.metadata?.name ?? '';
        if (!pending.has(name)) continue;
        try {
          const current = await extensions.readCustomResourceDefinition({ name });
          if (isEstablished(current) && (await servedInDiscovery(customObjects, current))) pending.delete(name);
        } catch {
          // Not there yet (or the server is still settling); poll again.
        }
      }
      return pending.size === 0 ? true : undefined;
    },
    { timeoutMs, what: 'CRDs to be Established and served in discovery' },
    () => `still pending: ${[...pending].join(', ')}`,
  );
}

/** Creates (or replaces) `crds` and waits until they are served; see {@link waitForCrdsServed}. */
export async function installCrds(kubeConfig: KubeConfig, crds: readonly V1CustomResourceDefinition[], timeoutMs: number): Promise<void> {
  const extensions = kubeConfig.makeApiClient(ApiextensionsV1Api);
  await Promise.all(crds.map((crd) => applyCrd(extensions, crd)));
  await waitForCrdsServed(kubeConfig, crds, timeoutMs);
}
