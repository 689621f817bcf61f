// GatewayClass parameters (GC2, IP1): a class may point at a ConfigMap holding its own pools. The
// operator caches only the ConfigMaps core reads, so a newly referenced one must be fetched
// before the class is judged, and unrelated ConfigMaps stay out of memory.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, sharedKubeConfig, TestClient, uniq } from './helpers.js';
import { addressesOf, gateway, GW, ipamConfigMap, startOperator } from './fixtures.js';

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
    await client.create({
      apiVersion: GW,
      kind: 'GatewayClass',
      metadata: { name: className },
      spec: { controllerName, parametersRef: { group: '', kind: 'ConfigMap', name: 'class-pools', namespace: ns } },
    });
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

  it('should not cache ConfigMaps that neither IPAM nor a class refers to', () => {
    const configMaps = op.cache.informer('configMaps')!;
    expect(configMaps.get(ns, 'class-pools')).toBeDefined();
    expect(configMaps.get(ns, 'unrelated')).toBeUndefined();
  });
});
