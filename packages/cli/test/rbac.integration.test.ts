// R6 on a real API server: the operator runs as an ordinary user bound only to the RBAC that
// `l4gw rbac` generates, through a lifecycle that exercises its writes (leader election, status,
// finalizers, generated Services and EndpointSlices, update-mode restore, garbage collection,
// Events). kube-apiserver's audit log records every request it made; the generated rules must
// cover each of them (no 403) and grant nothing the operator never asked for.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { RBAC_RULES } from '@l4gw/adapter-k8s';
import { type ControlPlane, eventually, startControlPlane } from '@l4gw/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rbacManifests } from '../src/rbac.js';
import { CLI, REPO_ROOT } from './run-cli.js';

type Json = KubernetesObject & Record<string, unknown>;

const USER = 'l4gw-operator';
const NAMESPACE = 'l4gw-rbac';
const CONTROLLER = 'l4gw.test/rbac';

interface AuditEvent {
  stage: string;
  verb: string;
  user: { username: string };
  objectRef?: { apiGroup?: string; resource?: string; subresource?: string };
  responseStatus?: { code?: number };
  requestURI: string;
}

function conditionStatus(object: Json, type: string): string | undefined {
  const conditions = (object['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.find((condition) => condition.type === type)?.status;
}

/** `group/resource[/subresource] verb`, the unit RBAC grants. */
function permission(group: string, resource: string, verb: string): string {
  return `${group === '' ? 'core' : group}/${resource} ${verb}`;
}

describe('generated RBAC (R6)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l4gw-rbac-'));
  const auditLog = join(dir, 'audit.log');
  let controlPlane: ControlPlane;
  let admin: KubernetesObjectApi;
  let operator: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    const policy = join(dir, 'audit-policy.yaml');
    writeFileSync(
      policy,
      ['apiVersion: audit.k8s.io/v1', 'kind: Policy', 'omitStages: [RequestReceived]', 'rules:', `  - level: Metadata`, `    users: ["${USER}"]`, '  - level: None', ''].join('\n'),
    );
    controlPlane = await startControlPlane({
      users: [{ name: USER, groups: [] }],
      apiServerArgs: [`--audit-policy-file=${policy}`, `--audit-log-path=${auditLog}`, '--audit-log-mode=blocking'],
    });
    admin = KubernetesObjectApi.makeApiClient(controlPlane.kubeConfig);
  });

  afterAll(async () => {
    if (operator !== undefined && operator.exitCode === null) operator.kill('SIGKILL');
    await controlPlane?.stop();
  });

  /** The (group/resource verb) of every request the operator made, and which were denied. */
  let requests: { used: Set<string>; denied: string[] } | undefined;

  async function lifecycle(): Promise<{ used: Set<string>; denied: string[] }> {
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    const subjects = [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: USER }];
    for (const object of rbacManifests(RBAC_RULES, { name: 'l4gw', namespace: NAMESPACE, serviceAccount: 'unused' })) {
      await admin.create({ ...object, ...('subjects' in object ? { subjects } : {}) } as Json);
    }
    const backend = (name: string, ip: string, protocol = 'TCP'): Json[] => [
      { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NAMESPACE }, spec: { selector: { app: name }, ports: [{ name: 'port', port: 80, targetPort: 8080, protocol }] } },
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${name}-1`, namespace: NAMESPACE, labels: { 'kubernetes.io/service-name': name } },
        addressType: 'IPv4',
        ports: [{ name: 'port', port: 8080, protocol }],
        endpoints: [{ addresses: [ip], conditions: { ready: true } }],
      },
    ];
    const route = (name: string, section: string, backendName: string, labels: Record<string, string> = {}, kind = 'TCPRoute'): Json => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind,
      metadata: { name, namespace: NAMESPACE, labels },
      spec: { parentRefs: [{ name: 'gw', sectionName: section }], rules: [{ backendRefs: [{ name: backendName, port: 80 }] }] },
    });
    const setup: Json[] = [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'rbac' }, spec: { controllerName: CONTROLLER } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pools', namespace: NAMESPACE }, data: { 'range-global': '10.98.0.10-10.98.0.20' } },
      ...backend('echo', '10.244.0.5'),
      ...backend('legacy', '10.244.0.6'),
      ...backend('dns', '10.244.0.7', 'UDP'),
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'gw', namespace: NAMESPACE },
        spec: {
          gatewayClassName: 'rbac',
          // A ListenerSet from this namespace, so that its status write is exercised too (LS3).
          allowedListeners: { namespaces: { from: 'Same' } },
          listeners: [
            { name: 'tcp', port: 7000, protocol: 'TCP' },
            { name: 'legacy', port: 7001, protocol: 'TCP' },
            { name: 'dns', port: 5353, protocol: 'UDP' },
          ],
        },
      },
      // An address outside the pool: an Event the user must act on.
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'unpooled', namespace: NAMESPACE },
        spec: { gatewayClassName: 'rbac', addresses: [{ type: 'IPAddress', value: '192.0.2.1' }], listeners: [{ name: 'tcp', port: 7000, protocol: 'TCP' }] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'ListenerSet',
        metadata: { name: 'team', namespace: NAMESPACE },
        spec: { parentRef: { name: 'gw' }, listeners: [{ name: 'team', port: 7002, protocol: 'TCP' }] },
      },
      route('echo', 'tcp', 'echo'),
      route('legacy', 'legacy', 'legacy', { serviceBehaviour: 'update' }),
      route('dns', 'dns', 'dns', {}, 'UDPRoute'),
    ];
    for (const object of setup) await admin.create(object);

    const kubeconfig = join(dir, 'operator.kubeconfig');
    writeFileSync(kubeconfig, controlPlane.kubeConfigForUser(USER).exportConfig());
    operator = spawn(
      process.execPath,
      [
        CLI, 'run',
        '-kubeconfig', kubeconfig,
        '-gateway-class-name', CONTROLLER,
        '-ipam-configmap', `${NAMESPACE}/pools`,
        '-leader-elect', '-leader-election-namespace', NAMESPACE,
        // GW5's opt-in spec write, so that the Gateway update permission is exercised too.
        '-pin-addresses',
        '-metrics-bind-address', '0', '-health-probe-bind-address', '0',
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    operator.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    operator.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const read = (apiVersion: string, kind: string, name: string) => admin.read({ apiVersion, kind, metadata: { name, namespace: NAMESPACE } }) as Promise<Json>;
    const waitFor = <T>(what: string, probe: () => Promise<T | undefined>) =>
      eventually(what, async () => {
        if (operator?.exitCode !== null) throw new Error(`operator exited (${operator?.exitCode}):\n${output}`);
        return probe();
      }).catch((error: unknown) => {
        throw new Error(`${String(error)}\noperator output:\n${output}`);
      });

    await waitFor('Gateway gw Programmed', async () => (conditionStatus(await read('gateway.networking.k8s.io/v1', 'Gateway', 'gw'), 'Programmed') === 'True' ? true : undefined));
    await waitFor('ListenerSet team Programmed', async () => (conditionStatus(await read('gateway.networking.k8s.io/v1', 'ListenerSet', 'team'), 'Programmed') === 'True' ? true : undefined));
    await waitFor('Service legacy updated (DP4)', async () => ((await read('v1', 'Service', 'legacy'))['spec'] as { type?: string }).type === 'LoadBalancer' || undefined);

    // Garbage collection and restore (DP8, DP4): remove the routes, then the Gateway.
    await admin.delete({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TCPRoute', metadata: { name: 'legacy', namespace: NAMESPACE } });
    await waitFor('Service legacy restored', async () => ((await read('v1', 'Service', 'legacy'))['spec'] as { type?: string }).type !== 'LoadBalancer' || undefined);
    await admin.delete({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: NAMESPACE } });
    await waitFor('generated Service deleted', async () => {
      const list = await admin.list('v1', 'Service', NAMESPACE, undefined, undefined, undefined, undefined, 'app.kubernetes.io/managed-by=l4gw');
      return list.items.length === 0 || undefined;
    });
    operator.kill('SIGTERM');
    await new Promise((resolve) => operator?.once('exit', resolve));

    const events = readFileSync(auditLog, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as AuditEvent)
      .filter((event) => event.user.username === USER && event.stage === 'ResponseComplete' && event.objectRef?.resource !== undefined);
    expect(events.length).toBeGreaterThan(0);

    const denied = events.filter((event) => event.responseStatus?.code === 403).map((event) => `${event.verb} ${event.requestURI}`);
    const used = new Set(
      events.flatMap((event) => {
        const resource = event.objectRef?.subresource ? `${event.objectRef.resource}/${event.objectRef.subresource}` : event.objectRef!.resource!;
        const group = event.objectRef?.apiGroup ?? '';
        // A server-side apply that creates the object (201) is also authorised as `create`, which
        // the audit log does not show as a request of its own.
        const createdByApply = event.verb === 'patch' && event.responseStatus?.code === 201;
        return [permission(group, resource, event.verb), ...(createdByApply ? [permission(group, resource, 'create')] : [])];
      }),
    );
    return { used, denied };
  }

  const granted = new Set(
    RBAC_RULES.flatMap((rule) => rule.apiGroups.flatMap((group) => rule.resources.flatMap((resource) => rule.verbs.map((verb) => permission(group, resource, verb))))),
  );

  it('should let the operator make every request of a full lifecycle (no 403)', async () => {
    requests = await lifecycle();
    expect(requests.denied).toEqual([]);
    expect([...requests.used].filter((entry) => !granted.has(entry)).sort()).toEqual([]);
  });

  it('should grant nothing the operator did not use in that lifecycle (least privilege)', () => {
    expect(requests, 'the lifecycle test ran first').toBeDefined();
    expect([...granted].filter((entry) => !requests!.used.has(entry)).sort()).toEqual([]);
  });
});
