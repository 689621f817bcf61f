// The prototype's selector behaviours with real packets: `create`, `duplicate` and `update` turn a
// route into a LoadBalancer Service with a selector, whose endpoints kube-proxy then serves on the
// Gateway's VIP. For `update`, the original Service must work exactly as before once the route is gone.
import { CoreV1Api, type V1Service } from '@kubernetes/client-node';
import { eventually } from '@l4gw/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventuallyServedBy, eventuallyUnanswered, type Testbed } from '@l4gw/dataplane';
import { sharedTestbed } from '@l4gw/dataplane/vitest';
import {
  backendService,
  gateway,
  gatewayAddress,
  GATEWAY_TCP_PORT as TCP,
  GATEWAY_UDP_PORT as UDP,
  operatorFor,
  podSpec,
  POD_TCP_PORT,
  POD_UDP_PORT,
  route,
} from './fixtures.js';

const CLASS = 'dp-behaviours';
let bed: Testbed;
let core: CoreV1Api;
let operatorNamespace: string;

beforeAll(async () => {
  bed = await sharedTestbed();
  core = bed.kubeConfig.makeApiClient(CoreV1Api);
  operatorNamespace = await bed.namespace('dp-behaviours');
  await operatorFor(bed, operatorNamespace, CLASS);
});
afterAll(async () => bed?.close());

/** A namespace with two pods labelled app=echo, and a Gateway `gw` (TCP and UDP listeners). */
async function scene(prefix: string): Promise<string> {
  const ns = await bed.namespace(prefix);
  await bed.startPod(podSpec(ns, 'p1', { app: 'echo' }));
  await bed.startPod(podSpec(ns, 'p2', { app: 'echo' }));
  await bed.apply(gateway(ns, 'gw', CLASS));
  return ns;
}

describe('create behaviour', () => {
  it('should serve the created Services’ selected pods on the VIP, TCP and UDP', async () => {
    const ns = await scene('dp-create');
    const labels = { serviceBehaviour: 'create', selectorkey: 'app', selectorvalue: 'echo' };
    await bed.apply(
      route('TCPRoute', ns, 'tcp', 'gw', 'tcp', [{ name: 'echo-tcp', port: POD_TCP_PORT }], labels),
      route('UDPRoute', ns, 'udp', 'gw', 'udp', [{ name: 'echo-udp', port: POD_UDP_PORT }], labels),
    );
    const vip = await gatewayAddress(bed.kubeConfig, ns, 'gw');
    await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['p1', 'p2']);
    await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['p1', 'p2']);
    const created = await core.readNamespacedService({ namespace: ns, name: 'echo-tcp' });
    expect({ type: created.spec?.type, selector: created.spec?.selector }).toEqual({ type: 'LoadBalancer', selector: { app: 'echo' } });
  });
});

describe('duplicate behaviour', () => {
  it('should serve a LoadBalancer copy on the VIP and leave the original untouched', async () => {
    const ns = await scene('dp-duplicate');
    await bed.apply(backendService(ns, 'echo', { app: 'echo' }, 7000, 7001));
    const before = await core.readNamespacedService({ namespace: ns, name: 'echo' });
    const labels = { serviceBehaviour: 'duplicate' };
    await bed.apply(
      route('TCPRoute', ns, 'tcp', 'gw', 'tcp', [{ name: 'echo', port: 7000 }], labels),
      route('UDPRoute', ns, 'udp', 'gw', 'udp', [{ name: 'echo', port: 7001 }], labels),
    );
    const vip = await gatewayAddress(bed.kubeConfig, ns, 'gw');
    await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['p1', 'p2']);
    await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['p1', 'p2']);
    const after = await core.readNamespacedService({ namespace: ns, name: 'echo' });
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });
});

/** The fields of a Service a user wrote (what update mode must give back exactly). */
function userFields(service: V1Service): unknown {
  return { spec: service.spec, annotations: service.metadata?.annotations ?? {}, labels: service.metadata?.labels ?? {} };
}

describe('update behaviour', () => {
  it('should serve the updated Service on the VIP, and the original works as before once the route is gone', async () => {
    const ns = await scene('dp-update');
    await bed.apply(backendService(ns, 'echo', { app: 'echo' }, 7000, 7001));
    const original = await core.readNamespacedService({ namespace: ns, name: 'echo' });
    const clusterIp = original.spec?.clusterIP ?? '';
    // The original Service, reached on its ClusterIP by an in-cluster client, before l4gw touches it.
    await eventuallyServedBy(bed.client, 'tcp', clusterIp, 7000, ['p1', 'p2']);
    await eventuallyServedBy(bed.client, 'udp', clusterIp, 7001, ['p1', 'p2']);

    const labels = { serviceBehaviour: 'update' };
    const tcpRoute = route('TCPRoute', ns, 'tcp', 'gw', 'tcp', [{ name: 'echo', port: 7000 }], labels);
    const udpRoute = route('UDPRoute', ns, 'udp', 'gw', 'udp', [{ name: 'echo', port: 7001 }], labels);
    await bed.apply(tcpRoute, udpRoute);
    const vip = await gatewayAddress(bed.kubeConfig, ns, 'gw');
    await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['p1', 'p2']);
    await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['p1', 'p2']);
    const updated = await core.readNamespacedService({ namespace: ns, name: 'echo' });
    expect(updated.spec?.type).toBe('LoadBalancer');

    await bed.remove(tcpRoute, udpRoute);
    await eventually('Service echo restored', async () => {
      const now = await core.readNamespacedService({ namespace: ns, name: 'echo' });
      return JSON.stringify(userFields(now)) === JSON.stringify(userFields(original));
    }, 30_000);
    await eventuallyUnanswered(bed.client, 'tcp', vip, TCP);
    await eventuallyUnanswered(bed.client, 'udp', vip, UDP);
    await eventuallyServedBy(bed.client, 'tcp', clusterIp, 7000, ['p1', 'p2']);
    await eventuallyServedBy(bed.client, 'udp', clusterIp, 7001, ['p1', 'p2']);
  });
});
