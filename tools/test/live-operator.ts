// What the chart and image tests check once they started the operator their way: a GatewayClass,
// a pool and a Gateway in a namespace of their own, then /readyz, the class Accepted, the Gateway
// Programmed with an address from the pool, and the leader-election Lease held.

import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CoreV1Api, type KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { eventually } from '@l4gw/envtest';
import { parseAllDocuments } from 'yaml';
import { renderChart } from '../deploy/render.ts';
import type { DeploymentLike } from './operator-command.ts';

export type Json = KubernetesObject & Record<string, unknown>;

export type RenderedDeployment = DeploymentLike & {
  spec: { template: { spec: { containers: { resources: { requests: { memory: string } } }[] } } };
};

export interface InstalledChart {
  /** The chart's objects as rendered, in helm's install order. */
  readonly rendered: Json[];
  readonly deployment: RenderedDeployment;
  /** A kubeconfig (JSON) that authenticates as the chart's ServiceAccount. */
  readonly kubeconfig: string;
}

/**
 * Renders charts/l4gw as release `namespace` in namespace `namespace` (created by the chart) for
 * `controllerName` and the pool ConfigMap `<namespace>/pools`, server-side applies it, and issues
 * a token for its ServiceAccount: what a Pod of the Deployment would authenticate with.
 */
export async function installChart(kubeConfig: KubeConfig, namespace: string, controllerName: string, set: readonly string[] = []): Promise<InstalledChart> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  const rendered = parseAllDocuments(
    renderChart({ release: namespace, namespace, set: [`namespace.create=true,config.gatewayClassName=${controllerName},config.ipamConfigMap=${namespace}/pools`, ...set] }),
  )
    .map((doc) => doc.toJS() as Json | null)
    .filter((object): object is Json => object !== null);
  for (const object of rendered) await client.patch(object, undefined, undefined, 'l4gw-chart-test', true, PatchStrategy.ServerSideApply);
  const deployment = rendered.find((object) => object.kind === 'Deployment') as unknown as RenderedDeployment | undefined;
  if (deployment === undefined) throw new Error('the chart rendered no Deployment');
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const token = await core.createNamespacedServiceAccountToken({ name: namespace, namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  if (token.status?.token === undefined) throw new Error('the TokenRequest returned no token');
  return { rendered, deployment, kubeconfig: tokenKubeconfig(kubeConfig, token.status.token) };
}


function condition(object: Json, type: string): string | undefined {
  const conditions = (object['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.find((entry) => entry.type === type)?.status;
}

/**
 * A GatewayClass for `controllerName`, the IPAM ConfigMap `pools` holding `pool` (a range: tests
 * sharing the API server use disjoint ones, since an address on any Service is taken) and a
 * one-listener Gateway.
 */
export async function createWorkload(kubeConfig: KubeConfig, namespace: string, controllerName: string, pool: string): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  const objects: Json[] = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: namespace }, spec: { controllerName } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pools', namespace }, data: { 'range-global': pool } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw', namespace },
      spec: { gatewayClassName: namespace, listeners: [{ name: 'tcp', port: 7000, protocol: 'TCP' }] },
    },
  ];
  for (const object of objects) await client.create(object);
}

/** Collects a child's stdout and stderr, for failure messages. */
export function capture(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return () => output;
}

export interface Served {
  readonly gatewayAddress: string | undefined;
  readonly leaseHolder: string | undefined;
}

/** Waits for /readyz, the class Accepted and the Gateway Programmed; fails early if the child exits. */
export async function waitUntilServing(kubeConfig: KubeConfig, child: ChildProcess, output: () => string, namespace: string, healthPort: number): Promise<Served> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  const waitFor = <T>(what: string, probe: () => Promise<T | undefined>) =>
    eventually(what, async () => {
      if (child.exitCode !== null) throw new Error(`the operator exited (${child.exitCode})`);
      return probe();
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\noperator output:\n${output()}`, { cause: error });
    });
  await waitFor('/readyz 200', async () => {
    const response = await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => undefined);
    return response?.status === 200 || undefined;
  });
  await waitFor('GatewayClass Accepted', async () => {
    const gatewayClass = (await client.read({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: namespace } })) as Json;
    return condition(gatewayClass, 'Accepted') === 'True' || undefined;
  });
  const gateway = await waitFor('Gateway Programmed', async () => {
    const current = (await client.read({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace } })) as Json;
    return condition(current, 'Programmed') === 'True' ? current : undefined;
  });
  const lease = (await client.read({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l4gw-leader-election', namespace } })) as Json;
  return {
    gatewayAddress: (gateway['status'] as { addresses?: { value: string }[] }).addresses?.[0]?.value,
    leaseHolder: (lease['spec'] as { holderIdentity?: string }).holderIdentity,
  };
}

/** The resident set of a running process, from /proc. */
export function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** A kubeconfig (JSON) for kubeConfig's API server that authenticates with `token`, files inlined. */
export function tokenKubeconfig(kubeConfig: KubeConfig, token: string): string {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig has no current cluster');
  const ca = cluster.caData ?? (cluster.caFile !== undefined ? readFileSync(cluster.caFile).toString('base64') : undefined);
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'envtest', cluster: { server: cluster.server, 'certificate-authority-data': ca } }],
    users: [{ name: 'serviceaccount', user: { token } }],
    contexts: [{ name: 'serviceaccount', context: { cluster: 'envtest', user: 'serviceaccount' } }],
    'current-context': 'serviceaccount',
  });
}
