import { describe, expect, it } from 'vitest';
import type {
  AddressAssignment,
  BackendTarget,
  RealisedListener,
  ResolvedBackend,
  ResolvedGateway,
  ResolvedGraph,
  WinningRoute,
} from '../model/graph.js';
import type { KubeObject } from '../model/kube.js';
import {
  ANNOTATION_INFRASTRUCTURE_KEYS,
  ANNOTATION_KUBE_VIP_IPS,
  ANNOTATION_METALLB_IPS,
  ANNOTATION_METALLB_SHARED,
  ANNOTATION_UPDATE_ORIGINAL,
  LABEL_ENDPOINTSLICE_MANAGED_BY,
  LABEL_GATEWAY_CLASS_NAME,
  LABEL_GATEWAY_NAME,
  LABEL_GATEWAY_NAMESPACE,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
} from '../model/labels.js';
import { defaultOptions, type ReconcileOptions, type ServiceBehaviour } from '../model/options.js';
import type { ParsedEndpointSlice, ParsedMeta, ParsedService, ParsedServicePort } from '../model/parsed.js';
import { realiseDataplane } from './realise.js';

// Hand-built graphs: the dataplane is tested on its input contract alone, without the resolver.

const options: ReconcileOptions = defaultOptions('2026-01-01T00:00:00Z');

function meta(namespace: string, name: string, extra: Partial<ParsedMeta> = {}): ParsedMeta {
  return {
    name,
    namespace,
    uid: `uid-${name}`,
    generation: 1,
    creationTimestamp: '2026-01-01T00:00:00Z',
    resourceVersion: '1',
    labels: {},
    annotations: {},
    finalizers: [],
    ...extra,
  };
}

function service(namespace: string, name: string, ports: ParsedServicePort[], extra: Partial<ParsedService> = {}, metaExtra: Partial<ParsedMeta> = {}): ParsedService {
  const m = meta(namespace, name, metaExtra);
  const spec: Record<string, unknown> = {
    type: extra.type ?? 'ClusterIP',
    ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, ...(p.targetPort === undefined ? {} : { targetPort: p.targetPort }) })),
    ...(extra.selector === undefined ? {} : { selector: extra.selector }),
  };
  return {
    meta: m,
    type: 'ClusterIP',
    ports,
    ingressIPs: [],
    raw: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels: { ...m.labels }, annotations: { ...m.annotations }, resourceVersion: '1' }, spec },
    ...extra,
  };
}

function slice(namespace: string, name: string, serviceName: string, addressType: string, addresses: string[], port?: { name: string; port: number }): ParsedEndpointSlice {
  return {
    meta: meta(namespace, name),
    serviceName,
    addressType,
    ports: port === undefined ? [] : [{ ...port, protocol: 'TCP' }],
    endpoints: addresses.map((a) => ({ addresses: [a], ready: true })),
    raw: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace } },
  };
}

