// Discovery of served Gateway API versions and bundle-versions (RT1, GC3), on the shared server
// (v1.6) and on a control plane of its own with the older experimental CRDs (v1alpha2 routes), where a CRD is then deleted under the running controller.

import { HttpMethod } from '@kubernetes/client-node';
import { crdDirectories, loadCrds, startControlPlane, type ControlPlane } from '@l4gw/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../src/cache/discovery.js';
import { RBAC_RULES } from '../src/rbac.js';
import { KubeRest } from '../src/kube/rest.js';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, sharedKubeConfig, TestClient } from './helpers.js';
import { backendSlice, gateway, gatewayClass, ipamConfigMap, parentCondition, startOperator } from './fixtures.js';

describe('discover', () => {
  it('should pick v1 routes, ReferenceGrants and ListenerSets and read bundle-versions on Gateway API 1.6 (RT1, GC3, LS1)', async () => {
    const d = await discover(new KubeRest(sharedKubeConfig()));
    expect(Object.fromEntries(Object.entries(d.types).map(([k, t]) => [k, t?.version]))).toEqual({
      gatewayClasses: 'v1',
      gateways: 'v1',
      listenerSets: 'v1',
      tcpRoutes: 'v1',
      udpRoutes: 'v1',
      referenceGrants: 'v1',
    });
    expect(d.bundleVersions?.['tcproutes.gateway.networking.k8s.io']).toMatch(/^v1\.6\./);
    expect(d.bundleVersions?.['gateways.gateway.networking.k8s.io']).toMatch(/^v1\.6\./);
  });
});

