// ListenerSets with real packets (LS4): two teams, each in its own namespace, add a listener to a
// shared Gateway's address with a ListenerSet, one TCP and one UDP, and attach their route to it.
// Both ports carry traffic on the one VIP, each to its own team's pods.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { eventuallyServedBy, type Testbed } from '@l4gw/dataplane';
import { sharedTestbed } from '@l4gw/dataplane/vitest';
import { backendService, GATEWAY_API, gatewayAddress, operatorFor, podSpec, TCP_LISTENER, type TestObject } from './fixtures.js';

const CLASS = 'dp-listenerset';
const TEAM_TCP_PORT = 7100;
const TEAM_UDP_PORT = 7101;

function listenerSet(namespace: string, name: string, gatewayNamespace: string, port: number, protocol: 'TCP' | 'UDP'): TestObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'ListenerSet',
    metadata: { name, namespace },
    spec: { parentRef: { name: 'gw', namespace: gatewayNamespace }, listeners: [{ name: 'team', port, protocol }] },
  };
}

function routeToListenerSet(kind: 'TCPRoute' | 'UDPRoute', namespace: string, listenerSetName: string, port: number): TestObject {
  return {
    apiVersion: GATEWAY_API,
    kind,
    metadata: { name: listenerSetName, namespace },
    spec: { parentRefs: [{ kind: 'ListenerSet', name: listenerSetName }], rules: [{ backendRefs: [{ name: 'app', port }] }] },
  };
}

describe('ListenerSets: two teams’ ports on one VIP', () => {
  let bed: Testbed;
  let vip: string;
  let db: string;
  let dns: string;

  beforeAll(async () => {
    bed = await sharedTestbed();
    const infra = await bed.namespace('dp-ls-infra');
    db = await bed.namespace('dp-ls-db');
    dns = await bed.namespace('dp-ls-dns');
    await operatorFor(bed, infra, CLASS);
    await bed.startPod(podSpec(db, 'db-1', { app: 'app' }));
    await bed.startPod(podSpec(dns, 'dns-1', { app: 'app' }));
    const sharedGateway: TestObject = {
      apiVersion: GATEWAY_API,
      kind: 'Gateway',
      metadata: { name: 'gw', namespace: infra },
      spec: { gatewayClassName: CLASS, allowedListeners: { namespaces: { from: 'All' } }, listeners: [{ ...TCP_LISTENER, allowedRoutes: { namespaces: { from: 'Same' } } }] },
    };
    await bed.apply(
      sharedGateway,
      backendService(db, 'app', { app: 'app' }, TEAM_TCP_PORT, TEAM_UDP_PORT),
      backendService(dns, 'app', { app: 'app' }, TEAM_TCP_PORT, TEAM_UDP_PORT),
      listenerSet(db, 'db', infra, TEAM_TCP_PORT, 'TCP'),
      listenerSet(dns, 'dns', infra, TEAM_UDP_PORT, 'UDP'),
      routeToListenerSet('TCPRoute', db, 'db', TEAM_TCP_PORT),
      routeToListenerSet('UDPRoute', dns, 'dns', TEAM_UDP_PORT),
    );
    vip = await gatewayAddress(bed.kubeConfig, infra, 'gw');
  });
  afterAll(async () => bed?.close());

  it('should carry each team’s protocol on the Gateway’s VIP to that team’s pods', async () => {
    await eventuallyServedBy(bed.client, 'tcp', vip, TEAM_TCP_PORT, ['db-1']);
    await eventuallyServedBy(bed.client, 'udp', vip, TEAM_UDP_PORT, ['dns-1']);
  });
});
