import { describe, expect, it } from 'vitest';
import { resolveGraph } from './resolve.js';
import * as f from './test-support.js';

function gatewayStatus(gateways: unknown[], extra: Parameters<typeof f.snapshot>[0] = {}) {
  return f.statuses(f.snapshot({ gateways, ...extra })).get('Gateway/default/gw');
}

describe('Gateway and listener status', () => {
  it('should write nothing for a Gateway of another controller\'s class (GW1)', () => {
    const st = f.statuses(
      f.snapshot({
        gatewayClasses: [f.gatewayClass('l4'), f.gatewayClass('other', { controllerName: 'example.com/x' })],
        gateways: [f.gateway('gw', [{ name: 'tcp', port: 80 }], { className: 'other' })],
      }),
    );
    expect(st.has('Gateway/default/gw')).toBe(false);
  });

  it('should accept TCP and UDP listeners, also on the same port (GW2)', () => {
    const st = gatewayStatus([f.gateway('gw', [{ name: 'tcp', port: 53 }, { name: 'udp', port: 53, protocol: 'UDP' }])]);
    expect(f.sr(f.cond(st, 'Accepted'))).toBe('True/Accepted');
    expect(f.listenerStatus(st, 'tcp')?.['supportedKinds']).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute' }]);
    expect(f.listenerStatus(st, 'udp')?.['supportedKinds']).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'UDPRoute' }]);
    expect(f.sr(f.cond(f.listenerStatus(st, 'udp'), 'Accepted'))).toBe('True/Accepted');
    expect(f.cond(f.listenerStatus(st, 'udp'), 'Conflicted')).toBeUndefined();
  });

  it('should reject an unsupported protocol with UnsupportedProtocol and empty supportedKinds (GW2, GW6)', () => {
    const st = gatewayStatus([f.gateway('gw', [{ name: 'tcp', port: 80 }, { name: 'http', port: 8080, protocol: 'HTTP' }])]);
    const http = f.listenerStatus(st, 'http');
    expect(f.sr(f.cond(http, 'Accepted'))).toBe('False/UnsupportedProtocol');
    expect(http?.['supportedKinds']).toEqual([]);
    expect(http?.['attachedRoutes']).toBe(0);
  });

  it('should mark a Gateway with some invalid listeners True/ListenersNotValid (GW3)', () => {
    const st = gatewayStatus([f.gateway('gw', [{ name: 'tcp', port: 80 }, { name: 'x', port: 81, protocol: 'INVALID' }])]);
    expect(f.sr(f.cond(st, 'Accepted'))).toBe('True/ListenersNotValid');
  });

  it('should mark a Gateway with no valid listener False/ListenersNotValid and Programmed False/Invalid (GW3, GW4)', () => {
    const st = gatewayStatus([f.gateway('gw', [{ name: 'x', port: 81, protocol: 'INVALID' }])]);
    expect(f.sr(f.cond(st, 'Accepted'))).toBe('False/ListenersNotValid');
    expect(f.sr(f.cond(st, 'Programmed'))).toBe('False/Invalid');
  });

  it('should report kinds that do not fit the protocol as InvalidRouteKinds and list the valid subset (GW2)', () => {
    const st = gatewayStatus([
      f.gateway('gw', [
        { name: 'mixed', port: 80, allowedRoutes: { kinds: [{ kind: 'UDPRoute' }, { kind: 'TCPRoute' }] } },
        { name: 'none', port: 81, allowedRoutes: { kinds: [{ kind: 'HTTPRoute' }] } },
      ]),
    ]);
    const mixed = f.listenerStatus(st, 'mixed');
    expect(f.sr(f.cond(mixed, 'ResolvedRefs'))).toBe('False/InvalidRouteKinds');
    expect(mixed?.['supportedKinds']).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute' }]);
    const none = f.listenerStatus(st, 'none');
    expect(f.sr(f.cond(none, 'ResolvedRefs'))).toBe('False/InvalidRouteKinds');
    expect(none?.['supportedKinds']).toEqual([]);
  });

  it('should report InvalidRouteKinds on a listener of an unsupported protocol too, with no supportedKinds (GW2)', () => {
    const st = gatewayStatus([
      f.gateway('gw', [{ name: 'tcp', port: 80 }, { name: 'http', port: 8080, protocol: 'HTTP', allowedRoutes: { kinds: [{ kind: 'InvalidRoute' }] } }]),
    ]);
    const http = f.listenerStatus(st, 'http');
    expect(f.sr(f.cond(http, 'ResolvedRefs'))).toBe('False/InvalidRouteKinds');
    expect(f.sr(f.cond(http, 'Accepted'))).toBe('False/UnsupportedProtocol');
    expect(http?.['supportedKinds']).toEqual([]);
  });

  it('should mark two TCP listeners on one port Conflicted and not Accepted (GW6, spec §2.2)', () => {
    const st = gatewayStatus([f.gateway('gw', [{ name: 'a', port: 80 }, { name: 'b', port: 80 }, { name: 'c', port: 81 }])]);
    for (const name of ['a', 'b']) {
      expect(f.sr(f.cond(f.listenerStatus(st, name), 'Conflicted'))).toBe('True/ProtocolConflict');
      expect(f.cond(f.listenerStatus(st, name), 'Accepted')?.status).toBe('False');
    }
    expect(f.cond(f.listenerStatus(st, 'c'), 'Conflicted')).toBeUndefined();
    expect(f.sr(f.cond(st, 'Accepted'))).toBe('True/ListenersNotValid');
  });

  it('should reject any infrastructure.parametersRef with InvalidParameters (GW3)', () => {
    const st = gatewayStatus([
      f.gateway('gw', [{ name: 'tcp', port: 80 }], { infrastructure: { parametersRef: { group: 'invalid.io', kind: 'InvalidParameters', name: 'x' } } }),
    ]);
    expect(f.sr(f.cond(st, 'Accepted'))).toBe('False/InvalidParameters');
    expect(f.sr(f.cond(st, 'Programmed'))).toBe('False/Invalid');
  });

  it('should reject an address type other than IPAddress with UnsupportedAddress (GW3)', () => {
    const st = gatewayStatus([
      f.gateway('gw', [{ name: 'tcp', port: 80 }], { addresses: [{ type: 'test/fake-invalid-type', value: 'x' }, { type: 'IPAddress', value: '10.0.0.12' }] }),
    ]);
    expect(f.sr(f.cond(st, 'Accepted'))).toBe('False/UnsupportedAddress');
    expect(st?.['addresses']).toEqual([]);
  });

  it('should be Programmed with an explicit IPAddress type on every status address (GW4, GW5)', () => {
    const st = gatewayStatus([f.gateway('gw', [{ name: 'tcp', port: 80 }])]);
    expect(f.sr(f.cond(st, 'Programmed'))).toBe('True/Programmed');
    expect(st?.['addresses']).toEqual([{ type: 'IPAddress', value: '10.0.0.10' }]);
    expect(f.sr(f.cond(f.listenerStatus(st, 'tcp'), 'Programmed'))).toBe('True/Programmed');
  });

  it('should say AddressNotAssigned when there is no pool (GW4)', () => {
    const st = gatewayStatus([f.gateway('gw', [{ name: 'tcp', port: 80 }])], { configMaps: [] });
    expect(f.sr(f.cond(st, 'Accepted'))).toBe('True/Accepted');
    expect(f.sr(f.cond(st, 'Programmed'))).toBe('False/AddressNotAssigned');
    expect(f.sr(f.cond(f.listenerStatus(st, 'tcp'), 'Programmed'))).toBe('False/Pending');
  });

  it('should have one listener entry per spec listener, in spec order (GW6)', () => {
    const st = gatewayStatus([f.gateway('gw', [{ name: 'z', port: 80 }, { name: 'a', port: 81, protocol: 'UDP' }, { name: 'm', port: 0 }])]);
    const names = (st?.['listeners'] as { name: string }[]).map((l) => l.name);
    expect(names).toEqual(['z', 'a', 'm']);
    expect(f.sr(f.cond(f.listenerStatus(st, 'm'), 'Accepted'))).toBe('False/PortUnavailable');
  });

  it('should carry observedGeneration = metadata.generation on Gateway and listener conditions (GW7)', () => {
    const st = gatewayStatus([f.gateway('gw', [{ name: 'tcp', port: 80 }], { generation: 4 })]);
    expect(f.cond(st, 'Accepted')?.observedGeneration).toBe(4);
    expect(f.cond(f.listenerStatus(st, 'tcp'), 'Programmed')?.observedGeneration).toBe(4);
  });

  it('should preserve a foreign condition type and keep lastTransitionTime of unchanged conditions (GW7)', () => {
    const first = gatewayStatus([f.gateway('gw', [{ name: 'tcp', port: 80 }])]);
    const conditions = [...((first?.['conditions'] as object[]) ?? []), { type: 'example.com/Extra', status: 'True', reason: 'X', message: '', lastTransitionTime: '2000-01-01T00:00:00Z' }]
      .map((c) => ({ ...c, lastTransitionTime: '2000-01-01T00:00:00Z' }));
    const s = f.snapshot({ gateways: [f.gateway('gw', [{ name: 'tcp', port: 80 }], { status: { ...first, conditions } })] });
    const second = f.statuses(s, f.options({ now: '2030-01-01T00:00:00Z' })).get('Gateway/default/gw');
    expect(f.cond(second, 'example.com/Extra')).toBeDefined();
    expect(f.cond(second, 'Accepted')?.lastTransitionTime).toBe('2000-01-01T00:00:00Z');
  });

  it('should realise only Accepted listeners that admit a route kind', () => {
    const graph = resolveGraph(
      f.snapshot({ gateways: [f.gateway('gw', [{ name: 'tcp', port: 80 }, { name: 'h', port: 81, protocol: 'HTTP' }, { name: 'k', port: 82, allowedRoutes: { kinds: [{ kind: 'HTTPRoute' }] } }])] }),
      f.options(),
    );
    expect(graph.gateways[0]?.listeners.map((l) => l.name)).toEqual(['tcp']);
    expect(graph.gateways[0]?.realisable).toBe(true);
  });

  it('should take loadBalancerClass from class parameters before the option (DP6)', () => {
    const s = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4', { parametersRef: { group: '', kind: 'ConfigMap', name: 'p', namespace: 'infra' } })],
      configMaps: [f.kubevip(), f.configMap('infra', 'p', { loadBalancerClass: 'from-class' })],
      gateways: [f.gateway('gw', [{ name: 'tcp', port: 80 }])],
    });
    expect(resolveGraph(s, f.options({ loadBalancerClass: 'from-flag' })).gateways[0]?.loadBalancerClass).toBe('from-class');
    const plain = f.snapshot({ gateways: [f.gateway('gw', [{ name: 'tcp', port: 80 }])] });
    expect(resolveGraph(plain, f.options({ loadBalancerClass: 'from-flag' })).gateways[0]?.loadBalancerClass).toBe('from-flag');
  });

  it('should drop from a not-Accepted Gateway\'s status an address an Accepted Gateway now holds, though it did not change itself (IP4, GW5)', () => {
    // `broken` is the same converged object both times, so what core remembers of it (its
    // resolution, its status) is reused: only the other Gateway changes, and with it which held
    // addresses are assigned elsewhere.
    const held = { addresses: [{ type: 'IPAddress', value: '10.0.0.12' }] };
    const listeners = [{ name: 'x', port: 80, protocol: 'SCTP' }];
    const young = { creationTimestamp: '2025-06-01T00:00:00Z' };
    const gw = (status?: Record<string, unknown>) => f.gateway('gw', [{ name: 'tcp', port: 80 }], { creationTimestamp: '2024-06-01T00:00:00Z', ...(status ? { status } : {}) });
    const converged = f.statuses(f.snapshot({ gateways: [f.gateway('broken', listeners, { status: held, ...young }), gw()] })).get('Gateway/default/broken');
    const broken = f.gateway('broken', listeners, { status: converged!, ...young });
    const addressesOf = (st: Record<string, unknown> | undefined): unknown => (st?.['addresses'] as { value: string }[] | undefined)?.map((a) => a.value);
    expect(addressesOf(f.statuses(f.snapshot({ gateways: [broken, gw()] })).get('Gateway/default/broken'))).toEqual(['10.0.0.12']);
    const after = f.statuses(f.snapshot({ gateways: [broken, gw(held)] }));
    expect(addressesOf(after.get('Gateway/default/gw'))).toEqual(['10.0.0.12']);
    expect(addressesOf(after.get('Gateway/default/broken'))).toEqual([]);
  });
});
