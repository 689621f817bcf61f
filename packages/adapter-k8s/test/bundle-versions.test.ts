// GC3 and GC4 on the next Gateway API release: with the v1.7 experimental CRDs installed (bundle
// v1.7.x, TCPRoute/UDPRoute unchanged from v1.6), classes are SupportedVersion=True, and Gateways
// using v1.7's experimental address fields (routability) are read and programmed as before.

import { startControlPlane, type ControlPlane } from '@l4gw/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../src/cache/discovery.js';
import { KubeRest } from '../src/kube/rest.js';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, TestClient } from './helpers.js';
import { addressesOf, GW, gateway, gatewayClass, ipamConfigMap, startOperator } from './fixtures.js';

describe('operator on the Gateway API v1.7 CRDs', () => {
  const controllerName = 'l4gw.test/v17';
  let cp: ControlPlane;
  let client: TestClient;
  let op: OperatorHandle;
  let ns: string;

  beforeAll(async () => {
    cp = await startControlPlane({ crds: 'v1.7-experimental' });
    client = new TestClient(cp.kubeConfig);
    ns = await client.namespace('v17');
    await client.create(ipamConfigMap(ns, 'pools', { 'range-global': '10.71.0.10-10.71.0.20' }));
    await client.create(gatewayClass('v17', controllerName));
    op = await startOperator(cp.kubeConfig, { controllerName, ipamConfigMap: `${ns}/pools` });
    await op.whenSynced();
  });

  afterAll(async () => {
    await op?.stop();
    await cp?.stop();
  });

  it('should read bundle-version v1.7 from the installed CRDs and serve v1 routes (RT1)', async () => {
    const d = await discover(new KubeRest(cp.kubeConfig));
    expect(d.bundleVersions?.['tcproutes.gateway.networking.k8s.io']).toMatch(/^v1\.7\./);
    expect(d.types.tcpRoutes?.version).toBe('v1');
    expect(d.types.udpRoutes?.version).toBe('v1');
  });

  it('should set SupportedVersion=True and Accepted=True on the class, with v1.6 feature names (GC3, GC4)', async () => {
    const gc = await eventually('class judged', async () => {
      const c = await client.get(GW, 'GatewayClass', undefined, 'v17');
      const s = condition(c, 'SupportedVersion')?.status;
      return s !== undefined && s !== 'Unknown' && c;
    });
    expect(condition(gc, 'SupportedVersion')).toMatchObject({ status: 'True', reason: 'SupportedVersion' });
    expect(condition(gc, 'Accepted')).toMatchObject({ status: 'True', reason: 'Accepted' });
    const features = ((gc['status'] as { supportedFeatures?: { name: string }[] }).supportedFeatures ?? []).map((f) => f.name);
    expect(features).toContain('GatewayInfrastructure');
    expect(features).not.toContain('GatewayInfrastructurePropagation');
  });

  it("should program a Gateway whose address entry carries v1.7's routability field", async () => {
    await client.create(gateway(ns, 'gw', 'v17', [{ name: 'tcp', port: 80, protocol: 'TCP' }], [{ type: 'IPAddress', routability: 'Cluster' } as { type: string }]));
    const gw = await eventually('Gateway Programmed', async () => {
      const g = await client.get(GW, 'Gateway', ns, 'gw');
      return condition(g, 'Programmed')?.status === 'True' && g;
    });
    expect(addressesOf(gw)[0]).toMatch(/^10\.71\.0\./);
    // DP0: the Service exists before any route attaches. Its apply runs beside the status write,
    // so it may land just after Programmed does.
    const services = await eventually('the Gateway\'s Service', async () => {
      const list = await client.list('v1', 'Service', ns, 'gateway.networking.k8s.io/gateway-name=gw');
      return list.length > 0 && list;
    });
    expect(services.map((s) => (s['spec'] as { ports: { port: number }[] }).ports.map((p) => p.port))).toEqual([[80]]);
  });
});
