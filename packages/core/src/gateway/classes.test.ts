import { describe, expect, it } from 'vitest';
import { resolveGraph } from './resolve.js';
import * as f from './test-support.js';

describe('GatewayClass resolution', () => {
  it('should write status only for classes with our controllerName (GC1)', () => {
    const s = f.snapshot({ gatewayClasses: [f.gatewayClass('l4'), f.gatewayClass('other', { controllerName: 'example.com/other' })] });
    const st = f.statuses(s);
    expect(st.has('GatewayClass/l4')).toBe(true);
    expect(st.has('GatewayClass/other')).toBe(false);
  });

  it("should name other controllers' classes so their generated objects are left to them (GC1, DP4, DP8)", () => {
    const s = f.snapshot({ gatewayClasses: [f.gatewayClass('l4'), f.gatewayClass('other', { controllerName: 'example.com/other' })] });
    expect([...resolveGraph(s, f.options()).foreignClassLabels]).toEqual(['other']);
  });

  it('should honour a configured controller name (GC1)', () => {
    const s = f.snapshot({ gatewayClasses: [f.gatewayClass('mine', { controllerName: 'l4gw.io/x' }), f.gatewayClass('l4')] });
    const st = f.statuses(s, f.options({ controllerName: 'l4gw.io/x' }));
    expect([...st.keys()]).toEqual(['GatewayClass/mine']);
  });

  it('should accept a class without parametersRef (GC2)', () => {
    expect(f.sr(f.cond(f.statuses(f.snapshot()).get('GatewayClass/l4'), 'Accepted'))).toBe('True/Accepted');
  });

  it('should reject a parametersRef that is not a core ConfigMap with InvalidParameters (GC2)', () => {
    const s = f.snapshot({ gatewayClasses: [f.gatewayClass('l4', { parametersRef: { group: 'example.com', kind: 'Params', name: 'p' } })] });
    expect(f.sr(f.cond(f.statuses(s).get('GatewayClass/l4'), 'Accepted'))).toBe('False/InvalidParameters');
  });

  it('should reject a ConfigMap parametersRef without namespace (GC2)', () => {
    const s = f.snapshot({ gatewayClasses: [f.gatewayClass('l4', { parametersRef: { group: '', kind: 'ConfigMap', name: 'p' } })] });
    expect(f.sr(f.cond(f.statuses(s).get('GatewayClass/l4'), 'Accepted'))).toBe('False/InvalidParameters');
  });

  it('should reject a parametersRef ConfigMap that does not exist (GC2)', () => {
    const s = f.snapshot({ gatewayClasses: [f.gatewayClass('l4', { parametersRef: { group: '', kind: 'ConfigMap', name: 'p', namespace: 'infra' } })] });
    const c = f.cond(f.statuses(s).get('GatewayClass/l4'), 'Accepted');
    expect(f.sr(c)).toBe('False/InvalidParameters');
    expect(c?.message).toContain('infra/p');
  });

  it('should accept an existing parametersRef ConfigMap and read serviceBehaviour and loadBalancerClass from it (GC2)', () => {
    const s = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4', { parametersRef: { group: '', kind: 'ConfigMap', name: 'p', namespace: 'infra' } })],
      configMaps: [f.kubevip(), f.configMap('infra', 'p', { serviceBehaviour: 'duplicate', loadBalancerClass: 'kube-vip.io/kube-vip-class' })],
    });
    const graph = resolveGraph(s, f.options());
    expect(graph.classes[0]?.accepted).toBe(true);
    expect(graph.classes[0]?.parameters.serviceBehaviour).toBe('duplicate');
    expect(graph.classes[0]?.parameters.loadBalancerClass).toBe('kube-vip.io/kube-vip-class');
  });

  it('should reject class parameters naming an unknown serviceBehaviour (GC2)', () => {
    const s = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4', { parametersRef: { group: '', kind: 'ConfigMap', name: 'p', namespace: 'infra' } })],
      configMaps: [f.kubevip(), f.configMap('infra', 'p', { serviceBehaviour: 'teleport' })],
    });
    expect(f.sr(f.cond(f.statuses(s).get('GatewayClass/l4'), 'Accepted'))).toBe('False/InvalidParameters');
  });

  it('should read lbAnnotations and externalTrafficPolicy from class parameters and give them to its Gateways (GC2, DP6)', () => {
    const s = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4', { parametersRef: { group: '', kind: 'ConfigMap', name: 'p', namespace: 'infra' } })],
      configMaps: [f.kubevip(), f.configMap('infra', 'p', { lbAnnotations: 'metallb', externalTrafficPolicy: 'Local' })],
      gateways: [f.gateway('gw', [{ name: 'tcp', port: 80 }])],
    });
    const graph = resolveGraph(s, f.options());
    expect(graph.classes[0]?.parameters).toMatchObject({ lbAnnotations: 'metallb', externalTrafficPolicy: 'Local' });
    expect(graph.gateways[0]).toMatchObject({ lbAnnotations: 'metallb', externalTrafficPolicy: 'Local' });
  });

  it.each([
    ['lbAnnotations', 'bgp'],
    ['externalTrafficPolicy', 'local'],
    ['serviceBehaviour', 'teleport'],
  ])('should reject class parameter %s=%s with InvalidParameters naming the key and the allowed values (GC2)', (key, value) => {
    const s = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4', { parametersRef: { group: '', kind: 'ConfigMap', name: 'p', namespace: 'infra' } })],
      configMaps: [f.kubevip(), f.configMap('infra', 'p', { [key]: value })],
    });
    const c = f.cond(f.statuses(s).get('GatewayClass/l4'), 'Accepted');
    expect(f.sr(c)).toBe('False/InvalidParameters');
    expect(c?.message).toContain(`key ${key}`);
    expect(c?.message).toContain(`"${value}"`);
    expect(c?.message).toMatch(/use one of \S+/);
  });

  it('should not treat Gateways of a rejected class as ours (GW1)', () => {
    const s = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4', { parametersRef: { group: 'x', kind: 'Y', name: 'p' } })],
      gateways: [f.gateway('gw', [{ name: 'tcp', port: 80 }])],
    });
    expect(f.statuses(s).has('Gateway/default/gw')).toBe(false);
  });

  it('should set SupportedVersion True when every CRD bundle version is supported (GC3)', () => {
    const s = f.snapshot({ crdBundleVersions: { 'gateways.gateway.networking.k8s.io': 'v1.6.1', 'tcproutes.gateway.networking.k8s.io': 'v1.4.1' } });
    expect(f.sr(f.cond(f.statuses(s).get('GatewayClass/l4'), 'SupportedVersion'))).toBe('True/SupportedVersion');
  });

  it('should set SupportedVersion False/UnsupportedVersion and stay Accepted for an unknown version (GC3)', () => {
    const s = f.snapshot({ crdBundleVersions: { 'gateways.gateway.networking.k8s.io': 'v1.6.1', 'tcproutes.gateway.networking.k8s.io': 'v9.0.0' } });
    const st = f.statuses(s).get('GatewayClass/l4');
    const c = f.cond(st, 'SupportedVersion');
    expect(f.sr(c)).toBe('False/UnsupportedVersion');
    expect(c?.message).toContain('v9.0.0');
    expect(f.sr(f.cond(st, 'Accepted'))).toBe('True/Accepted');
  });

  it('should publish supportedFeatures sorted by name (GC4)', () => {
    const features = (f.statuses(f.snapshot()).get('GatewayClass/l4')?.['supportedFeatures'] as { name: string }[]).map((x) => x.name);
    expect(features).toEqual([...features].sort());
    expect(features).toContain('TCPRoute');
    expect(features).toContain('UDPRoute');
    expect(features).not.toContain('HTTPRoute');
  });

  it('should claim exactly the L4 features that work, by their Gateway API v1.6 names (GC4)', () => {
    const features = (f.statuses(f.snapshot()).get('GatewayClass/l4')?.['supportedFeatures'] as { name: string }[]).map((x) => x.name);
    expect(features).toEqual(['Gateway', 'GatewayAddressEmpty', 'GatewayInfrastructure', 'GatewayStaticAddresses', 'ListenerSet', 'ReferenceGrant', 'TCPRoute', 'UDPRoute']);
  });

  it('should support bundle versions v1.7.x (GC3)', () => {
    const s = f.snapshot({ crdBundleVersions: { 'gateways.gateway.networking.k8s.io': 'v1.7.0', 'tcproutes.gateway.networking.k8s.io': 'v1.7.2' } });
    expect(f.sr(f.cond(f.statuses(s).get('GatewayClass/l4'), 'SupportedVersion'))).toBe('True/SupportedVersion');
  });

  it('should add the gateway-exists finalizer while a Gateway uses the class (GC5)', () => {
    const s = f.snapshot({ gateways: [f.gateway('gw', [{ name: 'tcp', port: 80 }])] });
    const objects = resolveGraph(s, f.options()).objects;
    expect(objects.map((o) => [o.kind, o.metadata.finalizers])).toEqual([
      ['GatewayClass', ['gateway-exists-finalizer.gateway.networking.k8s.io']],
    ]);
  });

  it('should remove the finalizer when no Gateway uses the class, and leave other finalizers (GC5)', () => {
    const s = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4', { finalizers: ['example.com/keep', 'gateway-exists-finalizer.gateway.networking.k8s.io'] })],
    });
    const objects = resolveGraph(s, f.options()).objects;
    expect(objects.map((o) => o.metadata.finalizers)).toEqual([['example.com/keep']]);
  });

  it('should emit nothing when the finalizer is already right (GC5, R1)', () => {
    const s = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4', { finalizers: ['gateway-exists-finalizer.gateway.networking.k8s.io'] })],
      gateways: [f.gateway('gw', [{ name: 'tcp', port: 80 }])],
    });
    expect(resolveGraph(s, f.options()).objects).toEqual([]);
  });
});
