import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../gateway/resolve.js';
import * as f from '../gateway/test-support.js';

const TWO_LISTENERS = f.gateway('gw', [
  { name: 'a', port: 80 },
  { name: 'b', port: 81 },
  { name: 'u', port: 80, protocol: 'UDP' },
]);
const WEB = f.service('web', [{ port: 80, targetPort: 8080 }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }]);

function routeStatus(s: ReturnType<typeof f.snapshot>, key = 'TCPRoute/default/r', opts = f.options()) {
  return f.parents(f.statuses(s, opts).get(key));
}

function snap(routes: { tcp?: unknown[]; udp?: unknown[] }, extra: Parameters<typeof f.snapshot>[0] = {}) {
  return f.snapshot({ gateways: [TWO_LISTENERS], services: [WEB], tcpRoutes: routes.tcp ?? [], udpRoutes: routes.udp ?? [], ...extra });
}

describe('route attachment', () => {
  it('should attach a TCPRoute to TCP listeners only and a UDPRoute to UDP listeners only (RT1)', () => {
    const graph = resolveGraph(
      snap({ tcp: [f.tcpRoute('r', [f.parent('gw')], [f.backend('web', 80)])], udp: [f.route('UDPRoute', 'd', [f.parent('gw')], [[f.backend('web', 53)]])] }),
      f.options(),
    );
    const attached = Object.fromEntries(graph.gateways[0]!.listeners.map((l) => [l.name, l.attachedRoutes]));
    expect(attached).toEqual({ a: ['TCPRoute/default/r'], b: ['TCPRoute/default/r'], u: ['UDPRoute/default/d'] });
  });

  it('should read v1alpha2 routes and use only the first of several rules with PartiallyInvalid (RT1)', () => {
    const r = f.route('TCPRoute', 'r', [f.parent('gw', { sectionName: 'a' })], [[f.backend('web', 80)], [f.backend('other', 80)]], {
      apiVersion: 'gateway.networking.k8s.io/v1alpha2',
    });
    const s = snap({ tcp: [r] });
    const [entry] = routeStatus(s);
    expect(f.sr(f.cond(entry, 'Accepted'))).toBe('True/Accepted');
    expect(f.sr(f.cond(entry, 'ResolvedRefs'))).toBe('True/ResolvedRefs');
    expect(f.sr(f.cond(entry, 'PartiallyInvalid'))).toBe('True/UnsupportedValue');
    const winner = resolveGraph(s, f.options()).gateways[0]?.listeners[0]?.winner;
    expect(winner?.backends.map((b) => b.ref.name)).toEqual(['web']);
  });

  it('should prefer the v1 copy when a route is read in both versions (RT1)', () => {
    const v1 = f.tcpRoute('r', [f.parent('gw', { sectionName: 'a' })], [f.backend('web', 80)]);
    const alpha = f.tcpRoute('r', [f.parent('gw', { sectionName: 'b' })], [f.backend('web', 80)], { apiVersion: 'gateway.networking.k8s.io/v1alpha2' });
    for (const order of [[v1, alpha], [alpha, v1]]) {
      const graph = resolveGraph(snap({ tcp: order }), f.options());
      expect(graph.routes[0]?.target.apiVersion).toBe('gateway.networking.k8s.io/v1');
      expect(graph.gateways[0]?.listeners.find((l) => l.name === 'a')?.attachedRoutes).toEqual(['TCPRoute/default/r']);
    }
  });

  it('should match listeners by sectionName, by port, and by both (RT2)', () => {
    const graph = resolveGraph(
      snap({
        tcp: [
          f.tcpRoute('by-name', [f.parent('gw', { sectionName: 'b' })], [f.backend('web', 80)]),
          f.tcpRoute('by-port', [f.parent('gw', { port: 80 })], [f.backend('web', 80)]),
          f.tcpRoute('by-both', [f.parent('gw', { sectionName: 'b', port: 81 })], [f.backend('web', 80)]),
        ],
      }),
      f.options(),
    );
    const attached = Object.fromEntries(graph.gateways[0]!.listeners.map((l) => [l.name, l.attachedRoutes]));
    expect(attached['a']).toEqual(['TCPRoute/default/by-port']);
    expect([...(attached['b'] ?? [])].sort()).toEqual(['TCPRoute/default/by-both', 'TCPRoute/default/by-name']);
  });

  it('should say NoMatchingParent when sectionName or port match no listener (RT2)', () => {
    for (const ref of [{ sectionName: 'nope' }, { port: 9999 }, { sectionName: 'a', port: 81 }]) {
      const [entry] = routeStatus(snap({ tcp: [f.tcpRoute('r', [f.parent('gw', ref)], [f.backend('web', 80)])] }));
      expect(f.sr(f.cond(entry, 'Accepted'))).toBe('False/NoMatchingParent');
    }
  });

  it('should say NotAllowedByListeners when a matched listener has the wrong protocol (RT2)', () => {
    const [entry] = routeStatus(snap({ tcp: [f.tcpRoute('r', [f.parent('gw', { sectionName: 'u' })], [f.backend('web', 80)])] }));
    expect(f.sr(f.cond(entry, 'Accepted'))).toBe('False/NotAllowedByListeners');
  });

  it('should not attach to an HTTP listener and count no route there (RT2, GW6)', () => {
    const s = f.snapshot({
      gateways: [f.gateway('gw', [{ name: 'http', port: 5300, protocol: 'HTTP', allowedRoutes: { kinds: [{ kind: 'HTTPRoute' }] } }])],
      tcpRoutes: [f.tcpRoute('r', [f.parent('gw', { sectionName: 'http' })], [f.backend('web', 80)])],
      services: [WEB],
    });
    const st = f.statuses(s);
    expect(f.sr(f.cond(f.parents(st.get('TCPRoute/default/r'))[0], 'Accepted'))).toBe('False/NotAllowedByListeners');
    expect(f.listenerStatus(st.get('Gateway/default/gw'), 'http')?.['attachedRoutes']).toBe(0);
  });

  it('should admit only the Gateway namespace with allowedRoutes Same (the default) (RT2)', () => {
    const r = f.tcpRoute('r', [f.parent('gw', { namespace: 'default' })], [f.backend('web', 80)], { namespace: 'team' });
    const [entry] = routeStatus(snap({ tcp: [r] }), 'TCPRoute/team/r');
    expect(f.sr(f.cond(entry, 'Accepted'))).toBe('False/NotAllowedByListeners');
  });

  it('should admit every namespace with allowedRoutes All (RT2)', () => {
    const gw = f.gateway('gw', [{ name: 'a', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }]);
    const r = f.tcpRoute('r', [f.parent('gw', { namespace: 'default' })], [], { namespace: 'team' });
    const [entry] = routeStatus(f.snapshot({ gateways: [gw], tcpRoutes: [r] }), 'TCPRoute/team/r');
    expect(f.sr(f.cond(entry, 'Accepted'))).toBe('True/Accepted');
  });

  it('should admit namespaces whose labels match allowedRoutes Selector (RT2)', () => {
    const gw = f.gateway('gw', [
      { name: 'a', port: 80, allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'yes' } } } } },
    ]);
    const route = (ns: string) => f.tcpRoute('r', [f.parent('gw', { namespace: 'default' })], [], { namespace: ns });
    const s = f.snapshot({
      gateways: [gw],
      tcpRoutes: [route('team'), route('other')],
      namespaces: [f.namespace('team', { shared: 'yes' }), f.namespace('other', { shared: 'no' })],
    });
    const st = f.statuses(s);
    expect(f.sr(f.cond(f.parents(st.get('TCPRoute/team/r'))[0], 'Accepted'))).toBe('True/Accepted');
    expect(f.sr(f.cond(f.parents(st.get('TCPRoute/other/r'))[0], 'Accepted'))).toBe('False/NotAllowedByListeners');
  });

  it('should match a Selector on kubernetes.io/metadata.name even without a Namespace object (RT2)', () => {
    const gw = f.gateway('gw', [
      { name: 'a', port: 80, allowedRoutes: { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team'] }] } } } },
    ]);
    const r = f.tcpRoute('r', [f.parent('gw', { namespace: 'default' })], [], { namespace: 'team' });
    const [entry] = routeStatus(f.snapshot({ gateways: [gw], tcpRoutes: [r] }), 'TCPRoute/team/r');
    expect(f.sr(f.cond(entry, 'Accepted'))).toBe('True/Accepted');
  });

  it('should refuse a route kind not in allowedRoutes.kinds (RT2)', () => {
    const gw = f.gateway('gw', [{ name: 'a', port: 80, allowedRoutes: { kinds: [{ kind: 'UDPRoute' }] } }]);
    const [entry] = routeStatus(f.snapshot({ gateways: [gw], tcpRoutes: [f.tcpRoute('r', [f.parent('gw')], [])] }));
    expect(f.sr(f.cond(entry, 'Accepted'))).toBe('False/NotAllowedByListeners');
  });

  it('should give parents that are not our Gateways no entry (RT2, RT3)', () => {
    const s = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4'), f.gatewayClass('x', { controllerName: 'example.com/x' })],
      gateways: [TWO_LISTENERS, f.gateway('theirs', [{ name: 'a', port: 80 }], { className: 'x' })],
      tcpRoutes: [f.tcpRoute('r', [f.parent('gw', { sectionName: 'a' }), f.parent('theirs'), f.parent('missing'), { name: 'svc', kind: 'Service', group: '' }], [])],
    });
    expect(routeStatus(s).map((p) => (p['parentRef'] as { name: string }).name)).toEqual(['gw']);
    const lonely = f.snapshot({ gatewayClasses: [f.gatewayClass('x', { controllerName: 'example.com/x' })], gateways: [f.gateway('theirs', [{ name: 'a', port: 80 }], { className: 'x' })], tcpRoutes: [f.tcpRoute('r', [f.parent('theirs')], [])] });
    expect(f.statuses(lonely).has('TCPRoute/default/r')).toBe(false);
  });

  it('should copy the parentRef as written, keeping a given namespace (RT3)', () => {
    const r = f.tcpRoute('r', [{ name: 'gw', namespace: 'default', port: 80 }], [f.backend('web', 80)]);
    const [entry] = routeStatus(snap({ tcp: [r] }));
    expect(entry?.['parentRef']).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'default', name: 'gw', port: 80 });
  });

  it('should write one entry per parentRef with group, kind and our controllerName (RT3)', () => {
    const entries = routeStatus(snap({ tcp: [f.tcpRoute('r', [f.parent('gw', { sectionName: 'a' }), f.parent('gw', { sectionName: 'b' })], [f.backend('web', 80)])] }));
    expect(entries.map((e) => e['parentRef'])).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', sectionName: 'a' },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', sectionName: 'b' },
    ]);
    expect(entries.every((e) => e['controllerName'] === f.CONTROLLER)).toBe(true);
  });
});

