import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../model/desired.js';
import { emptySnapshot } from '../model/snapshot.js';
import { parseConfigMap, parseEndpointSlice, parseService } from './core-objects.js';
import { parseGateway } from './gateway.js';
import { parseGatewayClass } from './gateway-class.js';
import { parseReferenceGrant } from './reference-grant.js';
import { parseRoute } from './route.js';
import { parseSnapshot } from './snapshot.js';

describe('parsers', () => {
  it('should drop an object without metadata.name with a diagnostic, not an exception', () => {
    const sink: Diagnostic[] = [];
    expect(parseGateway({ kind: 'Gateway', metadata: {} }, sink)).toBeUndefined();
    expect(parseService(42, sink)).toBeUndefined();
    expect(sink).toHaveLength(2);
  });

  it('should default a namespaced object without a namespace to default, like kubectl', () => {
    expect(parseConfigMap({ metadata: { name: 'c' }, data: { a: 'b', n: 3 } }, [])).toMatchObject({ meta: { namespace: 'default' }, data: { a: 'b' } });
  });

  it('should fill in Gateway API defaults on parentRefs and backendRefs (RT3, RT4)', () => {
    const r = parseRoute(
      {
        apiVersion: 'gateway.networking.k8s.io/v1alpha2',
        kind: 'UDPRoute',
        metadata: { name: 'r', namespace: 'ns' },
        spec: { parentRefs: [{ name: 'gw' }, { sectionName: 'no-name' }], rules: [{ backendRefs: [{ name: 's', port: 53 }, { name: 'h', port: 53, weight: -4 }] }] },
      },
      'UDPRoute',
      [],
    );
    expect(r?.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        namespace: 'ns',
        name: 'gw',
        identity: 'gateway.networking.k8s.io/Gateway/ns/gw//',
        parentKey: 'ns/gw',
        // As written, defaults filled in; the namespace was not written, so it stays out.
        statusRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' },
      },
    ]);
    expect(r?.rules[0]?.backendRefs).toEqual([
      { group: '', kind: 'Service', namespace: 'ns', name: 's', port: 53, weight: 1, backendKey: 'ns/s' },
      { group: '', kind: 'Service', namespace: 'ns', name: 'h', port: 53, weight: 0, backendKey: 'ns/h' },
    ]);
  });

  it('should refuse route versions it does not read and a kind that disagrees with the list (RT1)', () => {
    const sink: Diagnostic[] = [];
    expect(parseRoute({ apiVersion: 'gateway.networking.k8s.io/v9', metadata: { name: 'r' } }, 'TCPRoute', sink)).toBeUndefined();
    expect(parseRoute({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'UDPRoute', metadata: { name: 'r' } }, 'TCPRoute', sink)).toBeUndefined();
    expect(sink.map((d) => d.object?.name)).toEqual(['r', 'r']);
  });

  it('should keep a listener with a bad port or no protocol, flagged, so its status says why (GW6)', () => {
    const gw = parseGateway({ metadata: { name: 'g' }, spec: { listeners: [{ name: 'a', port: 70000, protocol: 'TCP' }, { name: 'b', port: 1 }, { port: 2 }] } }, []);
    expect(gw?.listeners.map((l) => [l.name, l.problem])).toEqual([['a', 'port'], ['b', 'protocol']]);
  });

  it('should default allowedRoutes to Same and a kind group to gateway.networking.k8s.io (GW2)', () => {
    const gw = parseGateway({ metadata: { name: 'g' }, spec: { listeners: [{ name: 'a', port: 1, protocol: 'TCP', allowedRoutes: { kinds: [{ kind: 'TCPRoute' }] } }] } }, []);
    expect(gw?.listeners[0]?.allowedRoutes).toEqual({ from: 'Same', kinds: [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute' }] });
  });

  it('should keep only well-formed ReferenceGrant entries, so a malformed grant grants less (R5)', () => {
    const g = parseReferenceGrant(
      { apiVersion: 'gateway.networking.k8s.io/v1beta1', metadata: { name: 'g', namespace: 'b' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute' }], to: [{ group: '', kind: 'Service' }] } },
      [],
    );
    expect(g?.from).toEqual([]);
  });

  it('should read Service ports, targetPort numbers and names, and ingress IPs', () => {
    const s = parseService(
      { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081, protocol: 'UDP' }, { port: 'x' }] }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'h' }] } } },
      [],
    );
    expect(s?.ports).toEqual([
      { name: '', port: 80, protocol: 'TCP', targetPort: 'http' },
      { name: '', port: 81, protocol: 'UDP', targetPort: 8081 },
    ]);
    expect(s?.ingressIPs).toEqual(['1.2.3.4']);
    expect(s?.type).toBe('ClusterIP');
  });

  it('should read EndpointSlice endpoints and the service-name label', () => {
    const e = parseEndpointSlice(
      { metadata: { name: 'e', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv6', ports: [{ name: 'p', port: 8080 }], endpoints: [{ addresses: ['fd00::1'], conditions: { ready: false, terminating: true } }, { addresses: [] }] },
      [],
    );
    expect(e).toMatchObject({ serviceName: 'web', addressType: 'IPv6', ports: [{ name: 'p', port: 8080, protocol: 'TCP' }], endpoints: [{ addresses: ['fd00::1'], ready: false, terminating: true }] });
    expect(e?.endpoints).toHaveLength(1);
  });

  it('should read a class with an incomplete parametersRef as given, for GC2 to judge', () => {
    expect(parseGatewayClass({ metadata: { name: 'c' }, spec: { parametersRef: { kind: 'ConfigMap' } } }, [])?.parametersRef).toEqual({ group: '', kind: 'ConfigMap', name: '' });
  });

  it('should keep well-formed status conditions and drop malformed ones (GW7)', () => {
    const good = { type: 'Accepted', status: 'True', reason: 'A', message: '', observedGeneration: 1, lastTransitionTime: 't' };
    const gw = parseGateway({ metadata: { name: 'g' }, status: { conditions: [good, { type: 'X', status: 'Maybe' }, { status: 'True' }] } }, []);
    expect(gw?.conditions).toEqual([good]);
    const clean = parseGateway({ metadata: { name: 'g' }, status: { conditions: [good] } }, []);
    expect(clean?.conditions).toEqual([good]);
  });

  it('should ignore a __proto__ label key instead of changing the prototype', () => {
    const raw = JSON.parse('{"metadata":{"name":"c","labels":{"__proto__":"x","a":"b"}}}') as unknown;
    const cm = parseConfigMap(raw, []);
    expect(cm?.meta.labels).toEqual({ a: 'b' });
    expect(Object.getPrototypeOf(cm?.meta.labels)).toBe(Object.prototype);
  });
});

