// The service behaviours (DP2–DP4, endpoints is in lifecycle.test.ts), ReferenceGrants (RT4),
// pool exhaustion (GW4, IP6) and a broken IPAM ConfigMap (IP2) on the real API server. The
// operator reads a ConfigMap named `pools` in each Gateway's namespace (IP1 bare name), so every
// scenario has a namespace and a pool of its own.

import type { KubeObject } from '@l4gw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, sharedKubeConfig, TestClient, uniq } from './helpers.js';
import {
  addressesOf,
  backendSlice,
  gateway,
  gatewayClass,
  generated,
  GW,
  ipamConfigMap,
  parentCondition,
  route,
  service,
  startOperator,
} from './fixtures.js';

type Service = KubeObject & {
  spec: { type?: string; selector?: Record<string, string>; loadBalancerIP?: string; ports: { port: number; targetPort?: number | string }[] };
};

describe('operator behaviours', () => {
  const kc = sharedKubeConfig();
  const client = new TestClient(kc);
  const id = uniq();
  const controllerName = `l4gw.test/behaviours-${id}`;
  const className = `behaviours-${id}`;
  let op: OperatorHandle;

  const programmed = async (ns: string, name: string): Promise<KubeObject> =>
    eventually(`${ns}/${name} Programmed`, async () => {
      const g = await client.get(GW, 'Gateway', ns, name);
      return condition(g, 'Programmed')?.status === 'True' && g;
    });

  /** A namespace with its own pool and an `echo` backend (Service + EndpointSlice). */
  const scenario = async (prefix: string, pool: string): Promise<string> => {
    const ns = await client.namespace(prefix);
    await client.create(ipamConfigMap(ns, 'pools', { 'range-global': pool }));
    await client.create(service(ns, 'echo', [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]));
    await client.create(backendSlice(ns, 'echo', { name: 'http', port: 8080, protocol: 'TCP' }, ['10.244.2.10']));
    return ns;
  };

  beforeAll(async () => {
    await client.create(gatewayClass(className, controllerName));
    op = await startOperator(kc, { controllerName, ipamConfigMap: 'pools' });
    await op.whenSynced();
  });

  afterAll(async () => {
    await op?.stop();
  });

  it('should create a selector LoadBalancer Service named after the backendRef (DP2 create)', async () => {
    const ns = await scenario('create', '10.65.1.10-10.65.1.20');
    await client.create(gateway(ns, 'gw', className, [{ name: 'web', port: 8080, protocol: 'TCP' }]));
    await client.create(
      route('TCPRoute', ns, 'r', { name: 'gw' }, [{ name: 'my-nginx', port: 8080 }], {
        serviceBehaviour: 'create',
        selectorkey: 'run',
        selectorvalue: 'my-nginx',
      }),
    );
    const vip = addressesOf(await programmed(ns, 'gw'))[0];
    const svc = await eventually('created Service', async () => (await client.get<Service>('v1', 'Service', ns, 'my-nginx')) ?? false);
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.selector).toEqual({ run: 'my-nginx' });
    expect(svc.spec.loadBalancerIP).toBe(vip);
  });

  it('should duplicate the referenced Service as a LoadBalancer, leaving the original alone (DP3)', async () => {
    const ns = await scenario('duplicate', '10.65.2.10-10.65.2.20');
    const original = await client.get<Service>('v1', 'Service', ns, 'echo');
    await client.create(gateway(ns, 'gw', className, [{ name: 'web', port: 9000, protocol: 'TCP' }]));
    await client.create(route('TCPRoute', ns, 'r', { name: 'gw' }, [{ name: 'echo', port: 80 }], { serviceBehaviour: 'duplicate' }));
    const vip = addressesOf(await programmed(ns, 'gw'))[0];
    const copy = await eventually('duplicate Service', async () => {
      const { services } = await generated(client, ns, 'gw');
      return (services[0] as Service | undefined) ?? false;
    });
    expect(copy.metadata.name).not.toBe('echo');
    expect(copy.spec.type).toBe('LoadBalancer');
    expect(copy.spec.selector).toEqual({ app: 'echo' });
    expect(copy.spec.loadBalancerIP).toBe(vip);
    expect(copy.spec.ports.map((p) => [p.port, p.targetPort])).toEqual([[9000, 8080]]); // DP5: targetPort from the Service
    const after = await client.get<Service>('v1', 'Service', ns, 'echo');
    expect(after?.spec).toEqual(original?.spec);
  });

  it('should turn the user Service into a LoadBalancer and restore it exactly afterwards (DP4)', async () => {
    const ns = await scenario('update', '10.65.3.10-10.65.3.20');
    const original = (await client.get<Service>('v1', 'Service', ns, 'echo'))!;
    await client.create(gateway(ns, 'gw', className, [{ name: 'web', port: 80, protocol: 'TCP' }]));
    await client.create(route('TCPRoute', ns, 'r', { name: 'gw' }, [{ name: 'echo', port: 80 }], { serviceBehaviour: 'update' }));
    const vip = addressesOf(await programmed(ns, 'gw'))[0];
    const updated = await eventually('user Service updated', async () => {
      const s = await client.get<Service>('v1', 'Service', ns, 'echo');
      return s?.spec.type === 'LoadBalancer' && s;
    });
    expect(updated.spec.loadBalancerIP).toBe(vip);
    expect(updated.metadata.annotations?.['l4gw.io/original']).toBeDefined();

    await client.delete(GW, 'TCPRoute', ns, 'r');
    const restored = await eventually('user Service restored', async () => {
      const s = await client.get<Service>('v1', 'Service', ns, 'echo');
      return s?.spec.type === 'ClusterIP' && s;
    });
    expect(restored.spec).toEqual(original.spec);
    expect(restored.metadata.annotations ?? {}).toEqual(original.metadata.annotations ?? {});
    expect(restored.metadata.labels ?? {}).toEqual(original.metadata.labels ?? {});
  });

  it('should honour a ReferenceGrant when it is added and revoke access when it is removed (RT4, R5)', async () => {
    const ns = await scenario('grant-route', '10.65.4.10-10.65.4.20');
    const backendNs = await scenario('grant-backend', '10.65.5.10-10.65.5.20');
    await client.create(gateway(ns, 'gw', className, [{ name: 'web', port: 80, protocol: 'TCP' }]));
    await client.create(route('TCPRoute', ns, 'r', { name: 'gw' }, [{ name: 'echo', port: 80, namespace: backendNs }]));
    const resolved = (status: string, reason?: string) => async () => {
      const c = parentCondition(await client.get(GW, 'TCPRoute', ns, 'r'), controllerName, 'ResolvedRefs');
      return c?.status === status && (reason === undefined || c.reason === reason);
    };
    const mirrored = async () => {
      const { slices } = await generated(client, ns, 'gw');
      return slices.flatMap((s) => ((s['endpoints'] as { addresses: string[] }[]) ?? []).flatMap((e) => e.addresses));
    };
    await eventually('RefNotPermitted without a grant', resolved('False', 'RefNotPermitted'));
    expect(await mirrored()).toEqual([]);

    await client.create({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { namespace: backendNs, name: 'allow-routes' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute', namespace: ns }],
        to: [{ group: '', kind: 'Service' }],
      },
    });
    await eventually('resolved with the grant', resolved('True'));
    await eventually('backend mirrored', async () => (await mirrored()).includes('10.244.2.10'));

    await client.delete('gateway.networking.k8s.io/v1beta1', 'ReferenceGrant', backendNs, 'allow-routes');
    await eventually('revoked without the grant', resolved('False', 'RefNotPermitted'));
    await eventually('endpoints withdrawn', async () => (await mirrored()).length === 0);
  });

  it("should keep another controller's entry in a route's status.parents (RT3)", async () => {
    const ns = await scenario('foreign', '10.65.8.10-10.65.8.20');
    await client.create(route('TCPRoute', ns, 'r', { name: 'other-gw' }, [{ name: 'echo', port: 80 }]));
    const foreign = {
      parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'other-gw' },
      controllerName: 'example.com/other-controller',
      conditions: [
        { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'theirs', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 },
      ],
    };
    await client.patch({ apiVersion: GW, kind: 'TCPRoute', metadata: { namespace: ns, name: 'r' } }, { status: { parents: [foreign] } }, 'status');
    await client.create(gateway(ns, 'gw', className, [{ name: 'web', port: 80, protocol: 'TCP' }]));
    const current = (await client.get(GW, 'TCPRoute', ns, 'r'))!;
    const spec = current['spec'] as { parentRefs: unknown[] };
    await client.update({ ...current, spec: { ...spec, parentRefs: [...spec.parentRefs, { name: 'gw' }] } });
    const parents = await eventually('both entries', async () => {
      const r = await client.get(GW, 'TCPRoute', ns, 'r');
      const list = (r?.['status'] as { parents?: { controllerName: string }[] } | undefined)?.parents ?? [];
      return list.length === 2 && list;
    });
    expect(parents.map((p) => p.controllerName).sort()).toEqual([controllerName, 'example.com/other-controller'].sort());
    expect(parents.find((p) => p.controllerName === 'example.com/other-controller')).toMatchObject(foreign);
  });

  it('should take a DHCP address from the Service status once the announcer writes it (DP7)', async () => {
    const ns = await client.namespace('dhcp');
    await client.create(ipamConfigMap(ns, 'pools', { 'cidr-global': '0.0.0.0/32' }));
    await client.create(service(ns, 'echo', [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]));
    await client.create(backendSlice(ns, 'echo', { name: 'http', port: 8080, protocol: 'TCP' }, ['10.244.2.10']));
    await client.create(gateway(ns, 'gw', className, [{ name: 'web', port: 80, protocol: 'TCP' }]));
    await client.create(route('TCPRoute', ns, 'r', { name: 'gw' }, [{ name: 'echo', port: 80 }]));
    const svc = await eventually('generated Service requesting 0.0.0.0', async () => {
      const { services } = await generated(client, ns, 'gw');
      const s = services[0] as Service | undefined;
      return s?.spec.loadBalancerIP === '0.0.0.0' && s;
    });
    const pending = await client.get(GW, 'Gateway', ns, 'gw');
    expect(condition(pending, 'Programmed')?.status).toBe('False');
    // The announcer (kube-vip) answers through the Service's status.
    await client.patch(
      { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name: svc.metadata.name } },
      { status: { loadBalancer: { ingress: [{ ip: '192.168.50.5' }] } } },
      'status',
    );
    expect(addressesOf(await programmed(ns, 'gw'))).toEqual(['192.168.50.5']);
  });

  it('should report an exhausted pool and assign once it is enlarged, moving no address (GW4, IP4)', async () => {
    const ns = await scenario('pool', '10.65.6.10-10.65.6.10');
    await client.create(gateway(ns, 'first', className, [{ name: 'web', port: 80, protocol: 'TCP' }]));
    const first = addressesOf(await programmed(ns, 'first'));
    expect(first).toEqual(['10.65.6.10']);
    await client.create(gateway(ns, 'second', className, [{ name: 'web', port: 80, protocol: 'TCP' }]));
    const pending = await eventually('second not Programmed', async () => {
      const g = await client.get(GW, 'Gateway', ns, 'second');
      return condition(g, 'Programmed')?.status === 'False' && g;
    });
    expect(condition(pending, 'Programmed')?.reason).toBe('AddressNotAssigned');

    await client.patch(ipamConfigMap(ns, 'pools', {}), { data: { 'range-global': '10.65.6.10-10.65.6.12' } });
    expect(addressesOf(await programmed(ns, 'second'))).toEqual(['10.65.6.11']);
    expect(addressesOf(await client.get(GW, 'Gateway', ns, 'first'))).toEqual(first);
  });

  it('should report a broken IPAM ConfigMap and recover when it is fixed (IP2)', async () => {
    const ns = await scenario('ipam', 'not-an-address');
    await client.create(gateway(ns, 'gw', className, [{ name: 'web', port: 80, protocol: 'TCP' }]));
    const broken = await eventually('not Programmed with a broken pool', async () => {
      const g = await client.get(GW, 'Gateway', ns, 'gw');
      return condition(g, 'Programmed')?.status === 'False' && g;
    });
    expect(condition(broken, 'Programmed')?.reason).toBe('AddressNotAssigned');
    const events = await eventually('InvalidIPAMConfig Event on the ConfigMap', async () => {
      const list = await client.list('events.k8s.io/v1', 'Event', ns);
      const found = list.filter((e) => e['reason'] === 'InvalidIPAMConfig');
      return found.length > 0 && found;
    });
    expect((events[0]!['regarding'] as { kind: string; name: string })).toMatchObject({ kind: 'ConfigMap', name: 'pools' });
    expect(String(events[0]!['note'])).toContain('not-an-address');

    await client.patch(ipamConfigMap(ns, 'pools', {}), { data: { 'range-global': '10.65.7.10-10.65.7.20' } });
    expect(addressesOf(await programmed(ns, 'gw'))).toEqual(['10.65.7.10']);
  });
});
