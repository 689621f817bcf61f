// `l4gw reconcile` is a faithful dry run: the examples applied for real to an API server of their
// own, with `l4gw run` managing them, end in the state the offline run predicted — the same
// Gateways Programmed with the same listener counts, the same set of addresses, the same route
// conditions, and the same generated objects.
import { type ChildProcess, spawn } from 'node:child_process';
import { type KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubeObject } from '@l4gw/core';
import { type ControlPlane, startControlPlane } from '@l4gw/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readManifests } from '../src/manifests.js';
import { CLI, REPO_ROOT, runCli } from './run-cli.js';

/** Announcer pools whose CRDs (MetalLB, Cilium) the test API server does not have. */
const NOT_INSTALLED = new Set(['CiliumLoadBalancerIPPool', 'IPAddressPool', 'L2Advertisement']);
const CONTROLLER = 'kube-vip.io/controller';

type Conditions = { type: string; status: string; reason: string }[];
type Status = {
  conditions?: Conditions;
  addresses?: { value: string }[];
  listeners?: { name: string; attachedRoutes: number }[];
  parents?: { controllerName: string; parentRef: { name: string; sectionName?: string }; conditions: Conditions }[];
};

function key(object: KubeObject): string {
  return `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function summary(conditions: Conditions | undefined): string[] {
  return (conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason}`).sort();
}

/** What the comparison looks at, for one list of objects. */
function observable(objects: readonly KubeObject[]) {
  const status = (object: KubeObject) => (object['status'] ?? {}) as Status;
  // Sorted, so that the JSON of two equal observations is equal whatever order the lists came in.
  const byKey = (a: KubeObject, b: KubeObject) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  const gateways = objects.filter((o) => o.kind === 'Gateway').sort(byKey);
  const routes = objects.filter((o) => o.kind === 'TCPRoute' || o.kind === 'UDPRoute').sort(byKey);
  return {
    gateways: Object.fromEntries(
      gateways.map((g) => [key(g), { conditions: summary(status(g).conditions), listeners: (status(g).listeners ?? []).map((l) => `${l.name}:${l.attachedRoutes}`) }]),
    ),
    addresses: gateways.flatMap((g) => (status(g).addresses ?? []).map((a) => a.value)).sort(),
    routes: Object.fromEntries(
      routes.map((r) => [
        key(r),
        (status(r).parents ?? []).filter((p) => p.controllerName === CONTROLLER).map((p) => [p.parentRef.name, p.parentRef.sectionName, ...summary(p.conditions)]),
      ]),
    ),
    generated: objects
      .filter((o) => o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'l4gw' || o.metadata.annotations?.['l4gw.io/original'] !== undefined)
      .map(key)
      .sort(),
  };
}

describe('examples applied to a real API server under l4gw run', () => {
  let controlPlane: ControlPlane;
  let operator: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    controlPlane = await startControlPlane();
  });

  afterAll(async () => {
    if (operator !== undefined && operator.exitCode === null) operator.kill('SIGKILL');
    await controlPlane?.stop();
  });

  it('should end in the state l4gw reconcile predicted offline', async () => {
    const predicted = runCli(['reconcile', '-f', 'examples', '-o', 'yaml']);
    expect(predicted.status).toBe(0);
    const expected = observable((parse(predicted.stdout) as { items: KubeObject[] }).items);

    const client = KubernetesObjectApi.makeApiClient(controlPlane.kubeConfig);
    const manifests = readManifests([`${REPO_ROOT}/examples`])
      .map(({ object }) => object)
      .filter((object) => !NOT_INSTALLED.has(object.kind));
    // Namespaces first, as kubectl would need them; then everything else.
    const ordered = [...manifests.filter((o) => o.kind === 'Namespace'), ...manifests.filter((o) => o.kind !== 'Namespace')];
    const seen = new Set<string>();
    for (const object of ordered) {
      if (seen.has(key(object))) continue; // the shared GatewayClass and ConfigMap copies
      seen.add(key(object));
      await client.patch(object as KubernetesObject, undefined, undefined, 'kubectl', true, PatchStrategy.ServerSideApply);
    }

    operator = spawn(process.execPath, [CLI, 'run', '-kubeconfig', controlPlane.kubeconfigPath, '-metrics-bind-address', '0', '-health-probe-bind-address', '0'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    operator.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    operator.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const kinds = [
      ['gateway.networking.k8s.io/v1', 'Gateway'],
      ['gateway.networking.k8s.io/v1', 'TCPRoute'],
      ['gateway.networking.k8s.io/v1', 'UDPRoute'],
      ['v1', 'Service'],
      ['discovery.k8s.io/v1', 'EndpointSlice'],
    ] as const;
    const live = async (): Promise<KubeObject[]> => {
      const lists = await Promise.all(kinds.map(([apiVersion, kind]) => client.list(apiVersion, kind)));
      return lists.flatMap((list, index) => list.items.map((item) => ({ ...item, apiVersion: kinds[index]![0], kind: kinds[index]![1] }) as unknown as KubeObject));
    };

    // Level-based: wait until the cluster stops changing in the compared respects, then compare.
    const deadline = Date.now() + 90_000;
    let actual = observable(await live());
    while (JSON.stringify(actual) !== JSON.stringify(expected) && Date.now() < deadline) {
      if (operator.exitCode !== null) throw new Error(`l4gw exited (${operator.exitCode}):\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      actual = observable(await live());
    }
    expect(actual.gateways).toEqual(expected.gateways);
    expect(actual.addresses).toEqual(expected.addresses);
    expect(actual.generated).toEqual(expected.generated);
    expect(actual.routes).toEqual(expected.routes);
  });
});
