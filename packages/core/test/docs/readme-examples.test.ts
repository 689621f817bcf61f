// The code samples of packages/core/README.md, run as written, so the README cannot rot.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultOptions, emptySnapshot, plan, reconcile, type Snapshot } from '../../src/index.js';
import { allocateAddresses, parseIpamConfigMap, poolsForNamespace, type GatewayIpamInput } from '../../src/ipam/index.js';

describe('README: reconcile and plan', () => {
  it('should assign the pool address and plan the Service for a Gateway (IP6, DP1)', () => {
    const snapshot: Snapshot = {
      ...emptySnapshot(),
      gatewayClasses: [
        { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'l4', generation: 1 },
          spec: { controllerName: 'kube-vip.io/controller' } },
      ],
      gateways: [
        { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway',
          metadata: { name: 'demo', namespace: 'default', uid: 'u1', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
          spec: { gatewayClassName: 'l4', listeners: [{ name: 'tcp', protocol: 'TCP', port: 5432 }] } },
      ],
      tcpRoutes: [
        { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TCPRoute',
          metadata: { name: 'db', namespace: 'default', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
          spec: { parentRefs: [{ name: 'demo' }], rules: [{ backendRefs: [{ name: 'postgres', port: 5432 }] }] } },
      ],
      services: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'postgres', namespace: 'default', uid: 'u2' },
          spec: { selector: { app: 'postgres' }, ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }] } },
      ],
      configMaps: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubevip', namespace: 'kube-system' },
          data: { 'range-global': '192.168.10.10-192.168.10.20' } },
      ],
    };
    const desired = reconcile(snapshot, defaultOptions('2026-01-01T00:00:00Z'));
    const actions = plan(desired, snapshot);

    expect(desired.addresses).toEqual([
      { gateway: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'default', name: 'demo' }, address: '192.168.10.10' },
    ]);
    expect(actions.filter((a) => a.verb === 'create').map((a) => a.verb === 'create' && `${a.object.kind}/${a.object.metadata.name}`))
      .toContain('Service/demo-l4');
  });
});

describe('README: property-testing the allocator', () => {
  it('should never hand out one address twice (IP3)', () => {
    const config = parseIpamConfigMap({ namespace: 'kube-system', name: 'kubevip' }, { 'cidr-global': '10.0.0.0/28' });
    const gatewayArb = fc.record({ name: fc.stringMatching(/^[a-z]{1,8}$/), namespace: fc.constantFrom('a', 'b') });
    fc.assert(
      fc.property(fc.uniqueArray(gatewayArb, { selector: (g) => `${g.namespace}/${g.name}`, maxLength: 20 }), (gws) => {
        const gateways: GatewayIpamInput[] = gws.map((g) => ({
          key: `${g.namespace}/${g.name}`,
          namespace: g.namespace,
          held: [],
          requests: [],
          pools: poolsForNamespace([config], g.namespace),
        }));
        const outcomes = allocateAddresses({ gateways, inUse: [], allowUnpooled: false });
        const given = [...outcomes.values()].flatMap((o) => o.addresses.map((a) => a.address));
        expect(new Set(given).size).toBe(given.length);
      }),
      { numRuns: 200 },
    );
  });
});
