import { describe, expect, it } from 'vitest';
import { stabilizeDiscovery, type Discovery, type GatewayKind } from './discovery.js';

const type = (resource: string, kind: string, version = 'v1') => ({
  group: 'gateway.networking.k8s.io',
  version,
  resource,
  kind,
  namespaced: true,
});

const full: Discovery = {
  types: { gateways: type('gateways', 'Gateway'), tcpRoutes: type('tcproutes', 'TCPRoute') },
  bundleVersions: { 'gateways.gateway.networking.k8s.io': 'v1.6.3' },
};

describe('stabilizeDiscovery', () => {
  it('should keep a kind that disappears once, and drop it when it stays missing', () => {
    const misses = new Map<GatewayKind, number>();
    const blip: Discovery = { types: { gateways: full.types.gateways }, bundleVersions: undefined };
    const first = stabilizeDiscovery(full, blip, misses);
    expect(first.types.tcpRoutes?.resource).toBe('tcproutes');
    expect(first.bundleVersions).toEqual(full.bundleVersions);
    const second = stabilizeDiscovery(first, blip, misses);
    expect(second.types.tcpRoutes).toBeUndefined();
  });

  it('should reset the miss count when the kind comes back', () => {
    const misses = new Map<GatewayKind, number>();
    const blip: Discovery = { types: { gateways: full.types.gateways }, bundleVersions: undefined };
    const a = stabilizeDiscovery(full, blip, misses);
    const b = stabilizeDiscovery(a, full, misses);
    const c = stabilizeDiscovery(b, blip, misses);
    expect(c.types.tcpRoutes).toBeDefined();
  });

  it('should take a new version at once', () => {
    const next: Discovery = { ...full, types: { ...full.types, tcpRoutes: type('tcproutes', 'TCPRoute', 'v1alpha2') } };
    expect(stabilizeDiscovery(full, next, new Map()).types.tcpRoutes?.version).toBe('v1alpha2');
  });
});
