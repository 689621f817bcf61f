// The default behaviour (endpoints) with real packets: a Gateway with a TCP and a UDP listener,
// its Service's VIP carried by kube-proxy to the backend pods l4gw's mirrored EndpointSlices name.
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventuallyNoStaleUdpFlows, eventuallyServedBy, eventuallyUnanswered, tally, type Pod, type Testbed } from '@l4gw/dataplane';
import { sharedTestbed } from '@l4gw/dataplane/vitest';
import {
  backendService,
  echoGateway,
  gateway,
  gatewayAddress,
  GATEWAY_TCP_PORT as TCP,
  GATEWAY_UDP_PORT as UDP,
  operatorFor,
  podSpec,
  route,
  startEchoPods,
} from './fixtures.js';

describe('endpoints behaviour (default), kube-vip annotations', () => {
  let bed: Testbed;
  let ns: string;
  let vip: string;
  const pods = new Map<string, Pod>();

  beforeAll(async () => {
    bed = await sharedTestbed();
    ns = await bed.namespace('dp-endpoints');
    await operatorFor(bed, ns, 'dp-endpoints');
    for (const pod of await startEchoPods(bed, ns, ['a', 'b'])) pods.set(pod.name, pod);
    await bed.apply(...echoGateway(ns, 'dp-endpoints'));
    vip = await gatewayAddress(bed.kubeConfig, ns, 'gw');
  });
  afterAll(async () => bed?.close());

  it('should serve TCP and UDP on the VIP from both backends', async () => {
    const service = await bed.kubeConfig.makeApiClient(CoreV1Api).readNamespacedService({ namespace: ns, name: 'gw-dp-endpoints' });
    // What the test announcer reads (kube-vip's annotation) and what it wrote for kube-proxy.
    expect(service.metadata?.annotations?.['kube-vip.io/loadbalancerIPs']).toBe(vip);
    await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['a', 'b']);
    await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['a', 'b']);
    const ingress = (await bed.kubeConfig.makeApiClient(CoreV1Api).readNamespacedService({ namespace: ns, name: 'gw-dp-endpoints' })).status
      ?.loadBalancer?.ingress;
    expect(ingress?.map((i) => i.ip)).toEqual([vip]);
  });

  it('should follow a backend endpoint added and removed', async () => {
    pods.set('c', await bed.startPod(podSpec(ns, 'c', { app: 'echo' })));
    await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['a', 'b', 'c'], { count: 30 });
    await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['a', 'b', 'c'], { count: 30 });
    await bed.stopPod(pods.get('b') as Pod);
    pods.delete('b');
    await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['a', 'c']);
    await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['a', 'c']);
  });

  it('should send nothing to a weight-0 backend', async () => {
    pods.set('z', await bed.startPod(podSpec(ns, 'z', { app: 'other' })));
    await bed.apply(
      backendService(ns, 'other', { app: 'other' }, 7000, 7001),
      route('TCPRoute', ns, 'tcp', 'gw', 'tcp', [{ name: 'echo', port: 7000, weight: 0 }, { name: 'other', port: 7000, weight: 1 }]),
      route('UDPRoute', ns, 'udp', 'gw', 'udp', [{ name: 'echo', port: 7001, weight: 0 }, { name: 'other', port: 7001, weight: 1 }]),
    );
    // Converged means 60 answers in a row from z: kube-proxy may briefly program the new slice
    // beside the old one while l4gw's two slice writes land in different syncs.
    await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['z'], { count: 60 });
    await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['z'], { count: 60 });
    // And no UDP flow kube-proxy left in conntrack still leads to a or c: a new socket that reuses
    // such a flow's source port would reach them whatever the rules say (see conntrack.ts).
    await eventuallyNoStaleUdpFlows(vip, UDP, [(pods.get('z') as Pod).ip]);
    // Once converged, the weight-0 Service's pods (a, c) answer none of 60 more requests per protocol.
    for (const protocol of ['tcp', 'udp'] as const) {
      const { byName, failed } = tally(await bed.client.sample(protocol, vip, protocol === 'tcp' ? TCP : UDP, 60));
      expect({ protocol, answers: Object.fromEntries(byName), failed }).toEqual({ protocol, answers: { z: 60 }, failed: 0 });
    }
  });

  it('should stop a deleted route’s port while the other keeps working', async () => {
    await bed.remove(route('UDPRoute', ns, 'udp', 'gw', 'udp', []));
    await eventuallyUnanswered(bed.client, 'udp', vip, UDP);
    await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['z']);
  });

  it('should stop the VIP when the Gateway is deleted', async () => {
    await bed.remove(gateway(ns, 'gw', 'dp-endpoints'));
    await eventuallyUnanswered(bed.client, 'tcp', vip, TCP);
  });
});
