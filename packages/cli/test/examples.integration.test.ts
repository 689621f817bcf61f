// The examples, the deploy manifests and everything `l4gw reconcile` prints for them, accepted by
// a real kube-apiserver with the Gateway API CRDs (server-side apply, dryRun=All): CRD schemas
// and CEL rules, name lengths (GW8), Service and EndpointSlice validation all apply.
import { type KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubeObject } from '@l4gw/core';
import { sharedKubeConfig } from '@l4gw/envtest/vitest';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readManifests } from '../src/manifests.js';
import { REPO_ROOT, runCli } from './run-cli.js';

const FIELD_MANAGER = 'l4gw-examples-test';
/** Announcer pools: their CRDs (MetalLB, Cilium) are not installed on the test API server. */
const NOT_INSTALLED = ['CiliumLoadBalancerIPPool', 'IPAddressPool', 'L2Advertisement'];

const client = KubernetesObjectApi.makeApiClient(sharedKubeConfig());

/** The object as a user would apply it: without server-set metadata and without status. */
function applicable(object: KubeObject): KubernetesObject {
  const { uid: _uid, creationTimestamp: _created, generation: _generation, resourceVersion: _rv, ...metadata } = object.metadata;
  const { status: _status, ...rest } = object;
  return { ...rest, metadata } as KubernetesObject;
}

function describeObject(object: KubeObject): string {
  return `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/**
 * Creates the Namespaces for real (the dry run of an object in a missing namespace fails), then
 * server-side applies every other object with dryRun=All. Returns the kinds that were skipped.
 */
async function applyDryRun(objects: readonly KubeObject[]): Promise<{ failures: string[]; skipped: string[] }> {
  const failures: string[] = [];
  const skipped = new Set<string>();
  const namespaces = new Set(objects.flatMap((object) => (object.kind === 'Namespace' ? [object.metadata.name] : object.metadata.namespace ?? [])));
  for (const name of namespaces) {
    await client.patch({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }
  for (const object of objects) {
    if (NOT_INSTALLED.includes(object.kind)) {
      skipped.add(object.kind);
      continue;
    }
    try {
      await client.patch(applicable(object), undefined, 'All', FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    } catch (error) {
      failures.push(`${describeObject(object)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { failures, skipped: [...skipped].sort() };
}

describe('examples on the API server', () => {
  it('should accept every example manifest (server-side dry run)', async () => {
    const objects = readManifests([`${REPO_ROOT}/examples`]).map(({ object }) => object);
    expect(objects.length).toBeGreaterThan(50);
    const { failures, skipped } = await applyDryRun(objects);
    expect(failures).toEqual([]);
    expect(skipped).toEqual(NOT_INSTALLED);
  });

  it('should accept the deploy manifests (server-side dry run)', async () => {
    const objects = readManifests([`${REPO_ROOT}/examples/deploy`]).map(({ object }) => object);
    expect(objects.map((object) => object.kind).sort()).toEqual([
      'ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Namespace', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount',
    ]);
    const { failures } = await applyDryRun(objects);
    expect(failures).toEqual([]);
  });

  it('should accept every object l4gw reconcile generates for the examples (server-side dry run)', async () => {
    const result = runCli(['reconcile', '-f', 'examples', '-o', 'yaml']);
    expect(result.status).toBe(0);
    const items = (parse(result.stdout) as { items: KubeObject[] }).items;
    const generated = items.filter(
      (item) => item.metadata.labels?.['app.kubernetes.io/managed-by'] === 'l4gw' || item.metadata.annotations?.['l4gw.io/original'] !== undefined,
    );
    expect(generated.map((item) => item.kind)).toEqual(expect.arrayContaining(['Service', 'EndpointSlice']));
    const { failures } = await applyDryRun(generated);
    expect(failures).toEqual([]);
  });
});
