import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../model/desired.js';
import { emptySnapshot } from '../model/snapshot.js';
import { parseConfigMap, parseEndpointSlice, parseService } from './core-objects.js';
import { parseGateway } from './gateway.js';
import { parseGatewayClass } from './gateway-class.js';
import { parseReferenceGrant } from './reference-grant.js';
import { parseRoute } from './route.js';
import { parseMemory, parseSnapshot, type ParsedSnapshot } from './snapshot.js';

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

  describe('after one object is edited in place (the last result is patched, not rebuilt)', () => {
    const service = (name: string, port: number, rv = '1') => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'd', resourceVersion: rv },
      spec: { ports: [{ port }] },
    });
    const route = (name: string, ns: string, rv = '1') => ({
      apiVersion: 'gateway.networking.k8s.io/v1alpha2',
      kind: 'TCPRoute',
      metadata: { name, namespace: ns, resourceVersion: rv },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 's', port: 1 }] }] },
    });
    const junk = { metadata: {} };
    const base = () => ({
      ...emptySnapshot(),
      // Unsorted input, with an object that does not parse: the places of the others shift.
      services: [service('s3', 3), junk, service('s1', 1), service('s2', 2)],
      tcpRoutes: [route('r2', 'b'), route('r1', 'a'), junk, route('r3', 'a')],
    });
    const summary = (p: ParsedSnapshot) => ({
      services: p.services.map((s) => `${s.meta.name}:${s.ports[0]?.port}`),
      servicesByKey: [...p.servicesByKey].map(([k, s]) => `${k}:${s.ports[0]?.port}`),
      routes: p.routes.map((r) => `${r.meta.namespace}/${r.meta.name}@${r.meta.resourceVersion}`),
      diagnostics: p.diagnostics.length,
    });
    const cases: [string, (s: ReturnType<typeof base>) => void][] = [
      ['a Service edited', (s) => (s.services[3] = service('s2', 22, '2'))],
      ['a Service and a route edited', (s) => ((s.services[0] = service('s3', 33, '2')), (s.tcpRoutes[1] = route('r1', 'a', '2')))],
      ['an item replaced by one of another key', (s) => (s.services[2] = service('s9', 9, '2'))],
      ['a junk item replaced by an object', (s) => (s.services[1] = service('s4', 4, '2'))],
      ['an object replaced by junk', (s) => (s.tcpRoutes[0] = junk)],
      ['a repeat of another key made', (s) => (s.services[3] = service('s1', 11, '2'))],
    ];
    for (const [name, edit] of cases) {
      it(`should give what a fresh parse gives: ${name}`, () => {
        const memory = parseMemory();
        const first = base();
        parseSnapshot(first, memory);
        const next = { ...first, services: [...first.services], tcpRoutes: [...first.tcpRoutes] };
        edit(next);
        const patched = parseSnapshot(next, memory);
        expect(summary(patched)).toEqual(summary(parseSnapshot(next)));
        // And once more, on top of the patched result.
        const again = { ...next, services: [...next.services] };
        again.services[2] = service('s1', 100, '3');
        expect(summary(parseSnapshot(again, memory))).toEqual(summary(parseSnapshot(again)));
      });
    }

    it('should keep a repeated key deciding by the rule, not by the place of the edit', () => {
      const memory = parseMemory();
      const first = { ...emptySnapshot(), services: [service('s', 1, '5'), service('s', 2, '4')] };
      parseSnapshot(first, memory);
      const next = { ...first, services: [first.services[0]!, service('s', 3, '6')] };
      expect(parseSnapshot(next, memory).services.map((s) => s.ports[0]?.port)).toEqual([3]);
    });
  });

  it('should survive lists that are not arrays', () => {
    const bad = { ...emptySnapshot(), gateways: 'nope', services: null } as unknown as Parameters<typeof parseSnapshot>[0];
    expect(parseSnapshot(bad).gateways).toEqual([]);
  });
});