const web = service('default', 'web', [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http-port' }], { selector: { app: 'web' } });
const webTarget: BackendTarget = { service: web, servicePort: web.ports[0]!, targetPortName: 'http-port' };
/** The EndpointSlices of `web`, in every test graph's index. */
const webSlices = [
  slice('default', 'web-v4', 'web', 'IPv4', ['10.1.0.2', '10.1.0.1'], { name: 'http', port: 8080 }),
  slice('default', 'web-v6', 'web', 'IPv6', ['fd00::1'], { name: 'http', port: 8080 }),
];

function backend(target: BackendTarget | undefined, weight = 1, index = 0, name = 'web'): ResolvedBackend {
  return {
    index,
    ref: { group: '', kind: 'Service', namespace: 'default', name, port: 80, weight, backendKey: `default/${name}` },
    weight,
    ...(target === undefined ? {} : { target }),
  };
}

function winner(behaviour: ServiceBehaviour, backends: ResolvedBackend[], labels: Record<string, string> = {}): WinningRoute {
  return {
    route: {
      kind: 'TCPRoute',
      apiVersion: 'gateway.networking.k8s.io/v1alpha2',
      meta: meta('default', 'route', { labels }),
      parentRefs: [],
      rules: [],
      statusParents: [],
    },
    key: 'TCPRoute/default/route',
    behaviour,
    ...(labels['selectorkey'] === undefined ? {} : { selectorKey: labels['selectorkey'] }),
    ...(labels['selectorvalue'] === undefined ? {} : { selectorValue: labels['selectorvalue'] }),
    backends,
  };
}

function listener(name: string, port: number, win?: WinningRoute, protocol: 'TCP' | 'UDP' = 'TCP'): RealisedListener {
  return { name, protocol, port, attachedRoutes: win === undefined ? [] : [win.key], ...(win === undefined ? {} : { winner: win }) };
}

function gateway(name: string, listeners: RealisedListener[], assignment: AddressAssignment = { kind: 'assigned', addresses: ['192.0.2.10'] }, namespace = 'default'): ResolvedGateway {
  return {
    gateway: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      meta: meta(namespace, name),
      className: 'kube-vip',
      allowedListeners: { from: 'None' },
      listeners: [],
      addresses: [],
      infrastructure: { labels: { team: 'a' }, annotations: { note: 'x' } },
      statusAddresses: [],
      conditions: [],
      listenerStatuses: [],
      raw: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace } },
    },
    key: `${namespace}/${name}`,
    className: 'kube-vip',
    accepted: true,
    assignment,
    realisable: assignment.kind !== 'none',
    listeners,
    listenerSets: [],
    attachedListenerSets: 0,
    conditions: [],
    listenerStatuses: [],
  };
}

function graph(gateways: ResolvedGateway[], services: ParsedService[] = [], foreignClassLabels: string[] = []): ResolvedGraph {
  return {
    classes: [],
    foreignClassLabels: new Set(foreignClassLabels),
    gateways,
    routes: [],
    index: {
      namespaces: new Map(),
      services: new Map(services.map((s) => [`${s.meta.namespace}/${s.meta.name}`, s])),
      endpointSlicesByService: new Map([['default', new Map([['web', webSlices]])]]),
      endpointSlices: new Map(),
      configMaps: new Map(),
      referenceGrants: [],
    },
    objects: [],
    events: [],
    diagnostics: [],
    poolUsage: [],
    addresses: [],
  };
}

function find(objects: readonly KubeObject[], kind: string, name?: string): KubeObject[] {
  return objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
}

