// GatewayClass parameters (GC2, IP1): a class may point at a ConfigMap holding its own pools. The
// operator caches only the ConfigMaps core reads, so a newly referenced one must be fetched
// before the class is judged, and unrelated ConfigMaps stay out of memory.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, sharedKubeConfig, TestClient, uniq } from './helpers.js';
import { addressesOf, gateway, gatewayClass, GW, ipamConfigMap, startOperator } from './fixtures.js';

describe('GatewayClass parameters', () => {
  const kc = sharedKubeConfig();
  const client = new TestClient(kc);
  const id = uniq();
  const controllerName = `l4gw.test/params-${id}`;
  const className = `params-${id}`;
  let ns: string;
  let op: OperatorHandle;

  beforeAll(async () => {
    ns = await client.namespace('params');
    await client.create(ipamConfigMap(ns, 'class-pools', { 'range-global': '10.69.0.10-10.69.0.20' }));
    await client.create(ipamConfigMap(ns, 'unrelated', { big: 'x'.repeat(1000) }));
    // The operator-wide IPAM ConfigMap does not exist: only the class pools can serve.
    op = await startOperator(kc, { controllerName, ipamConfigMap: `${ns}/absent` });
    await op.whenSynced();
  });

  afterAll(async () => {
    await op?.stop();
  });

  it('should fetch a ConfigMap once a class references it, accept the class and use its pools (GC2, IP1)', async () => {
    await client.create(gatewayClass(className, controllerName, { namespace: ns, name: 'class-pools' }));
    const gc = await eventually('class Accepted', async () => {
      const c = await client.get(GW, 'GatewayClass', undefined, className);
      const s = condition(c, 'Accepted')?.status;
      // The API server defaults Unknown; the first status l4gw writes must already be True.
      return s !== undefined && s !== 'Unknown' && c;
    });
    expect(condition(gc, 'Accepted')?.status).toBe('True');
    await client.create(gateway(ns, 'gw', className, [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
    const gw = await eventually('Gateway Programmed', async () => {
      const g = await client.get(GW, 'Gateway', ns, 'gw');
      return condition(g, 'Programmed')?.status === 'True' && g;
    });
    expect(addressesOf(gw)[0]).toMatch(/^10\.69\.0\./);
  });

  it('should give one operator two announcers: a class with lbAnnotations metallb and externalTrafficPolicy Local beside the default kube-vip style (GC2, DP6)', async () => {
    const metallbClass = `${className}-metallb`;
    await client.create(ipamConfigMap(ns, 'metallb-params', { 'range-global': '10.69.1.10-10.69.1.20', lbAnnotations: 'metallb', externalTrafficPolicy: 'Local' }));
    await client.create(gatewayClass(metallbClass, controllerName, { namespace: ns, name: 'metallb-params' }));
    await client.create(gateway(ns, 'external', metallbClass, [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
    const external = await eventually('MetalLB-style Service', async () => {
      const list = await client.list('v1', 'Service', ns, `gateway.networking.k8s.io/gateway-name=external`);
      return list.length === 1 && list[0];
    });
    const annotations = external.metadata.annotations ?? {};
    expect(annotations['metallb.io/loadBalancerIPs']).toMatch(/^10\.69\.1\./);
    expect(annotations['kube-vip.io/loadbalancerIPs']).toBeUndefined();
    expect(external['spec']).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    // The first class (no lbAnnotations key) keeps the operator's kube-vip style.
    const internal = (await client.list('v1', 'Service', ns, `gateway.networking.k8s.io/gateway-name=gw`))[0];
    expect(internal?.metadata.annotations?.['kube-vip.io/loadbalancerIPs']).toMatch(/^10\.69\.0\./);
    expect(internal?.metadata.annotations?.['metallb.io/loadBalancerIPs']).toBeUndefined();
  });

  it('should switch a class to another announcer style and remove the previous style\'s annotations (DP6)', async () => {
    await client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name: 'metallb-params' } }, { data: { lbAnnotations: 'cilium' } });
    const switched = await eventually('Cilium-style Service without the MetalLB annotations', async () => {
      const s = (await client.list('v1', 'Service', ns, `gateway.networking.k8s.io/gateway-name=external`))[0];
      const a = s?.metadata.annotations ?? {};
      return a['lbipam.cilium.io/ips'] !== undefined && a['metallb.io/loadBalancerIPs'] === undefined && s;
    });
    expect(switched.metadata.annotations?.['metallb.io/allow-shared-ip']).toBeUndefined();
    expect(switched.metadata.annotations?.['lbipam.cilium.io/sharing-key']).toBe(`${ns}/external`);
  });

  it('should reject a class whose lbAnnotations is unknown, naming the key (GC2)', async () => {
    const bad = `${className}-bad`;
    await client.create(ipamConfigMap(ns, 'bad-params', { lbAnnotations: 'bgp' }));
    await client.create(gatewayClass(bad, controllerName, { namespace: ns, name: 'bad-params' }));
    const accepted = await eventually('class judged', async () => {
      const c = condition(await client.get(GW, 'GatewayClass', undefined, bad), 'Accepted');
      return c !== undefined && c.status !== 'Unknown' && c;
    });
    expect(accepted).toMatchObject({ status: 'False', reason: 'InvalidParameters' });
    expect(accepted.message).toContain('lbAnnotations');
    expect(accepted.message).toContain('"bgp"');
  });

  it('should not cache ConfigMaps that neither IPAM nor a class refers to', () => {
    const configMaps = op.cache.informer('configMaps')!;
    expect(configMaps.get(ns, 'class-pools')).toBeDefined();
    expect(configMaps.get(ns, 'unrelated')).toBeUndefined();
  });
});