describe('backend resolution', () => {
  function resolvedRefs(backends: Record<string, unknown>[], extra: Parameters<typeof f.snapshot>[0] = {}, routeNs = 'default') {
    const s = f.snapshot({
      gateways: [f.gateway('gw', [{ name: 'a', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }])],
      services: [WEB, f.service('far', [{ port: 80 }], { namespace: 'backend' }), f.service('ext', [{ port: 80 }], { type: 'ExternalName' })],
      tcpRoutes: [f.tcpRoute('r', [f.parent('gw', { namespace: 'default' })], backends, { namespace: routeNs })],
      ...extra,
    });
    const entry = routeStatus(s, `TCPRoute/${routeNs}/r`)[0];
    return { accepted: f.cond(entry, 'Accepted'), resolved: f.cond(entry, 'ResolvedRefs'), graph: resolveGraph(s, f.options()) };
  }

  it('should resolve a Service port and its numeric targetPort (RT4)', () => {
    const { resolved, graph } = resolvedRefs([f.backend('web', 80)]);
    expect(f.sr(resolved)).toBe('True/ResolvedRefs');
    const target = graph.gateways[0]?.listeners[0]?.winner?.backends[0]?.target;
    expect(target?.targetPort).toBe(8080);
    expect(target?.service.meta.name).toBe('web');
  });

  it('should pass a named targetPort on for the EndpointSlices to resolve (RT4, DP1)', () => {
    const s = snap({ udp: [f.route('UDPRoute', 'd', [f.parent('gw', { sectionName: 'u' })], [[f.backend('web', 53)]])] });
    const target = resolveGraph(s, f.options()).gateways[0]?.listeners.find((l) => l.name === 'u')?.winner?.backends[0]?.target;
    expect(target?.targetPortName).toBe('dns');
    expect(target?.targetPort).toBeUndefined();
  });

  it('should index the backend Service\'s EndpointSlices by Service, sorted by name (RT4, DP1)', () => {
    const { graph } = resolvedRefs([f.backend('web', 80)], { endpointSlices: [f.endpointSlice('web-b', 'web', ['10.1.0.2']), f.endpointSlice('web-a', 'web', ['10.1.0.1']), f.endpointSlice('x', 'other', ['10.1.0.3'])] });
    const service = graph.gateways[0]?.listeners[0]?.winner?.backends[0]?.target?.service;
    const slices = graph.index.endpointSlicesByService.get(service?.meta.namespace ?? '')?.get(service?.meta.name ?? '');
    expect(slices?.map((s) => s.meta.name)).toEqual(['web-a', 'web-b']);
  });

  it('should say InvalidKind for a non-Service backend, route still Accepted (RT4)', () => {
    const { accepted, resolved } = resolvedRefs([{ group: 'example.com', kind: 'Thing', name: 'x', port: 80 }]);
    expect(f.sr(accepted)).toBe('True/Accepted');
    expect(f.sr(resolved)).toBe('False/InvalidKind');
  });

  it('should refuse an ExternalName Service (RT4, R5)', () => {
    expect(f.sr(resolvedRefs([f.backend('ext', 80)]).resolved)).toBe('False/InvalidKind');
  });

  it('should say BackendNotFound for a missing Service and for a port not on the Service (RT4)', () => {
    expect(f.sr(resolvedRefs([f.backend('nonexistent-service', 8080)]).resolved)).toBe('False/BackendNotFound');
    expect(f.sr(resolvedRefs([f.backend('web', 9999)]).resolved)).toBe('False/BackendNotFound');
    expect(f.sr(resolvedRefs([{ name: 'web' }]).resolved)).toBe('False/BackendNotFound');
  });

  it('should say RefNotPermitted for another namespace without a ReferenceGrant, naming only the grant (RT4)', () => {
    const missing = resolvedRefs([f.backend('nothing-here', 80, { namespace: 'backend' })]).resolved;
    const existing = resolvedRefs([f.backend('far', 80, { namespace: 'backend' })]).resolved;
    expect(f.sr(existing)).toBe('False/RefNotPermitted');
    expect(f.sr(missing)).toBe('False/RefNotPermitted');
    // The same wording whether or not the Service exists: nothing leaks about the other namespace.
    expect(missing?.message.replace('nothing-here', 'X')).toBe(existing?.message.replace('far', 'X'));
  });

  it('should resolve across namespaces with a ReferenceGrant (v1beta1 or v1), and revoke when it goes (RT4)', () => {
    const from = [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute', namespace: 'default' }];
    for (const apiVersion of ['gateway.networking.k8s.io/v1beta1', 'gateway.networking.k8s.io/v1']) {
      const granted = resolvedRefs([f.backend('far', 80, { namespace: 'backend' })], {
        referenceGrants: [f.referenceGrant('backend', 'g', from, [{ group: '', kind: 'Service' }], apiVersion)],
      });
      expect(f.sr(granted.resolved)).toBe('True/ResolvedRefs');
    }
    const named = resolvedRefs([f.backend('far', 80, { namespace: 'backend' })], {
      referenceGrants: [f.referenceGrant('backend', 'g', from, [{ group: '', kind: 'Service', name: 'other' }])],
    });
    expect(f.sr(named.resolved)).toBe('False/RefNotPermitted');
    const wrongKind = resolvedRefs([f.backend('far', 80, { namespace: 'backend' })], {
      referenceGrants: [f.referenceGrant('backend', 'g', [{ ...from[0], kind: 'UDPRoute' }], [{ group: '', kind: 'Service' }])],
    });
    expect(f.sr(wrongKind.resolved)).toBe('False/RefNotPermitted');
    expect(f.sr(resolvedRefs([f.backend('far', 80, { namespace: 'backend' })]).resolved)).toBe('False/RefNotPermitted');
  });

  it('should keep weight-0 backends in the winner with weight 0 and still resolve them (RT6)', () => {
    const { resolved, graph } = resolvedRefs([f.backend('web', 80, { weight: 70 }), f.backend('web', 80, { weight: 0 })]);
    expect(f.sr(resolved)).toBe('True/ResolvedRefs');
    expect(graph.gateways[0]?.listeners[0]?.winner?.backends.map((b) => b.weight)).toEqual([70, 0]);
  });

  it('should not call the Service a create-mode route names missing: l4gw creates it (DP2, R1)', () => {
    const route = (labels: Record<string, string>) =>
      f.tcpRoute('r', [f.parent('gw', { namespace: 'default' })], [f.backend('to-be-created', 80)], { labels });
    const snapshotWith = (labels: Record<string, string>) =>
      f.snapshot({ gateways: [f.gateway('gw', [{ name: 'a', port: 80 }])], tcpRoutes: [route(labels)] });
    const created = f.parents(f.statuses(snapshotWith({ serviceBehaviour: 'create', selectorkey: 'app', selectorvalue: 'x' })).get('TCPRoute/default/r'))[0];
    expect(f.sr(f.cond(created, 'ResolvedRefs'))).toBe('True/ResolvedRefs');
    const referenced = f.parents(f.statuses(snapshotWith({})).get('TCPRoute/default/r'))[0];
    expect(f.sr(f.cond(referenced, 'ResolvedRefs'))).toBe('False/BackendNotFound');
    const winner = resolveGraph(snapshotWith({ serviceBehaviour: 'create' }), f.options()).gateways[0]?.listeners[0]?.winner;
    expect(winner?.backends.map((b) => [b.ref.name, b.target])).toEqual([['to-be-created', undefined]]);
  });

  it('should be ResolvedRefs False when only one of several backends fails (RT4)', () => {
    const { resolved, graph } = resolvedRefs([f.backend('web', 80), f.backend('gone', 80)]);
    expect(f.sr(resolved)).toBe('False/BackendNotFound');
    const backends = graph.gateways[0]?.listeners[0]?.winner?.backends;
    expect(backends?.map((b) => b.target !== undefined)).toEqual([true, false]);
  });
});

describe('winner per listener', () => {
  it('should count every Accepted route and program the oldest (RT5)', () => {
    const s = snap({
      tcp: [
        f.tcpRoute('newer', [f.parent('gw', { sectionName: 'a' })], [f.backend('web', 80)], { creationTimestamp: '2025-05-01T00:00:00Z' }),
        f.tcpRoute('older', [f.parent('gw', { sectionName: 'a' })], [f.backend('web', 80)], { creationTimestamp: '2025-04-01T00:00:00Z' }),
      ],
    });
    const st = f.statuses(s);
    expect(f.sr(f.cond(f.parents(st.get('TCPRoute/default/newer'))[0], 'Accepted'))).toBe('True/Accepted');
    expect(f.sr(f.cond(f.parents(st.get('TCPRoute/default/older'))[0], 'Accepted'))).toBe('True/Accepted');
    expect(f.listenerStatus(st.get('Gateway/default/gw'), 'a')?.['attachedRoutes']).toBe(2);
    const listener = resolveGraph(s, f.options()).gateways[0]?.listeners.find((l) => l.name === 'a');
    expect(listener?.winner?.route.meta.name).toBe('older');
    expect(listener?.attachedRoutes).toEqual(['TCPRoute/default/older', 'TCPRoute/default/newer']);
  });

  it('should break a creationTimestamp tie by namespace/name (RT5)', () => {
    const gw = f.gateway('gw', [{ name: 'a', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }]);
    const r = (ns: string, name: string) => f.tcpRoute(name, [f.parent('gw', { namespace: 'default' })], [], { namespace: ns });
    const graph = resolveGraph(f.snapshot({ gateways: [gw], tcpRoutes: [r('b', 'a'), r('a', 'z')] }), f.options());
    expect(graph.gateways[0]?.listeners[0]?.winner?.key).toBe('TCPRoute/a/z');
  });

  it('should choose the behaviour from the route label, then class parameters, then the option (DP)', () => {
    const routeWith = (labels: Record<string, string>) => f.tcpRoute('r', [f.parent('gw', { sectionName: 'a' })], [f.backend('web', 80)], { labels });
    const classed = {
      gatewayClasses: [f.gatewayClass('l4', { parametersRef: { group: '', kind: 'ConfigMap', name: 'p', namespace: 'infra' } })],
      configMaps: [f.kubevip(), f.configMap('infra', 'p', { serviceBehaviour: 'duplicate' })],
    };
    const behaviour = (s: ReturnType<typeof f.snapshot>, opts = f.options()) => resolveGraph(s, opts).gateways[0]?.listeners[0]?.winner?.behaviour;
    expect(behaviour(snap({ tcp: [routeWith({ serviceBehaviour: 'create' })] }, classed))).toBe('create');
    expect(behaviour(snap({ tcp: [routeWith({})] }, classed))).toBe('duplicate');
    expect(behaviour(snap({ tcp: [routeWith({})] }), f.options({ serviceBehaviour: 'update' }))).toBe('update');
    expect(behaviour(snap({ tcp: [routeWith({})] }))).toBe('endpoints');
    // Attached to both TCP listeners, so the ignored label is met twice but reported once.
    const bogus = snap({ tcp: [f.tcpRoute('r', [f.parent('gw')], [f.backend('web', 80)], { labels: { serviceBehaviour: 'teleport' } })] });
    expect(behaviour(bogus)).toBe('endpoints');
    expect(resolveGraph(bogus, f.options()).diagnostics.filter((d) => d.message.includes('teleport'))).toHaveLength(1);
  });

  it('should pass the prototype selector labels through (DP2)', () => {
    const r = f.tcpRoute('r', [f.parent('gw', { sectionName: 'a' })], [f.backend('web', 80)], { labels: { selectorkey: 'app', selectorvalue: 'web' } });
    const winner = resolveGraph(snap({ tcp: [r] }), f.options()).gateways[0]?.listeners[0]?.winner;
    expect([winner?.selectorKey, winner?.selectorValue]).toEqual(['app', 'web']);
    const bare = resolveGraph(snap({ tcp: [f.tcpRoute('r', [f.parent('gw', { sectionName: 'a' })], [])] }), f.options()).gateways[0]?.listeners[0]?.winner;
    expect(bare?.selectorKey).toBeUndefined();
  });
});