describe('operator on older Gateway API CRDs', () => {
  const controllerName = 'l4gw.test/legacy';
  const GW = 'gateway.networking.k8s.io/v1';
  const ALPHA = 'gateway.networking.k8s.io/v1alpha2';
  let cp: ControlPlane;
  let client: TestClient;
  let op: OperatorHandle;
  let ns: string;
  const logs: string[] = [];

  beforeAll(async () => {
    cp = await startControlPlane({
      crds: 'legacy-experimental',
      users: [
        { name: 'no-rbac', groups: [] },
        { name: 'l4gw-operator', groups: [] },
      ],
    });
    client = new TestClient(cp.kubeConfig);
    ns = await client.namespace('legacy');
    await client.create(ipamConfigMap(ns, 'pools', { 'range-global': '10.67.0.10-10.67.0.20' }));
    await client.create(gatewayClass('legacy', controllerName));
    await client.create({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name: 'echo' }, spec: { selector: { app: 'echo' }, ports: [{ port: 80, protocol: 'TCP' }] } });
    op = await startOperator(cp.kubeConfig, {
      controllerName,
      ipamConfigMap: `${ns}/pools`,
      // No short discovery period: the CRD watch must notice CRD changes by itself.
      logLevel: 'info',
      logSink: (line) => logs.push(line),
    });
    await op.whenSynced();
  });

  afterAll(async () => {
    await op?.stop();
    await cp?.stop();
  });

  it('should fall back to v1alpha2 routes where v1 is not served (RT1)', async () => {
    const d = await discover(new KubeRest(cp.kubeConfig));
    expect(d.types.tcpRoutes?.version).toBe('v1alpha2');
    expect(d.types.udpRoutes?.version).toBe('v1alpha2');
    // Gateway API 1.5 already serves ReferenceGrant v1 (v1beta1 is the fallback for older ones).
    expect(d.types.referenceGrants?.version).toBe('v1');
  });

  it('should degrade to unknown bundle-versions when CRDs may not be read', async () => {
    const d = await discover(new KubeRest(cp.kubeConfigForUser('no-rbac')));
    expect(d.bundleVersions).toBeUndefined();
  });

  it('should attach a v1alpha2 TCPRoute', async () => {
    await client.create(gateway(ns, 'gw', 'legacy', [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
    await client.create({
      apiVersion: ALPHA,
      kind: 'TCPRoute',
      metadata: { namespace: ns, name: 'r' },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] },
    });
    await eventually('v1alpha2 route Accepted', async () =>
      parentCondition(await client.get(ALPHA, 'TCPRoute', ns, 'r'), controllerName, 'Accepted')?.status === 'True');
    await eventually('Gateway Programmed', async () => condition(await client.get(GW, 'Gateway', ns, 'gw'), 'Programmed')?.status === 'True');
  });

  it('should run the whole loop with nothing but RBAC_RULES granted (R6)', async () => {
    await client.rest.request(HttpMethod.POST, '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'l4gw' }, rules: RBAC_RULES },
    });
    await client.rest.request(HttpMethod.POST, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      body: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'l4gw' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'l4gw' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'l4gw-operator' }],
      },
    });
    const rbacNs = await client.namespace('rbac');
    await client.create(ipamConfigMap(rbacNs, 'pools', { 'range-global': '10.67.1.10-10.67.1.10' }));
    await client.create(gatewayClass('rbac', 'l4gw.test/rbac'));
    await client.create({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: rbacNs, name: 'echo' }, spec: { selector: { app: 'echo' }, ports: [{ name: 'tcp', port: 80, targetPort: 8080, protocol: 'TCP' }] } });
    await client.create(backendSlice(rbacNs, 'echo', { name: 'tcp', port: 8080, protocol: 'TCP' }, ['10.244.9.9']));
    const lines: string[] = [];
    const restricted = await startOperator(cp.kubeConfigForUser('l4gw-operator'), {
      controllerName: 'l4gw.test/rbac',
      ipamConfigMap: `${rbacNs}/pools`,
      leaderElect: true,
      leaderElectionNamespace: rbacNs,
      logLevel: 'warn',
      logSink: (line) => lines.push(line),
    });
    try {
      await eventually('leader', () => restricted.isLeader());
      await client.create(gateway(rbacNs, 'gw', 'rbac', [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
      await client.create({
        apiVersion: ALPHA,
        kind: 'TCPRoute',
        metadata: { namespace: rbacNs, name: 'r' },
        spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] },
      });
      await eventually('route Accepted', async () =>
        parentCondition(await client.get(ALPHA, 'TCPRoute', rbacNs, 'r'), 'l4gw.test/rbac', 'Accepted')?.status === 'True');
      await eventually('Gateway Programmed', async () => condition(await client.get(GW, 'Gateway', rbacNs, 'gw'), 'Programmed')?.status === 'True');
      // Server-side apply that creates an object needs `create` besides `patch`.
      await eventually('generated Service', async () =>
        (await client.list('v1', 'Service', rbacNs, 'app.kubernetes.io/managed-by=l4gw')).length === 1);
      await eventually('generated EndpointSlice', async () =>
        (await client.list('discovery.k8s.io/v1', 'EndpointSlice', rbacNs, 'app.kubernetes.io/managed-by=l4gw')).length === 1);
      // The pool has one address: a second Gateway gets an Event (events.k8s.io create).
      await client.create(gateway(rbacNs, 'gw2', 'rbac', [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
      await eventually('Event', async () => (await client.list('events.k8s.io/v1', 'Event', rbacNs)).length > 0);
      expect(lines.filter((l) => /forbidden|403/i.test(l))).toEqual([]);
    } finally {
      await restricted.stop();
    }
  });

  it('should disable a kind whose CRD is deleted, with a log line, and keep working', async () => {
    await client.rest.request(HttpMethod.DELETE, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/udproutes.gateway.networking.k8s.io');
    await eventually('log line about UDPRoute', () => logs.some((l) => l.includes('not served') && l.includes('UDPRoute')), 30_000);
    await eventually('UDPRoute informer gone', () => op.cache.informer('udpRoutes') === undefined);
    await client.create(gateway(ns, 'after', 'legacy', [{ name: 'tcp', port: 81, protocol: 'TCP' }]));
    await eventually('new Gateway Programmed', async () => condition(await client.get(GW, 'Gateway', ns, 'after'), 'Programmed')?.status === 'True');
    expect(op.isReady()).toBe(true);
  });

  it('should pick a kind up when its CRD is installed under the running controller', async () => {
    const crds = await loadCrds(await crdDirectories('legacy-experimental'));
    const udp = crds.find((c) => c.metadata?.name === 'udproutes.gateway.networking.k8s.io')!;
    await eventually('old CRD gone', async () =>
      (await client.rest
        .request(HttpMethod.GET, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/udproutes.gateway.networking.k8s.io')
        .then(() => false, () => true)));
    const { metadata, spec } = udp;
    await client.rest.request(HttpMethod.POST, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      body: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: metadata!.name, annotations: metadata!.annotations }, spec },
    });
    await eventually('UDPRoute informer back', () => op.cache.informer('udpRoutes')?.hasSynced(), 30_000);
    await client.create(gateway(ns, 'dns', 'legacy', [{ name: 'dns', port: 53, protocol: 'UDP' }]));
    await client.create({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name: 'dns' }, spec: { selector: { app: 'dns' }, ports: [{ port: 53, protocol: 'UDP' }] } });
    await eventually('UDPRoute creatable', async () =>
      client
        .create({
          apiVersion: ALPHA,
          kind: 'UDPRoute',
          metadata: { namespace: ns, name: 'u' },
          spec: { parentRefs: [{ name: 'dns' }], rules: [{ backendRefs: [{ name: 'dns', port: 53 }] }] },
        })
        .then(() => true));
    await eventually('UDPRoute Accepted', async () =>
      parentCondition(await client.get(ALPHA, 'UDPRoute', ns, 'u'), controllerName, 'Accepted')?.status === 'True');
  });
});
