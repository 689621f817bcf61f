// A backend in another namespace, allowed by a ReferenceGrant: traffic flows while the grant
// exists and stops when it is removed (RT4: removing a grant revokes access).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { eventuallyServedBy, eventuallyUnanswered, type Testbed } from '@l4gw/dataplane';
import { sharedTestbed } from '@l4gw/dataplane/vitest';
import { echoGateway, gatewayAddress, GATEWAY_TCP_PORT as TCP, GATEWAY_UDP_PORT as UDP, operatorFor, startEchoPods, type TestObject } from './fixtures.js';

const CLASS = 'dp-cross-namespace';

describe('cross-namespace backend with a ReferenceGrant', () => {
  let bed: Testbed;
  let routes: string;
  let backends: string;
  let vip: string;
  const grant = (): TestObject => ({
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { name: 'routes-to-echo', namespace: backends },
    spec: {
      from: [
        { group: 'gateway.networking.k8s.io', kind: 'TCPRoute', namespace: routes },
        { group: 'gateway.networking.k8s.io', kind: 'UDPRoute', namespace: routes },
      ],
      to: [{ group: '', kind: 'Service', name: 'echo' }],
    },
  });

  beforeAll(async () => {
    bed = await sharedTestbed();
    routes = await bed.namespace('dp-xns-routes');
    backends = await bed.namespace('dp-xns-backends');
    await operatorFor(bed, routes, CLASS);
    await startEchoPods(bed, backends, ['far1', 'far2']);
    await bed.apply(grant(), ...echoGateway(routes, CLASS, backends));
    vip = await gatewayAddress(bed.kubeConfig, routes, 'gw');
  });
  afterAll(async () => bed?.close());

  it('should serve the other namespace’s pods while the grant exists', async () => {
    await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['far1', 'far2']);
    await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['far1', 'far2']);
  });

  it('should stop the traffic when the grant is removed, and resume when it is back', async () => {
    await bed.remove(grant());
    await eventuallyUnanswered(bed.client, 'tcp', vip, TCP);
    await eventuallyUnanswered(bed.client, 'udp', vip, UDP);
    await bed.apply(grant());
    await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['far1', 'far2']);
    await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['far1', 'far2']);
  });
});
