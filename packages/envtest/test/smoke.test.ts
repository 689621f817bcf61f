import { ApiException, CustomObjectsApi, Watch, type KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace } from '../src/index.js';
import { sharedKubeConfig } from '../src/vitest-inject.js';

// Proves the shared control plane is a real API server with the Gateway API CRDs: their CEL rules
// run, the status subresource is separate from the main resource, and watches deliver changes.

const GROUP = 'gateway.networking.k8s.io';
const VERSION = 'v1';

interface ObjectWithStatus {
  metadata: { name: string; namespace?: string; resourceVersion?: string; generation?: number };
  spec?: unknown;
  status?: { parents?: unknown[] };
}

function gateway(name: string, listener: Record<string, unknown>): object {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: 'Gateway',
    metadata: { name },
    spec: { gatewayClassName: 'l4gw', listeners: [listener] },
  };
}

function tcpRoute(name: string): object {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: 'TCPRoute',
    metadata: { name },
    spec: {
      parentRefs: [{ name: 'gw', sectionName: 'tcp' }],
      rules: [{ backendRefs: [{ name: 'backend', port: 5432 }] }],
    },
  };
}

function acceptedStatus(generation: number): ObjectWithStatus['status'] {
  return {
    parents: [
      {
        parentRef: { group: GROUP, kind: 'Gateway', name: 'gw', sectionName: 'tcp' },
        controllerName: 'l4gw.io/gateway-controller',
        conditions: [
          {
            type: 'Accepted',
            status: 'True',
            reason: 'Accepted',
            message: 'smoke test',
            observedGeneration: generation,
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
        ],
      },
    ],
  };
}

/** Collects watch events for one resource collection until `until` matches one of them. */
async function watchUntil(
  kubeConfig: KubeConfig,
  path: string,
  resourceVersion: string,
  until: (phase: string, object: ObjectWithStatus) => boolean,
  act: () => Promise<void>,
): Promise<{ phase: string; object: ObjectWithStatus }> {
  let resolveMatch: (value: { phase: string; object: ObjectWithStatus }) => void = () => {};
  let rejectMatch: (reason: unknown) => void = () => {};
  const matched = new Promise<{ phase: string; object: ObjectWithStatus }>((resolve, reject) => {
    resolveMatch = resolve;
    rejectMatch = reject;
  });
  const controller = await new Watch(kubeConfig).watch(
    path,
    { resourceVersion },
    (phase, object: ObjectWithStatus) => {
      if (until(phase, object)) resolveMatch({ phase, object });
    },
    (error: unknown) => rejectMatch(error ?? new Error('watch ended before the expected event')),
  );
  try {
    await act();
    return await matched;
  } finally {
    controller.abort();
  }
}

describe('the shared envtest control plane', () => {
  let kubeConfig: KubeConfig;
  let customObjects: CustomObjectsApi;
  let namespace: string;

  beforeAll(async () => {
    kubeConfig = sharedKubeConfig();
    customObjects = kubeConfig.makeApiClient(CustomObjectsApi);
    namespace = await createTestNamespace(kubeConfig, 'smoke');
  });

  it('should reject a Gateway whose TCP listener has a hostname (CRD CEL validation)', async () => {
    const body = gateway('tcp-with-hostname', { name: 'tcp', protocol: 'TCP', port: 5432, hostname: 'db.example.com' });
    const attempt = customObjects.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: 'gateways', body });
    await expect(attempt).rejects.toBeInstanceOf(ApiException);
    const error: unknown = await attempt.catch((e: unknown) => e);
    expect((error as ApiException<string>).code).toBe(422);
    expect(String((error as ApiException<string>).body)).toContain("hostname must not be specified for protocols ['TCP', 'UDP']");
  });

  it('should accept the same Gateway without the hostname', async () => {
    const body = gateway('tcp-without-hostname', { name: 'tcp', protocol: 'TCP', port: 5432 });
    const created = (await customObjects.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace,
      plural: 'gateways',
      body,
    })) as ObjectWithStatus;
    expect(created.metadata.name).toBe('tcp-without-hostname');
    expect(created.metadata.namespace).toBe(namespace);
  });

  it('should keep TCPRoute status apart from the main resource and deliver the change to a watch', async () => {
    const route = { group: GROUP, version: VERSION, namespace, plural: 'tcproutes' };
    const created = (await customObjects.createNamespacedCustomObject({ ...route, body: tcpRoute('db') })) as ObjectWithStatus;
    expect(created.status?.parents ?? []).toEqual([]);
    const generation = created.metadata.generation ?? 0;
    expect(generation).toBeGreaterThan(0);

    // A status write through the status subresource, observed by a watch opened before it.
    const seen = await watchUntil(
      kubeConfig,
      `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/tcproutes`,
      created.metadata.resourceVersion ?? '0',
      (phase, object) => phase === 'MODIFIED' && object.metadata.name === 'db' && (object.status?.parents?.length ?? 0) === 1,
      async () => {
        await customObjects.replaceNamespacedCustomObjectStatus({
          ...route,
          name: 'db',
          body: { ...created, status: acceptedStatus(generation) },
        });
      },
    );
    expect(seen.object.status).toEqual(acceptedStatus(generation));
    expect(seen.object.metadata.generation).toBe(generation);

    // A status change sent through the main resource is ignored (the status subresource is enabled).
    const current = (await customObjects.getNamespacedCustomObject({ ...route, name: 'db' })) as ObjectWithStatus;
    await customObjects.replaceNamespacedCustomObject({ ...route, name: 'db', body: { ...current, status: { parents: [] } } });
    const after = (await customObjects.getNamespacedCustomObject({ ...route, name: 'db' })) as ObjectWithStatus;
    expect(after.status).toEqual(acceptedStatus(generation));
  });
});