describe('parseSnapshot', () => {
  it('should keep one copy of a duplicated object whatever the list order', () => {
    const a = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'd', resourceVersion: '9' }, spec: { ports: [{ port: 1 }] } };
    const b = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'd', resourceVersion: '10' }, spec: { ports: [{ port: 2 }] } };
    const one = parseSnapshot({ ...emptySnapshot(), services: [a, b] });
    const two = parseSnapshot({ ...emptySnapshot(), services: [b, a] });
    expect(one.services).toHaveLength(1);
    expect(one.services[0]?.ports[0]?.port).toBe(2);
    expect(two.services).toEqual(one.services);
  });

  it('should not read the EndpointSlices l4gw manages (DP1 mirrors never back a route)', () => {
    const slice = (name: string, managedBy: string) => ({
      metadata: { name, namespace: 'd', labels: { 'kubernetes.io/service-name': 's', 'endpointslice.kubernetes.io/managed-by': managedBy } },
    });
    const parsed = parseSnapshot({ ...emptySnapshot(), endpointSlices: [slice('mirror', 'l4gw'), slice('real', 'endpointslice-controller.k8s.io')] });
    expect(parsed.endpointSlices.map((e) => e.meta.name)).toEqual(['real']);
  });

  it('should survive lists that are not arrays', () => {
    const bad = { ...emptySnapshot(), gateways: 'nope', services: null } as unknown as Parameters<typeof parseSnapshot>[0];
    expect(parseSnapshot(bad).gateways).toEqual([]);
  });
});
