// The whole lifecycle on a real API server (DP1, DP8, GC2, GW4, GW5, RT1, RT3): class Accepted →
// Gateway gets an address and is Programmed → a TCPRoute and a UDPRoute attach → the Service and
// EndpointSlices appear → backend endpoints change and are mirrored → routes and Gateway deleted →
// generated objects collected (explicitly: envtest runs no garbage collector).

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

describe('operator lifecycle', () => {
  const kc = sharedKubeConfig();
  const client = new TestClient(kc);
  const id = uniq();
  const controllerName = `l4gw.test/lifecycle-${id}`;
  const className = `lifecycle-${id}`;
  let ns: string;
  let op: OperatorHandle;

  beforeAll(async () => {
    ns = await client.namespace('lifecycle');
    await client.create(ipamConfigMap(ns, 'pools', { 'range-global': '10.61.0.10-10.61.0.20' }));
    await client.create(service(ns, 'echo', [{ name: 'tcp', port: 80, targetPort: 8080, protocol: 'TCP' }]));
    await client.create(backendSlice(ns, 'echo', { name: 'tcp', port: 8080, protocol: 'TCP' }, ['10.244.0.5']));
    await client.create(service(ns, 'dns', [{ name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' }]));
    await client.create(backendSlice(ns, 'dns', { name: 'dns', port: 5353, protocol: 'UDP' }, ['10.244.0.6']));
    op = await startOperator(kc, { controllerName, ipamConfigMap: `${ns}/pools` });
    await op.whenSynced();
  });

  afterAll(async () => {
    await op?.stop();
  });

  it('should accept a GatewayClass with our controllerName (GC1, GC2)', async () => {
    await client.create(gatewayClass(className, controllerName));
    const gc = await eventually('class Accepted', async () => {
      const c = await client.get(GW, 'GatewayClass', undefined, className);
      return condition(c, 'Accepted')?.status === 'True' && c;
    });
    expect(condition(gc, 'Accepted')?.reason).toBe('Accepted');
  });

  it('should give the Gateway an address from the pool and mark it Programmed (GW4, GW5)', async () => {
    await client.create(
      gateway(ns, 'gw', className, [
        { name: 'tcp', port: 8080, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ]),
    );
    const gw = await eventually('Gateway Programmed', async () => {
      const g = await client.get(GW, 'Gateway', ns, 'gw');
      return condition(g, 'Programmed')?.status === 'True' && g;
    });
    const [address] = addressesOf(gw);
    expect(address).toMatch(/^10\.61\.0\.(1\d|20)$/);
    expect((gw['spec'] as { addresses?: unknown }).addresses).toBeUndefined(); // GW5: spec untouched
    await eventually('class finalizer while a Gateway uses it (GC5)', async () => {
      const c = await client.get(GW, 'GatewayClass', undefined, className);
      return (c?.metadata.finalizers ?? []).includes('gateway-exists-finalizer.gateway.networking.k8s.io');
    });
  });

  it('should attach a TCPRoute and a UDPRoute (RT1, RT3)', async () => {
    await client.create(route('TCPRoute', ns, 'tcp', { name: 'gw', sectionName: 'tcp' }, [{ name: 'echo', port: 80 }]));
    await client.create(route('UDPRoute', ns, 'udp', { name: 'gw', sectionName: 'dns' }, [{ name: 'dns', port: 53 }]));
    for (const kind of ['TCPRoute', 'UDPRoute']) {
      const name = kind === 'TCPRoute' ? 'tcp' : 'udp';
      await eventually(`${kind} Accepted and resolved`, async () => {
        const r = await client.get(GW, kind, ns, name);
        return (
          parentCondition(r, controllerName, 'Accepted')?.status === 'True' &&
          parentCondition(r, controllerName, 'ResolvedRefs')?.status === 'True'
        );
      });
    }
    const gw = await client.get(GW, 'Gateway', ns, 'gw');
    const listeners = (gw?.['status'] as { listeners: { name: string; attachedRoutes: number }[] }).listeners;
    expect(listeners.map((l) => [l.name, l.attachedRoutes]).sort()).toEqual([
      ['dns', 1],
      ['tcp', 1],
    ]);
  });

  it('should create one LoadBalancer Service with the VIP and mirrored EndpointSlices (DP1, DP6)', async () => {
    const gw = await client.get(GW, 'Gateway', ns, 'gw');
    const [vip] = addressesOf(gw);
    const objs = await eventually('Service and two slices', async () => {
      const g = await generated(client, ns, 'gw');
      return g.services.length === 1 && g.slices.length === 2 && g;
    });
    const svc = objs.services[0] as KubeObject & {
      spec: { type: string; loadBalancerIP?: string; selector?: unknown; ports: { port: number; protocol: string }[] };
    };
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.selector).toBeUndefined();
    expect(svc.spec.loadBalancerIP).toBe(vip);
    expect(svc.metadata.annotations?.['kube-vip.io/loadbalancerIPs']).toBe(vip);
    expect(svc.spec.ports.map((p) => `${p.protocol}/${p.port}`).sort()).toEqual(['TCP/8080', 'UDP/53']);
    const addresses = objs.slices.flatMap((s) =>
      ((s['endpoints'] as { addresses: string[] }[]) ?? []).flatMap((e) => e.addresses),
    );
    expect(addresses.sort()).toEqual(['10.244.0.5', '10.244.0.6']);
    for (const s of objs.slices) expect(s.metadata.labels?.['kubernetes.io/service-name']).toBe(svc.metadata.name);
  });

  it('should write generated objects with server-side apply as field manager l4gw', async () => {
    const { services } = await generated(client, ns, 'gw');
    const svc = await client.get('v1', 'Service', ns, services[0]!.metadata.name);
    const managers = ((svc?.metadata as { managedFields?: { manager: string; operation: string }[] }).managedFields ?? []).map(
      (m) => `${m.manager}:${m.operation}`,
    );
    expect(managers).toContain('l4gw:Apply');
  });

  it('should carry infrastructure labels and annotations, and remove those the Gateway drops (GW8)', async () => {
    const gatewayRef = { apiVersion: GW, kind: 'Gateway', metadata: { namespace: ns, name: 'gw' } };
    await client.patch(gatewayRef, { spec: { infrastructure: { labels: { team: 'a', tier: 'gold' }, annotations: { note: 'n' } } } });
    await eventually('infrastructure on the Service and slices', async () => {
      const { services, slices } = await generated(client, ns, 'gw');
      const svc = services[0];
      return (
        svc?.metadata.labels?.['tier'] === 'gold' &&
        svc.metadata.annotations?.['note'] === 'n' &&
        slices.length === 2 &&
        slices.every((s) => s.metadata.labels?.['tier'] === 'gold' && s.metadata.annotations?.['note'] === 'n')
      );
    });
    // A merge patch: tier and every annotation go, team stays.
    await client.patch(gatewayRef, { spec: { infrastructure: { labels: { tier: null }, annotations: null } } });
    const after = await eventually('dropped keys removed', async () => {
      const g = await generated(client, ns, 'gw');
      const all = [...g.services, ...g.slices];
      return all.length === 3 && all.every((o) => o.metadata.labels?.['tier'] === undefined && o.metadata.annotations?.['note'] === undefined) && g;
    });
    for (const o of [...after.services, ...after.slices]) expect(o.metadata.labels?.['team']).toBe('a');
    expect(after.services[0]?.metadata.annotations?.['kube-vip.io/loadbalancerIPs']).toBeDefined();
  });

  it('should mirror a backend EndpointSlice change (DP1)', async () => {
    await client.patch(
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace: ns, name: 'echo-abcde' } },
      {
        endpoints: [
          { addresses: ['10.244.0.5'], conditions: { ready: true, serving: true, terminating: false } },
          { addresses: ['10.244.0.7'], conditions: { ready: true, serving: true, terminating: false } },
        ],
      },
    );
    await eventually('new endpoint mirrored', async () => {
      const { slices } = await generated(client, ns, 'gw');
      const all = slices.flatMap((s) => ((s['endpoints'] as { addresses: string[] }[]) ?? []).flatMap((e) => e.addresses));
      return all.includes('10.244.0.7');
    });
  });

  it('should collect the mirrored slice when its route is deleted (DP8)', async () => {
    await client.delete(GW, 'TCPRoute', ns, 'tcp');
    await eventually('TCP slice collected', async () => {
      const { slices } = await generated(client, ns, 'gw');
      const all = slices.flatMap((s) => ((s['endpoints'] as { addresses: string[] }[]) ?? []).flatMap((e) => e.addresses));
      return !all.includes('10.244.0.5') && all.includes('10.244.0.6');
    });
  });

  it('should delete every generated object when the Gateway is deleted (DP8)', async () => {
    await client.delete(GW, 'UDPRoute', ns, 'udp');
    await client.delete(GW, 'Gateway', ns, 'gw');
    await eventually('generated objects collected', async () => {
      const g = await generated(client, ns, 'gw');
      return g.services.length === 0 && g.slices.length === 0;
    });
  });

  it('should remove the class finalizer once no Gateway uses the class (GC5)', async () => {
    await eventually('finalizer removed', async () => {
      const c = await client.get(GW, 'GatewayClass', undefined, className);
      return !(c?.metadata.finalizers ?? []).includes('gateway-exists-finalizer.gateway.networking.k8s.io');
    });
  });

  it('should never have conflicted with its own writes (one object, one chain of writes)', async () => {
    const values = (await op.metrics.apiWrites.get()).values;
    expect(values.filter((v) => v.labels['result'] === 'conflict' && v.value > 0)).toEqual([]);
    expect(values.filter((v) => v.labels['result'] === 'error' && v.value > 0)).toEqual([]);
  });
});