describe('realiseDataplane', () => {
  describe('endpoints behaviour (DP1)', () => {
    const gw = gateway('demo', [listener('tcp', 80, winner('endpoints', [backend(webTarget)])), listener('idle', 81)]);
    const { objects } = realiseDataplane(graph([gw], [web]), options);
    const svc = find(objects, 'Service')[0]!;

    it('should generate one selectorless LoadBalancer Service named <gateway>-<class> with a port per accepted listener, routed or not (DP0)', () => {
      expect(find(objects, 'Service')).toHaveLength(1);
      expect(svc.metadata.name).toBe('demo-kube-vip');
      expect(svc['spec']).toEqual({
        type: 'LoadBalancer',
        loadBalancerIP: '192.0.2.10',
        externalTrafficPolicy: 'Cluster',
        ports: [
          { name: 'tcp', port: 80, protocol: 'TCP' },
          { name: 'idle', port: 81, protocol: 'TCP' },
        ],
      });
    });

    it('should label, annotate and own the Service (GW8, DP6)', () => {
      expect(svc.metadata.labels).toEqual({
        team: 'a',
        [LABEL_GATEWAY_NAME]: 'demo',
        [LABEL_GATEWAY_NAMESPACE]: 'default',
        [LABEL_GATEWAY_CLASS_NAME]: 'kube-vip',
        [LABEL_MANAGED_BY]: 'l4gw',
      });
      expect(svc.metadata.annotations).toEqual({
        note: 'x',
        [ANNOTATION_INFRASTRUCTURE_KEYS]: '{"labels":["team"],"annotations":["note"]}',
        [ANNOTATION_KUBE_VIP_IPS]: '192.0.2.10',
      });
      expect(svc.metadata.ownerReferences).toEqual([
        { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'demo', uid: 'uid-demo', controller: true },
      ]);
    });

    it('should mirror the backend endpoints per address family with the named target port resolved', () => {
      const slices = find(objects, 'EndpointSlice');
      expect(slices.map((s) => s['addressType'])).toEqual(['IPv4', 'IPv6'].filter((f) => slices.some((s) => s['addressType'] === f)));
      const v4 = slices.find((s) => s['addressType'] === 'IPv4')!;
      expect(v4.metadata.labels).toMatchObject({ [LABEL_SERVICE_NAME]: 'demo-kube-vip', [LABEL_ENDPOINTSLICE_MANAGED_BY]: 'l4gw' });
      expect(v4['ports']).toEqual([{ name: 'tcp', port: 8080, protocol: 'TCP' }]);
      expect((v4['endpoints'] as { addresses: string[] }[]).map((e) => e.addresses[0])).toEqual(['10.1.0.1', '10.1.0.2']);
      expect((v4['endpoints'] as unknown[])[0]).toEqual({ addresses: ['10.1.0.1'], conditions: { ready: true, serving: true, terminating: false } });
      expect(slices).toHaveLength(2);
    });

    it('should give no endpoints to weight-0 and unresolved backends (RT6, RT4)', () => {
      const g = gateway('demo', [listener('tcp', 80, winner('endpoints', [backend(webTarget, 0), backend(undefined, 1, 1, 'missing')]))]);
      const result = realiseDataplane(graph([g], [web]), options);
      expect(find(result.objects, 'Service')).toHaveLength(1);
      expect(find(result.objects, 'EndpointSlice')).toEqual([]);
    });

    it('should give a Gateway without routes its Service with no endpoints, so its VIP is visible before a route attaches (DP0)', () => {
      const empty = realiseDataplane(graph([gateway('empty', [listener('tcp', 80), listener('dns', 53, undefined, 'UDP')])]), options).objects;
      expect(empty.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/empty-kube-vip']);
      expect(empty[0]!['spec']).toMatchObject({ loadBalancerIP: '192.0.2.10', ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] });
    });

    it('should move a listener to its selector Service once a create route wins it, and drop the Service when no listener is left (DP0, DP2)', () => {
      const mixed = gateway('mixed', [listener('idle', 81), listener('made', 82, winner('create', [backend(webTarget)]))]);
      const services = find(realiseDataplane(graph([mixed], [web]), options).objects, 'Service');
      expect(services.find((s) => s.metadata.name === 'mixed-kube-vip')?.['spec']).toMatchObject({ ports: [{ name: 'idle', port: 81 }] });
      const only = gateway('only', [listener('made', 82, winner('create', [backend(webTarget)]))]);
      expect(find(realiseDataplane(graph([only], [web]), options).objects, 'Service').map((s) => s.metadata.name)).not.toContain('only-kube-vip');
    });

    it('should generate nothing for a Gateway without an address', () => {
      const unassigned = gateway('noip', [listener('tcp', 80, winner('endpoints', [backend(webTarget)]))], { kind: 'none', reason: 'AddressNotAssigned', message: '' });
      expect(realiseDataplane(graph([unassigned]), options).objects).toEqual([]);
    });

    it('should request 0.0.0.0 for a DHCP pool (DP7)', () => {
      const g = gateway('dhcp', [listener('tcp', 80, winner('endpoints', [backend(webTarget)]))], { kind: 'dhcp', addresses: [] });
      const svcDhcp = find(realiseDataplane(graph([g]), options).objects, 'Service')[0]!;
      expect(svcDhcp['spec']).toMatchObject({ loadBalancerIP: '0.0.0.0' });
      expect(svcDhcp.metadata.annotations).toMatchObject({ [ANNOTATION_KUBE_VIP_IPS]: '0.0.0.0' });
    });

    it('should write MetalLB annotations and the loadBalancerClass when configured (DP6)', () => {
      const g = { ...gateway('m', [listener('tcp', 80, winner('endpoints', [backend(webTarget)]))]), loadBalancerClass: 'example.com/lb' };
      const s = find(realiseDataplane(graph([g]), { ...options, lbAnnotations: 'metallb' }).objects, 'Service')[0]!;
      expect(s.metadata.annotations).toMatchObject({ [ANNOTATION_METALLB_IPS]: '192.0.2.10', [ANNOTATION_METALLB_SHARED]: 'default/m' });
      expect(s.metadata.annotations).not.toHaveProperty(ANNOTATION_KUBE_VIP_IPS);
      expect(s['spec']).toMatchObject({ loadBalancerClass: 'example.com/lb' });
    });

    it("should take the announcer style and externalTrafficPolicy from the Gateway's class over the option (GC2, DP6)", () => {
      const g = { ...gateway('c', [listener('tcp', 80, winner('endpoints', [backend(webTarget)]))]), lbAnnotations: 'cilium' as const, externalTrafficPolicy: 'Local' as const };
      const s = find(realiseDataplane(graph([g]), { ...options, lbAnnotations: 'metallb' }).objects, 'Service')[0]!;
      expect(s.metadata.annotations).toMatchObject({ 'lbipam.cilium.io/ips': '192.0.2.10' });
      expect(s.metadata.annotations).not.toHaveProperty(ANNOTATION_METALLB_IPS);
      expect(s['spec']).toMatchObject({ loadBalancerIP: '192.0.2.10', externalTrafficPolicy: 'Local' });
    });

    it('should leave spec.loadBalancerIP unset with MetalLB, which refuses it beside its annotation (DP6)', () => {
      const g = gateway('m', [listener('tcp', 80, winner('endpoints', [backend(webTarget)]))]);
      const s = find(realiseDataplane(graph([g]), { ...options, lbAnnotations: 'metallb' }).objects, 'Service')[0]!;
      expect(s['spec']).not.toHaveProperty('loadBalancerIP');
      const user = { ...web, raw: { ...web.raw, spec: { ...(web.raw['spec'] as object), loadBalancerIP: '192.0.2.99' } } };
      const u = gateway('u', [listener('tcp', 8080, winner('update', [backend({ ...webTarget, service: user })]))]);
      const updated = find(realiseDataplane(graph([u], [user]), { ...options, lbAnnotations: 'metallb' }).objects, 'Service', 'web')[0]!;
      expect(updated['spec']).not.toHaveProperty('loadBalancerIP');
      expect(JSON.parse(updated.metadata.annotations![ANNOTATION_UPDATE_ORIGINAL]!)).toMatchObject({ spec: { loadBalancerIP: '192.0.2.99' } });
    });

    it('should keep every generated name and label value valid for a 253-character Gateway name (GW8)', () => {
      const long = `${'a'.repeat(126)}.${'b'.repeat(126)}`;
      const g = gateway(long, [listener('tcp', 80, winner('endpoints', [backend(webTarget)]))]);
      for (const object of realiseDataplane(graph([g], [web]), options).objects) {
        expect(object.metadata.name).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
        for (const value of Object.values(object.metadata.labels ?? {})) expect(value.length).toBeLessThanOrEqual(63);
      }
    });

    it("should not take over a user's Service that has the generated name", () => {
      const user = service('default', 'demo-kube-vip', [{ name: 'x', port: 1, protocol: 'TCP' }]);
      const result = realiseDataplane(graph([gw], [web, user]), options);
      const names = find(result.objects, 'Service').map((s) => s.metadata.name);
      expect(names).toHaveLength(1);
      expect(names[0]).not.toBe('demo-kube-vip');
      expect(names[0]).toMatch(/^demo-kube-vip-[0-9a-f]{8}$/);
    });
  });

  describe('create behaviour (DP2)', () => {
    const labels = { selectorkey: 'run', selectorvalue: 'my-nginx', serviceBehaviour: 'create' };

    it('should create a LoadBalancer Service named after the backendRef with the label selector', () => {
      const g = gateway('demo', [listener('tcp', 8080, winner('create', [backend(undefined, 1, 0, 'my-nginx-label')], labels))]);
      const result = realiseDataplane(graph([g]), options);
      expect(result.feedback).toEqual([]);
      const s = find(result.objects, 'Service', 'my-nginx-label')[0]!;
      expect(s['spec']).toEqual({
        type: 'LoadBalancer',
        loadBalancerIP: '192.0.2.10',
        externalTrafficPolicy: 'Cluster',
        selector: { run: 'my-nginx' },
        ports: [{ name: 'tcp', port: 8080, protocol: 'TCP', targetPort: 80 }],
      });
      expect(s.metadata.labels).toMatchObject({ [LABEL_MANAGED_BY]: 'l4gw' });
    });

    it('should report missing selector labels on the route instead of creating anything', () => {
      const g = gateway('demo', [listener('tcp', 8080, winner('create', [backend(undefined, 1, 0, 'x')], { selectorkey: 'run' }))]);
      const result = realiseDataplane(graph([g]), options);
      expect(result.objects).toEqual([]);
      expect(result.feedback).toEqual([
        expect.objectContaining({ route: 'TCPRoute/default/route', gateway: 'default/demo', condition: 'ResolvedRefs', reason: 'BackendNotFound' }),
      ]);
      expect(result.feedback[0]!.message).toContain('selectorvalue');
    });

    it('should refuse to take over an existing Service that l4gw did not create', () => {
      const g = gateway('demo', [listener('tcp', 8080, winner('create', [backend(undefined, 1, 0, 'web')], labels))]);
      const result = realiseDataplane(graph([g], [web]), options);
      expect(result.objects).toEqual([]);
      expect(result.feedback[0]).toMatchObject({ condition: 'ResolvedRefs', reason: 'BackendNotFound' });
      expect(result.feedback[0]!.message).toContain('was not created by l4gw');
    });
  });

  describe('duplicate behaviour (DP3)', () => {
    it('should copy the backend selector into <name>-<gateway> with the backend port targetPort (DP5)', () => {
      const g = gateway('demo', [listener('tcp', 8080, winner('duplicate', [backend(webTarget)]))]);
      const s = find(realiseDataplane(graph([g], [web]), options).objects, 'Service')[0]!;
      expect(s.metadata.name).toBe('web-demo');
      expect(s['spec']).toMatchObject({ selector: { app: 'web' }, ports: [{ name: 'tcp', port: 8080, protocol: 'TCP', targetPort: 'http-port' }] });
    });

    it('should report dropped extra backends as PartiallyInvalid (DP5)', () => {
      const g = gateway('demo', [listener('tcp', 8080, winner('duplicate', [backend(webTarget), backend(webTarget, 1, 1)]))]);
      const result = realiseDataplane(graph([g], [web]), options);
      expect(result.feedback).toEqual([expect.objectContaining({ condition: 'PartiallyInvalid', reason: 'UnsupportedValue' })]);
      expect(find(result.objects, 'Service')).toHaveLength(1);
    });
  });

  describe('update behaviour (DP4)', () => {
    const g = gateway('demo', [listener('tcp', 8080, winner('update', [backend(webTarget)]))]);
    const first = realiseDataplane(graph([g], [web]), options);
    const updated = find(first.objects, 'Service', 'web')[0]!;

    it('should turn the backend Service into a LoadBalancer with the VIP and save what it changes', () => {
      expect(updated['spec']).toMatchObject({ type: 'LoadBalancer', loadBalancerIP: '192.0.2.10', selector: { app: 'web' } });
      expect((updated['spec'] as { ports: unknown[] }).ports).toEqual([
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http-port' },
        { name: 'l4gw-tcp', port: 8080, protocol: 'TCP', targetPort: 'http-port' },
      ]);
      expect(updated.metadata.labels).not.toHaveProperty(LABEL_MANAGED_BY);
      expect(JSON.parse(updated.metadata.annotations![ANNOTATION_UPDATE_ORIGINAL]!)).toMatchObject({
        spec: { type: 'ClusterIP', loadBalancerIP: null },
      });
    });

    function asObserved(object: KubeObject): ParsedService {
      return service('default', 'web', [...web.ports], { selector: { app: 'web' }, raw: object }, {
        labels: object.metadata.labels ?? {},
        annotations: object.metadata.annotations ?? {},
      });
    }

    it('should want the same object again once its change is applied (plan fixpoint)', () => {
      const again = realiseDataplane(graph([g], [asObserved(updated)]), options);
      expect(find(again.objects, 'Service', 'web')[0]).toEqual(updated);
    });

    it('should restore exactly the original Service when no route needs it any more', () => {
      const restored = realiseDataplane(graph([], [asObserved(updated)]), options);
      expect(restored.objects).toEqual([web.raw]);
    });

    it("should put the user's own value back for an announcer key the new style does not write, when the style is switched (DP4, DP6)", () => {
      const updateOf = (svc: ParsedService): ResolvedGateway =>
        gateway('demo', [listener('tcp', 8080, winner('update', [backend({ service: svc, servicePort: svc.ports[0]!, targetPortName: 'http-port' })]))]);
      const userAnnotated = service('default', 'web', [...web.ports], { selector: { app: 'web' } }, { annotations: { [ANNOTATION_METALLB_SHARED]: 'users-key' } });
      const asMetallb = realiseDataplane(graph([{ ...updateOf(userAnnotated), lbAnnotations: 'metallb' }], [userAnnotated]), options);
      const underMetallb = find(asMetallb.objects, 'Service', 'web')[0]!;
      expect(underMetallb.metadata.annotations).toMatchObject({ [ANNOTATION_METALLB_IPS]: '192.0.2.10', [ANNOTATION_METALLB_SHARED]: 'default/demo' });
      const observedUnderMetallb = service('default', 'web', [...web.ports], { selector: { app: 'web' }, raw: underMetallb }, {
        labels: underMetallb.metadata.labels ?? {},
        annotations: underMetallb.metadata.annotations ?? {},
      });
      const switched = find(realiseDataplane(graph([updateOf(observedUnderMetallb)], [observedUnderMetallb]), options).objects, 'Service', 'web')[0]!;
      expect(switched.metadata.annotations).toMatchObject({ [ANNOTATION_KUBE_VIP_IPS]: '192.0.2.10', [ANNOTATION_METALLB_SHARED]: 'users-key' });
      expect(switched.metadata.annotations).not.toHaveProperty(ANNOTATION_METALLB_IPS);
    });

    it("should leave another l4gw instance's update-mode Service for that instance to restore (DP4)", () => {
      const className = updated.metadata.labels![LABEL_GATEWAY_CLASS_NAME]!;
      const restored = realiseDataplane(graph([], [asObserved(updated)], [className]), options);
      expect(restored.objects).toEqual([]);
    });

    it('should leave a Service with an unreadable saved original alone and say so', () => {
      const broken = asObserved({ ...updated, metadata: { ...updated.metadata, annotations: { [ANNOTATION_UPDATE_ORIGINAL]: '{nope' } } });
      const result = realiseDataplane(graph([], [broken]), options);
      expect(result.objects).toEqual([]);
      expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'warning' })]);
    });
  });
});
