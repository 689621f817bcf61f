import { describe, expect, it } from 'vitest';
import { resolveGraph } from './resolve.js';
import * as f from './test-support.js';

const GW_LABELS = {
  'gateway.networking.k8s.io/gateway-name': 'gw',
  'l4gw.io/gateway-namespace': 'default',
  'app.kubernetes.io/managed-by': 'l4gw',
};

function gw(extra: Parameters<typeof f.gateway>[2] = {}, name = 'gw') {
  return f.gateway(name, [{ name: 'tcp', port: 80 }], extra);
}

function assignmentOf(snapshot: ReturnType<typeof f.snapshot>, key = 'default/gw', opts = f.options()) {
  return resolveGraph(snapshot, opts).gateways.find((g) => g.key === key)?.assignment;
}

describe('Gateway addresses', () => {
  it('should assign the lowest free pool address (IP6)', () => {
    expect(assignmentOf(f.snapshot({ gateways: [gw()] }))).toEqual({ kind: 'assigned', addresses: ['10.0.0.10'] });
  });

  it('should keep the address held in status (IP4)', () => {
    const s = f.snapshot({ gateways: [gw({ status: { addresses: [{ type: 'IPAddress', value: '10.0.0.15' }] } })] });
    expect(assignmentOf(s)).toEqual({ kind: 'assigned', addresses: ['10.0.0.15'] });
  });

  it('should recover the address from the Services generated for the Gateway when the status was lost (IP4)', () => {
    const s = f.snapshot({
      gateways: [gw()],
      services: [f.service('gw-l4', [{ port: 80 }], { type: 'LoadBalancer', labels: GW_LABELS, annotations: { 'kube-vip.io/loadbalancerIPs': '10.0.0.17' } })],
    });
    expect(assignmentOf(s)).toEqual({ kind: 'assigned', addresses: ['10.0.0.17'] });
  });

  it('should recover the address of a 253-character Gateway through its hashed label value (IP4, GW8)', async () => {
    const { labelValueFor } = await import('../dataplane/names.js');
    const name = 'g'.repeat(253);
    const s = f.snapshot({
      gateways: [f.gateway(name, [{ name: 'tcp', port: 80 }])],
      services: [
        f.service('long', [{ port: 80 }], {
          type: 'LoadBalancer',
          labels: { ...GW_LABELS, 'gateway.networking.k8s.io/gateway-name': labelValueFor(name) },
          loadBalancerIP: '10.0.0.18',
        }),
      ],
    });
    expect(assignmentOf(s, `default/${name}`)).toEqual({ kind: 'assigned', addresses: ['10.0.0.18'] });
  });

  it('should list each address a Service carries once, wherever it is written (IP3)', async () => {
    const { serviceAddresses } = await import('./addresses.js');
    const { parseService } = await import('../parse/core-objects.js');
    const svc = parseService(
      f.service('gw-l4', [{ port: 80 }], { annotations: { 'kube-vip.io/loadbalancerIPs': '10.0.0.17, 10.0.0.18' }, loadBalancerIP: '10.0.0.17', ingress: ['10.0.0.17', '0.0.0.0'] }),
      [],
    );
    expect(svc === undefined ? [] : serviceAddresses(svc)).toEqual(['10.0.0.17', '10.0.0.18']);
  });

  it('should not hand out an address used by any other Service (IP3)', () => {
    const s = f.snapshot({
      gateways: [gw()],
      services: [
        f.service('a', [{ port: 80 }], { namespace: 'other', annotations: { 'kube-vip.io/loadbalancerIPs': '10.0.0.10' } }),
        f.service('b', [{ port: 80 }], { annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.11' } }),
        f.service('c', [{ port: 80 }], { loadBalancerIP: '10.0.0.12' }),
        f.service('d', [{ port: 80 }], { ingress: ['10.0.0.13'] }),
      ],
    });
    expect(assignmentOf(s)).toEqual({ kind: 'assigned', addresses: ['10.0.0.14'] });
  });

  it('should assign again when only the Services, a non-Accepted Gateway or the options change (the remembered result is not reused)', () => {
    // The same raw objects every time (so the same parsed ones), except the one input that changes.
    const base = f.snapshot({ gateways: [gw()] });
    const withService = (service: unknown) => ({ ...base, services: [service] });
    expect(assignmentOf(base)).toEqual({ kind: 'assigned', addresses: ['10.0.0.10'] });
    // A Gateway of ours that is not Accepted keeps its held address reserved (IP4).
    const holder = f.gateway('broken', [{ name: 'x', port: 80, protocol: 'SCTP' }], { status: { addresses: [{ type: 'IPAddress', value: '10.0.0.10' }] } });
    expect(assignmentOf({ ...base, gateways: [...base.gateways, holder] })).toEqual({ kind: 'assigned', addresses: ['10.0.0.11'] });
    expect(assignmentOf(base)).toEqual({ kind: 'assigned', addresses: ['10.0.0.10'] });
    expect(assignmentOf(withService(f.service('a', [{ port: 80 }], { loadBalancerIP: '10.0.0.10' })))).toEqual({ kind: 'assigned', addresses: ['10.0.0.11'] });
    expect(assignmentOf(withService(f.service('a', [{ port: 80 }], { loadBalancerIP: '10.0.0.12' })))).toEqual({ kind: 'assigned', addresses: ['10.0.0.10'] });
    expect(assignmentOf(base, 'default/gw', f.options({ ipamConfigMap: 'kube-system/none' }))?.kind).toBe('none');
    expect(assignmentOf(base)).toEqual({ kind: 'assigned', addresses: ['10.0.0.10'] });
  });

  it('should give two Gateways different addresses, the older keeping a clashing held address (IP4)', () => {
    const held = { addresses: [{ type: 'IPAddress', value: '10.0.0.12' }] };
    const s = f.snapshot({
      gateways: [
        gw({ status: held, creationTimestamp: '2025-06-01T00:00:00Z' }, 'young'),
        gw({ status: held, creationTimestamp: '2024-06-01T00:00:00Z' }, 'old'),
      ],
    });
    const graph = resolveGraph(s, f.options());
    const byName = new Map(graph.gateways.map((g) => [g.gateway.meta.name, g.assignment]));
    expect(byName.get('old')).toEqual({ kind: 'assigned', addresses: ['10.0.0.12'] });
    expect(byName.get('young')).toEqual({ kind: 'assigned', addresses: ['10.0.0.10'] });
  });

  it('should use a usable requested address (IP5)', () => {
    const s = f.snapshot({ gateways: [gw({ addresses: [{ type: 'IPAddress', value: '10.0.0.19' }] })] });
    expect(assignmentOf(s)).toEqual({ kind: 'assigned', addresses: ['10.0.0.19'] });
  });

  it('should assign one for a valueless IPAddress request (IP5)', () => {
    const s = f.snapshot({ gateways: [gw({ addresses: [{ type: 'IPAddress' }] })] });
    expect(assignmentOf(s)).toEqual({ kind: 'assigned', addresses: ['10.0.0.10'] });
  });

  it('should report AddressNotUsable, naming the address, for a request outside the pool (IP5, GW4)', () => {
    const s = f.snapshot({ gateways: [gw({ addresses: [{ type: 'IPAddress', value: '192.168.9.9' }] })] });
    const st = f.statuses(s).get('Gateway/default/gw');
    const programmed = f.cond(st, 'Programmed');
    expect(f.sr(programmed)).toBe('False/AddressNotUsable');
    expect(programmed?.message).toContain('192.168.9.9');
    expect(f.sr(f.cond(st, 'Accepted'))).toBe('True/Accepted');
  });

  it('should report AddressNotUsable for an invalid address and one in use, without naming the other namespace (IP5, GW4)', () => {
    const invalid = f.statuses(f.snapshot({ gateways: [gw({ addresses: [{ type: 'IPAddress', value: 'not-an-ip' }] })] })).get('Gateway/default/gw');
    expect(f.sr(f.cond(invalid, 'Programmed'))).toBe('False/AddressNotUsable');
    const inUse = f
      .statuses(
        f.snapshot({
          gateways: [gw({ addresses: [{ type: 'IPAddress', value: '10.0.0.11' }] })],
          services: [f.service('secret-svc', [{ port: 80 }], { namespace: 'team-b', loadBalancerIP: '10.0.0.11' })],
        }),
      )
      .get('Gateway/default/gw');
    const c = f.cond(inUse, 'Programmed');
    expect(f.sr(c)).toBe('False/AddressNotUsable');
    expect(c?.message).toContain('10.0.0.11');
    expect(c?.message).not.toContain('team-b');
    expect(c?.message).not.toContain('secret-svc');
  });

  it('should accept an address outside every pool with -allow-unpooled-addresses (IP5)', () => {
    const s = f.snapshot({ gateways: [gw({ addresses: [{ type: 'IPAddress', value: '192.168.9.9' }] })] });
    expect(assignmentOf(s, 'default/gw', f.options({ allowUnpooledAddresses: true }))).toEqual({ kind: 'assigned', addresses: ['192.168.9.9'] });
  });

  it('should report AddressNotAssigned when the pool is exhausted, with a Warning event (GW4)', () => {
    const s = f.snapshot({
      configMaps: [f.kubevip({ 'range-global': '10.0.0.10-10.0.0.10' })],
      gateways: [gw({ creationTimestamp: '2024-01-01T00:00:00Z' }, 'first'), gw({}, 'gw')],
    });
    const graph = resolveGraph(s, f.options());
    expect(graph.gateways.find((g) => g.key === 'default/gw')?.assignment.kind).toBe('none');
    expect(graph.gateways.find((g) => g.key === 'default/gw')?.realisable).toBe(false);
    expect(f.sr(f.cond(f.statuses(s).get('Gateway/default/gw'), 'Programmed'))).toBe('False/AddressNotAssigned');
    expect(graph.events.some((e) => e.regarding.name === 'gw' && e.type === 'Warning' && e.reason === 'AddressNotAssigned')).toBe(true);
  });

  it('should mark a DHCP pool Gateway realisable and pending until the lease is read back (DP7)', () => {
    const dhcp = f.kubevip({ 'cidr-global': '0.0.0.0/32' });
    const pending = f.snapshot({ configMaps: [dhcp], gateways: [gw()] });
    const g = resolveGraph(pending, f.options()).gateways[0];
    expect(g?.assignment).toEqual({ kind: 'dhcp', addresses: [] });
    expect(g?.realisable).toBe(true);
    expect(f.sr(f.cond(f.statuses(pending).get('Gateway/default/gw'), 'Programmed'))).toBe('False/AddressNotAssigned');

    const leased = f.snapshot({
      configMaps: [dhcp],
      gateways: [gw()],
      services: [f.service('gw-l4', [{ port: 80 }], { type: 'LoadBalancer', labels: GW_LABELS, loadBalancerIP: '0.0.0.0', ingress: ['192.168.1.50'] })],
    });
    expect(resolveGraph(leased, f.options()).gateways[0]?.assignment).toEqual({ kind: 'dhcp', addresses: ['192.168.1.50'] });
    const st = f.statuses(leased).get('Gateway/default/gw');
    expect(f.sr(f.cond(st, 'Programmed'))).toBe('True/Programmed');
    expect(st?.['addresses']).toEqual([{ type: 'IPAddress', value: '192.168.1.50' }]);
  });

  it('should prefer class parameter pools over the global ConfigMap (IP1)', () => {
    const s = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4', { parametersRef: { group: '', kind: 'ConfigMap', name: 'internal', namespace: 'infra' } })],
      configMaps: [f.kubevip(), f.configMap('infra', 'internal', { 'range-global': '172.16.0.5-172.16.0.6' })],
      gateways: [gw()],
    });
    expect(assignmentOf(s)).toEqual({ kind: 'assigned', addresses: ['172.16.0.5'] });
  });

  it('should read a bare -ipam-configmap name in the Gateway\'s namespace (IP1)', () => {
    const s = f.snapshot({
      configMaps: [f.configMap('team', 'vips', { 'range-global': '10.9.0.1-10.9.0.2' })],
      gateways: [gw({ namespace: 'team' })],
    });
    expect(assignmentOf(s, 'team/gw', f.options({ ipamConfigMap: 'vips' }))).toEqual({ kind: 'assigned', addresses: ['10.9.0.1'] });
  });

  it('should report pool usage (IP7) and who holds which address', () => {
    const graph = resolveGraph(f.snapshot({ gateways: [gw()] }), f.options());
    expect(graph.poolUsage).toEqual([{ pool: 'kube-system/kubevip#range-global', family: 'IPv4', capacity: '11', used: '1', free: '10' }]);
    expect(graph.addresses).toEqual([{ gateway: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'default', name: 'gw' }, address: '10.0.0.10' }]);
  });

  it('should reserve what a Gateway that is not Accepted holds, so no other Gateway takes it (IP4)', () => {
    const s = f.snapshot({
      gateways: [
        gw({ addresses: [{ type: 'Hostname', value: 'x.example' }], status: { addresses: [{ type: 'IPAddress', value: '10.0.0.10' }] } }, 'broken'),
        gw({}, 'gw'),
      ],
    });
    expect(assignmentOf(s)).toEqual({ kind: 'assigned', addresses: ['10.0.0.11'] });
  });

  it('should report a malformed pool key as a diagnostic and a Warning event on the ConfigMap, and keep held addresses (IP2, IP4)', () => {
    const s = f.snapshot({
      configMaps: [f.kubevip({ 'range-global': '10.0.0.10-nonsense' })],
      gateways: [gw({ status: { addresses: [{ type: 'IPAddress', value: '10.0.0.12' }] } })],
    });
    const graph = resolveGraph(s, f.options());
    expect(graph.diagnostics.some((d) => d.message.includes('range-global') && d.message.includes('nonsense'))).toBe(true);
    expect(graph.events.some((e) => e.regarding.kind === 'ConfigMap' && e.regarding.name === 'kubevip' && e.type === 'Warning')).toBe(true);
    expect(graph.gateways[0]?.assignment).toMatchObject({ kind: 'assigned', addresses: ['10.0.0.12'] });
  });

  it('should not write spec.addresses by default (GW5)', () => {
    const objects = resolveGraph(f.snapshot({ gatewayClasses: [f.gatewayClass('l4', { finalizers: ['gateway-exists-finalizer.gateway.networking.k8s.io'] })], gateways: [gw()] }), f.options()).objects;
    expect(objects).toEqual([]);
  });

  it('should pin assigned addresses into spec.addresses with -pin-addresses, filling valueless entries (GW5)', () => {
    const s = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4', { finalizers: ['gateway-exists-finalizer.gateway.networking.k8s.io'] })],
      gateways: [gw({ addresses: [{ type: 'IPAddress' }] })],
    });
    const objects = resolveGraph(s, f.options({ pinAddresses: true })).objects;
    expect(objects.map((o) => (o['spec'] as { addresses: unknown }).addresses)).toEqual([[{ type: 'IPAddress', value: '10.0.0.10' }]]);
    const pinned = f.snapshot({
      gatewayClasses: [f.gatewayClass('l4', { finalizers: ['gateway-exists-finalizer.gateway.networking.k8s.io'] })],
      gateways: [gw({ addresses: [{ type: 'IPAddress', value: '10.0.0.10' }] })],
    });
    expect(resolveGraph(pinned, f.options({ pinAddresses: true })).objects).toEqual([]);
  });
});
