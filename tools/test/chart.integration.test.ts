// charts/l4gw on a real kube-apiserver: the rendered chart is server-side applied, every object
// reads back as rendered, and the operator started exactly as the rendered Deployment starts it
// (its args, its env, as its ServiceAccount with the chart's RBAC) becomes ready, is elected, and
// programs a Gateway. Its resident memory once idle must sit below the chart's memory request.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { sharedKubeConfig } from '@l4gw/envtest/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderChart } from '../deploy/render.ts';
import { CLI } from '../../packages/cli/test/run-cli.ts';
import { type DeploymentLike, freePort, operatorCommand } from './operator-command.ts';
import { capture, createWorkload, exited, POOL, rssMiB, waitUntilServing } from './live-operator.ts';

type Json = KubernetesObject & Record<string, unknown>;

const kubeConfig = sharedKubeConfig();
const client = KubernetesObjectApi.makeApiClient(kubeConfig);
const FIELD_MANAGER = 'l4gw-chart-test';

/** A kubeconfig for the shared API server that authenticates with `token`. */
function tokenKubeconfig(token: string): string {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('the shared kubeconfig has no current cluster');
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

describe('charts/l4gw on a real API server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l4gw-chart-'));
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('should apply, read back as rendered, and run the operator its Deployment describes', async () => {
    // A namespace and object names no other test uses (the ClusterRole is cluster-wide).
    const namespace = `l4gw-chart-${Date.now().toString(36)}`;
    const controllerName = `l4gw.test/${namespace}`;
    const rendered = parseAllDocuments(
      renderChart({
        release: namespace,
        namespace,
        set: [`namespace.create=true,networkPolicy.enabled=true,config.gatewayClassName=${controllerName},config.ipamConfigMap=${namespace}/pools`],
      }),
    )
      .map((doc) => doc.toJS() as Json | null)
      .filter((object): object is Json => object !== null);
    expect(rendered.map((object) => object.kind)).toEqual(['Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Service', 'Deployment']);

    for (const object of rendered) await client.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    for (const object of rendered) {
      const live = await client.read({ apiVersion: object.apiVersion!, kind: object.kind!, metadata: { name: object.metadata!.name!, namespace: object.metadata!.namespace! } });
      expect(live, `${object.kind} ${object.metadata?.name}`).toMatchObject(object);
    }

    // The operator as its Pod would run: the ServiceAccount's token instead of the mounted one.
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const token = await core.createNamespacedServiceAccountToken({ name: namespace, namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
    const kubeconfig = join(dir, 'sa.kubeconfig');
    if (token.status?.token === undefined) throw new Error('the TokenRequest returned no token');
    writeFileSync(kubeconfig, tokenKubeconfig(token.status.token));
    await createWorkload(kubeConfig, namespace, controllerName);

    const deployment = rendered.find((object) => object.kind === 'Deployment') as unknown as DeploymentLike & { spec: { template: { spec: { containers: { resources: { requests: { memory: string } } }[] } } } };
    const healthPort = await freePort();
    const command = operatorCommand(deployment, { namespace, kubeconfig, metricsPort: await freePort(), healthPort });
    expect(command.args).toContain(`-leader-election-namespace=${namespace}`);
    expect(command.env['NODE_OPTIONS']).toMatch(/^--max-old-space-size=\d+$/);
    child = spawn(process.execPath, [CLI, ...command.args], { env: { ...process.env, ...command.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = capture(child);

    const served = await waitUntilServing(kubeConfig, child, output, namespace, healthPort);
    expect(served.gatewayAddress).toBe(POOL.split('-')[0]);
    expect(served.leaseHolder).toBeTruthy();

    // Idle: converged, nothing left to do. The request must cover it (the scheduler's promise).
    const request = deployment.spec.template.spec.containers[0]!.resources.requests.memory;
    const requestMiB = Number(/^(\d+)Mi$/.exec(request)?.[1]);
    const idle = rssMiB(child.pid!);
    console.info(`operator idle RSS from the chart's command line: ${idle.toFixed(0)} MiB (request ${request})`);
    expect(idle).toBeLessThan(requestMiB);

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });
});
