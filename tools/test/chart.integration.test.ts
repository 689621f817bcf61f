// charts/l4gw on a real kube-apiserver: the rendered chart is server-side applied, every object
// reads back as rendered, and the operator started exactly as the rendered Deployment starts it
// (its args, its env, as its ServiceAccount with the chart's RBAC) becomes ready, is elected, and
// programs a Gateway. Its resident memory once idle must sit below the chart's memory request.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import { sharedKubeConfig } from '@l4gw/envtest/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../../packages/cli/test/run-cli.ts';
import { freePort, operatorCommand } from './operator-command.ts';
import { capture, createWorkload, exited, installChart, rssMiB, waitUntilServing } from './live-operator.ts';

const kubeConfig = sharedKubeConfig();
const client = KubernetesObjectApi.makeApiClient(kubeConfig);
/** This file's IPAM pool (the image test uses another). */
const POOL = '10.97.0.10-10.97.0.20';

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
    const { rendered, deployment, kubeconfig } = await installChart(kubeConfig, namespace, controllerName, ['networkPolicy.enabled=true']);
    expect(rendered.map((object) => object.kind)).toEqual(['Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Service', 'Deployment']);
    for (const object of rendered) {
      const live = await client.read({ apiVersion: object.apiVersion!, kind: object.kind!, metadata: { name: object.metadata!.name!, namespace: object.metadata!.namespace! } });
      expect(live, `${object.kind} ${object.metadata?.name}`).toMatchObject(object);
    }

    // The operator as its Pod would run, with the ServiceAccount's token instead of the mounted one.
    const kubeconfigPath = join(dir, 'sa.kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfig);
    await createWorkload(kubeConfig, namespace, controllerName, POOL);
    const healthPort = await freePort();
    const command = operatorCommand(deployment, { namespace, kubeconfig: kubeconfigPath, metricsPort: await freePort(), healthPort });
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
