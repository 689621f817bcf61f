// MetalLB as the real announcer (-lb-annotations metallb): MetalLB's controller assigns the very
// address l4gw holds, its L2 speaker answers ARP for it on the node's client-facing link, and the
// client — which has no route to the VIP, only its link's own subnet — reaches it by ARP.
import { CoreV1Api } from '@kubernetes/client-node';
import { eventually } from '@l4gw/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventuallyServedBy, eventuallyUnanswered, INTERFACES, startMetallb, type Metallb, type Testbed } from '@l4gw/dataplane';
import { sharedTestbed } from '@l4gw/dataplane/vitest';
import { command } from '../src/ip.js';
import { echoGateway, gateway, gatewayAddress, GATEWAY_TCP_PORT as TCP, GATEWAY_UDP_PORT as UDP, operatorFor, startEchoPods } from './fixtures.js';

const CLASS = 'dp-metallb';
/** On the client's link (10.99.1.0/24): reached by ARP, not routed. */
const POOL = '10.99.1.200-10.99.1.220';

describe('MetalLB announcing l4gw’s VIP (layer 2)', () => {
  let bed: Testbed;
  let metallb: Metallb | undefined;
  let ns: string;
  let vip: string;

  beforeAll(async () => {
    bed = await sharedTestbed();
    metallb = await startMetallb({ kubeConfig: bed.kubeConfig, kubeconfigPath: bed.kubeconfigPath, addresses: [POOL], apply: bed.apply });
    ns = await bed.namespace('dp-metallb');
    await operatorFor(bed, ns, CLASS, { lbAnnotations: 'metallb', range: POOL });
    await startEchoPods(bed, ns, ['m1', 'm2']);
    await bed.apply(...echoGateway(ns, CLASS));
    vip = await gatewayAddress(bed.kubeConfig, ns, 'gw');
  });
  afterAll(async () => {
    await bed?.close();
    await metallb?.stop();
  });

  it('should have MetalLB assign exactly the address l4gw holds', async () => {
    const core = bed.kubeConfig.makeApiClient(CoreV1Api);
    const service = await eventually('MetalLB to fill the Service’s ingress', async () => {
      const s = await core.readNamespacedService({ namespace: ns, name: `gw-${CLASS}` });
      return (s.status?.loadBalancer?.ingress?.length ?? 0) > 0 ? s : undefined;
    }, 30_000);
    expect(service.metadata?.annotations?.['metallb.io/loadBalancerIPs']).toBe(vip);
    // The test announcer only reads kube-vip's annotation, so the ingress is MetalLB's own write.
    expect(service.metadata?.annotations?.['kube-vip.io/loadbalancerIPs']).toBeUndefined();
    expect(service.status?.loadBalancer?.ingress?.map((i) => i.ip)).toEqual([vip]);
  });

  it('should carry TCP and UDP to the VIP the client found by ARP from the speaker', async () => {
    try {
      await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['m1', 'm2']);
      await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['m1', 'm2']);
    } catch (error) {
      // Once in CI nothing answered for 30 s: say what the client's kernel and the speaker knew.
      const neighbours = await command('ip', ['-n', bed.run.client, 'neigh', 'show']).catch((e: unknown) => String(e));
      throw new Error(`${(error as Error).message}\nclient neighbours:\n${neighbours}\nspeaker output (end):\n${metallb?.speaker.outputTail().slice(-3000) ?? ''}`, { cause: error });
    }
    // No route to the VIP: the client's kernel sends it straight on its link ...
    const routeToVip = await command('ip', ['-n', bed.run.client, 'route', 'get', vip]);
    expect(routeToVip).toContain(`dev ${INTERFACES.clientToNode}`);
    expect(routeToVip).not.toContain(' via ');
    // ... to the MAC address the speaker gave for it: the node's client-facing interface (the node's
    // kernel would not answer: the VIP is no local address there, kube-proxy only DNATs it).
    const nodeLink = await command('ip', ['-n', bed.run.node, '-o', 'link', 'show', INTERFACES.nodeToClient]);
    const nodeMac = /link\/ether ([0-9a-f:]+)/.exec(nodeLink)?.[1];
    const neighbour = await command('ip', ['-n', bed.run.client, 'neigh', 'show', vip]);
    expect(nodeMac).toBeDefined();
    expect(neighbour).toContain(`lladdr ${nodeMac}`);
  });

  it('should stop the VIP when the Gateway is deleted', async () => {
    await bed.remove(gateway(ns, 'gw', CLASS));
    await eventuallyUnanswered(bed.client, 'tcp', vip, TCP);
    await eventuallyUnanswered(bed.client, 'udp', vip, UDP);
  });
});
