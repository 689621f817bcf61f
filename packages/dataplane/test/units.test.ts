// The test bed's pure parts: namespace names, the announcer's reading of a Service, the
// EndpointSlice the stand-in controller derives from a Service and its pods, and the reading of
// the node's conntrack table.
import type { V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { desiredSlice, namespaceNames, ownerOfNamespace, parseUdpFlows, requestedIngress, type Pod } from '@l4gw/dataplane';

describe('namespace names', () => {
  it('should encode the owner pid and read it back only from test-bed names', () => {
    const names = namespaceNames(4242);
    expect(names).toEqual({ owner: 4242, node: 'l4dp-4242-node', client: 'l4dp-4242-client', backend: 'l4dp-4242-backend' });
    expect([names.node, names.client, names.backend].map(ownerOfNamespace)).toEqual([4242, 4242, 4242]);
    expect(['l4dp-4242-other', 'l4cf-4242-node', 'l4dp-x-node', 'node'].map(ownerOfNamespace)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('requestedIngress', () => {
  const service = (type: string, annotations?: Record<string, string>): V1Service => ({ metadata: { name: 's', namespace: 'n', ...(annotations ? { annotations } : {}) }, spec: { type } });
  it('should take the addresses of kube-vip’s annotation on LoadBalancer Services only', () => {
    expect(requestedIngress(service('LoadBalancer', { 'kube-vip.io/loadbalancerIPs': '10.77.0.10, 10.77.0.11' }))).toEqual(['10.77.0.10', '10.77.0.11']);
    expect(requestedIngress(service('ClusterIP', { 'kube-vip.io/loadbalancerIPs': '10.77.0.10' }))).toBeUndefined();
    expect(requestedIngress(service('LoadBalancer', { 'metallb.io/loadBalancerIPs': '10.99.1.200' }))).toBeUndefined();
    // DHCP requests (0.0.0.0) get no ingress: the test announcer has no DHCP to ask.
    expect(requestedIngress(service('LoadBalancer', { 'kube-vip.io/loadbalancerIPs': '0.0.0.0' }))).toEqual([]);
  });
});

describe('desiredSlice', () => {
  const pod = (name: string, namespace: string, app: string, ip: string): Pod => ({ name, namespace, labels: { app }, ip }) as unknown as Pod;
  const pods = [pod('a', 'n', 'echo', '10.99.2.10'), pod('b', 'n', 'other', '10.99.2.11'), pod('c', 'elsewhere', 'echo', '10.99.2.12')];
  const service: V1Service = {
    metadata: { name: 'echo', namespace: 'n', uid: 'u1' },
    spec: { selector: { app: 'echo' }, ports: [{ name: 'tcp', port: 7000, targetPort: 9000, protocol: 'TCP' }, { name: 'udp', port: 7001, protocol: 'UDP' }] },
  };
  it('should hold the selected pods of the Service’s namespace, on the target ports', () => {
    const slice = desiredSlice(service, pods);
    expect(slice?.metadata?.labels).toEqual({ 'kubernetes.io/service-name': 'echo', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice?.endpoints?.map((e) => [e.addresses, e.targetRef?.name, e.conditions?.ready])).toEqual([[['10.99.2.10'], 'a', true]]);
    expect(slice?.ports).toEqual([
      { name: 'tcp', port: 9000, protocol: 'TCP' },
      { name: 'udp', port: 7001, protocol: 'UDP' },
    ]);
  });
  it('should leave Services without a selector alone', () => {
    expect(desiredSlice({ ...service, spec: { ports: service.spec?.ports ?? [] } }, pods)).toBeUndefined();
  });
});

describe('parseUdpFlows', () => {
  const table = [
    'ipv4     2 udp      17 28 src=10.99.1.2 dst=10.77.0.10 sport=58467 dport=5353 src=10.99.2.11 dst=10.99.2.1 sport=9001 dport=60451 mark=0 zone=0 use=2',
    'ipv4     2 udp      17 29 src=10.99.1.2 dst=10.77.0.10 sport=41000 dport=5353 [UNREPLIED] src=10.99.2.13 dst=10.99.2.1 sport=9001 dport=41000 mark=0 zone=0 use=2',
    'ipv4     2 tcp      6 117 TIME_WAIT src=10.99.1.2 dst=10.77.0.10 sport=40000 dport=8080 src=10.99.2.12 dst=10.99.2.1 sport=9000 dport=40000 [ASSURED] mark=0 zone=0 use=2',
    '',
  ].join('\n');
  it('should read each UDP flow’s frontend and the endpoint it was translated to, skipping other protocols', () => {
    expect(parseUdpFlows(table)).toEqual([
      { frontend: '10.77.0.10:5353', endpointIp: '10.99.2.11', endpointPort: 9001 },
      { frontend: '10.77.0.10:5353', endpointIp: '10.99.2.13', endpointPort: 9001 },
    ]);
  });
});
