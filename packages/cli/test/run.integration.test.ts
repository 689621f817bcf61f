// `l4gw run` as users start it, the prototype's bare command line, against the shared test API
// server: the Gateway gets an address from the pool and becomes Programmed (GW4, GW5), the
// endpoints Service carries the VIP (DP1, DP6), `l4gw ipam` reads the same state from the cluster
// (IP7), `l4gw reconcile -kubeconfig -check` finds it ready, and SIGTERM stops the process cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import { type KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { createTestNamespace, eventually } from '@l4gw/envtest';
import { sharedKubeConfig, sharedKubeconfigPath } from '@l4gw/envtest/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, runCli } from './run-cli.js';

type Json = KubernetesObject & Record<string, unknown>;

const kubeConfig = sharedKubeConfig();
const client = KubernetesObjectApi.makeApiClient(kubeConfig);

function conditionStatus(status: unknown, type: string): string | undefined {
  const conditions = (status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.find((condition) => condition.type === type)?.status;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('l4gw run', () => {
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  });

  it('should program a Gateway when started with the prototype command line, and stop on SIGTERM', async () => {
    const namespace = await createTestNamespace(kubeConfig, 'cli-run');
    const controllerName = `l4gw.test/${namespace}`;
    const objects: Json[] = [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: namespace }, spec: { controllerName } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pools', namespace }, data: { 'range-global': '10.99.0.10-10.99.0.20' } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'echo', namespace },
        spec: { selector: { app: 'echo' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
      },
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'echo-1', namespace, labels: { 'kubernetes.io/service-name': 'echo' } },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true } }],
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'demo-gateway', namespace },
        spec: { gatewayClassName: namespace, listeners: [{ name: 'http-server', port: 8080, protocol: 'TCP' }] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'TCPRoute',
        metadata: { name: 'echo', namespace },
        spec: { parentRefs: [{ name: 'demo-gateway', sectionName: 'http-server' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] },
      },
    ];
    for (const object of objects) await client.create(object);

    // The prototype's README command line, single-dash long flags and all (ports 0: any free port).
    child = spawn(
      process.execPath,
      [
        CLI,
        '-metrics-bind-address', '127.0.0.1:0',
        '-kubeconfig', sharedKubeconfigPath(),
        '-health-probe-bind-address=127.0.0.1:0',
        '-gateway-class-name', controllerName,
        '-ipam-configmap', `${namespace}/pools`,
        '-log-format', 'json',
        // The Lease's name and namespace are flags (the prototype's manifest spelling of the name).
        '-leader-elect',
        '-leader-elect-resource-name', `lease-${namespace}`,
        '-leader-election-namespace', namespace,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const gateway = await eventually('the Gateway to be Programmed', async () => {
      if (child?.exitCode !== null) throw new Error(`l4gw exited early (${child?.exitCode}):\n${output}`);
      const current = (await client.read({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'demo-gateway', namespace } })) as Json;
      return conditionStatus(current['status'], 'Programmed') === 'True' ? current : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\nl4gw output:\n${output}`);
    });
    const addresses = (gateway['status'] as { addresses: { type: string; value: string }[] }).addresses;
    expect(addresses).toEqual([{ type: 'IPAddress', value: '10.99.0.10' }]);
    expect(gateway.spec).not.toHaveProperty('addresses'); // GW5: the spec is left alone by default

    const service = (await client.read({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'demo-gateway-' + namespace, namespace } })) as Json;
    expect(service.metadata?.annotations?.['kube-vip.io/loadbalancerIPs']).toBe('10.99.0.10');
    expect((service['spec'] as { type: string }).type).toBe('LoadBalancer');

    // `l4gw ipam` against the same cluster (read-only) reports the pool and the holder (IP7).
    const ipam = runCli(['ipam', '-kubeconfig', sharedKubeconfigPath(), '-gateway-class-name', controllerName, '-ipam-configmap', `${namespace}/pools`, '-o', 'json']);
    expect(ipam.stderr).toBe('');
    expect(ipam.status).toBe(0);
    const report = JSON.parse(ipam.stdout) as { pools: { pool: string; family: string; capacity: string; used: string }[]; addresses: { gateway: string; address: string }[] };
    expect(report.pools).toContainEqual(expect.objectContaining({ pool: `${namespace}/pools#range-global`, family: 'IPv4', capacity: '11', used: '1' }));
    expect(report.addresses).toEqual([{ gateway: `${namespace}/demo-gateway`, address: '10.99.0.10', note: '' }]);

    // `l4gw reconcile -kubeconfig … -check` on the converged cluster: every object of ours ready.
    const live = runCli(['reconcile', '-kubeconfig', sharedKubeconfigPath(), '-gateway-class-name', controllerName, '-ipam-configmap', `${namespace}/pools`, '-o', 'table', '-check']);
    expect(live.stderr).not.toContain('check:');
    expect(live.status).toBe(0);
    expect(live.stdout).toMatch(new RegExp(`${namespace}/demo-gateway\\s+${namespace}\\s+10\\.99\\.0\\.10\\s+True`));

    const lease = (await client.read({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: `lease-${namespace}`, namespace } })) as Json;
    expect((lease['spec'] as { holderIdentity?: string }).holderIdentity).toBeTruthy();

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    // JSON logs: every line the operator wrote parses (-log-format json), and each write and the
    // address assignment have an info line naming the object.
    const lines = output.split('\n').filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ level: 'info', msg: 'write', object: `Gateway ${namespace}/demo-gateway`, verb: 'updateStatus', result: 'success' }));
    expect(records).toContainEqual(expect.objectContaining({ level: 'info', msg: 'address assigned', gateway: `${namespace}/demo-gateway`, address: '10.99.0.10' }));
  });
});
