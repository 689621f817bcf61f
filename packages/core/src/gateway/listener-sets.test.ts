import { describe, expect, it } from 'vitest';
import { reconcile } from '../reconcile.js';
import { backend, cond, endpointSlice, gateway, listenerSet, listenerStatus, namespace, options, parents, service, snapshot, sr, statuses, tcpRoute } from './test-support.js';

const SAME = { namespaces: { from: 'Same' } };

describe('ListenerSets (LS1–LS4)', () => {
  it('should admit a ListenerSet only as the Gateway allows, None by default (LS1)', () => {
    const s = statuses(
      snapshot({
        gateways: [gateway('open', [{ name: 'own', port: 80 }], { allowedListeners: SAME }), gateway('closed', [{ name: 'own', port: 80 }])],
        listenerSets: [listenerSet('a', { name: 'open' }, [{ name: 'db', port: 5432 }]), listenerSet('b', { name: 'closed' }, [{ name: 'db', port: 5432 }]), listenerSet('c', { name: 'open', namespace: 'default' }, [{ name: 'db', port: 5433 }], { namespace: 'team' }), listenerSet('d', { name: 'open' }, [{ name: 'db', port: 5434 }], { namespace: 'team' })],
        namespaces: [namespace('default'), namespace('team')],
      }),
    );
    expect(sr(cond(s.get('ListenerSet/default/a'), 'Accepted'))).toBe('True/Accepted');
    expect(sr(cond(s.get('ListenerSet/default/a'), 'Programmed'))).toBe('True/Programmed');
    expect(sr(cond(s.get('ListenerSet/default/b'), 'Accepted'))).toBe('False/NotAllowed');
    // The conformance suite's expectation: Programmed carries the same reason.
    expect(sr(cond(s.get('ListenerSet/default/b'), 'Programmed'))).toBe('False/NotAllowed');
    expect(sr(cond(s.get('ListenerSet/team/c'), 'Accepted'))).toBe('False/NotAllowed');
    // Its parentRef's namespace defaults to its own: team/open is no Gateway of ours, so no status.
    expect(s.has('ListenerSet/team/d')).toBe(false);
    expect(s.get('Gateway/default/open')?.['attachedListenerSets']).toBe(1);
    // A Gateway that never had a ListenerSet attached does not get the field.
    expect(s.get('Gateway/default/closed')).not.toHaveProperty('attachedListenerSets');
  });

  it('should admit namespaces by label with Selector, and every namespace with All (LS1)', () => {
    const ls = [listenerSet('x', { name: 'gw', namespace: 'default' }, [{ name: 'db', port: 5432 }], { namespace: 'blue' }), listenerSet('y', { name: 'gw', namespace: 'default' }, [{ name: 'db', port: 5433 }], { namespace: 'red' })];
    const namespaces = [namespace('default'), namespace('blue', { team: 'blue' }), namespace('red')];
    const selector = statuses(snapshot({ gateways: [gateway('gw', [{ name: 'own', port: 80 }], { allowedListeners: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'blue' } } } } })], listenerSets: ls, namespaces }));
    expect(sr(cond(selector.get('ListenerSet/blue/x'), 'Accepted'))).toBe('True/Accepted');
    expect(sr(cond(selector.get('ListenerSet/red/y'), 'Accepted'))).toBe('False/NotAllowed');
    const all = statuses(snapshot({ gateways: [gateway('gw', [{ name: 'own', port: 80 }], { allowedListeners: { namespaces: { from: 'All' } } })], listenerSets: ls, namespaces }));
    expect(all.get('Gateway/default/gw')?.['attachedListenerSets']).toBe(2);
  });

  it('should make a later listener on a taken protocol and port Conflicted, never the Gateway’s own (LS2)', () => {
    const s = statuses(
      snapshot({
        gateways: [gateway('gw', [{ name: 'own', port: 80 }], { allowedListeners: SAME })],
        listenerSets: [
          listenerSet('older', { name: 'gw' }, [{ name: 'db', port: 5432 }, { name: 'web', port: 80 }], { creationTimestamp: '2025-01-01T00:00:00Z' }),
          listenerSet('newer', { name: 'gw' }, [{ name: 'db', port: 5432 }], { creationTimestamp: '2025-06-01T00:00:00Z' }),
          // UDP on a TCP port is distinct (GW2).
          listenerSet('udp', { name: 'gw' }, [{ name: 'dns', port: 5432, protocol: 'UDP' }], { creationTimestamp: '2025-07-01T00:00:00Z' }),
        ],
      }),
    );
    expect(sr(cond(listenerStatus(s.get('Gateway/default/gw'), 'own'), 'Accepted'))).toBe('True/Accepted');
    expect(cond(listenerStatus(s.get('Gateway/default/gw'), 'own'), 'Conflicted')).toBeUndefined();
    const older = s.get('ListenerSet/default/older');
    expect(sr(cond(listenerStatus(older, 'db'), 'Accepted'))).toBe('True/Accepted');
    const web = listenerStatus(older, 'web');
    expect([cond(web, 'Accepted'), cond(web, 'Programmed'), cond(web, 'Conflicted')].map(sr)).toEqual(['False/ProtocolConflict', 'False/ProtocolConflict', 'True/ProtocolConflict']);
    // Some listeners valid: Accepted, saying which are not.
    expect(sr(cond(older, 'Accepted'))).toBe('True/ListenersNotValid');
    // Its only listener conflicts: not Accepted.
    expect(sr(cond(s.get('ListenerSet/default/newer'), 'Accepted'))).toBe('False/ListenersNotValid');
    expect(sr(cond(s.get('ListenerSet/default/udp'), 'Accepted'))).toBe('True/Accepted');
    expect(s.get('Gateway/default/gw')?.['attachedListenerSets']).toBe(2);
  });

  it('should say ParentNotAccepted when the Gateway is not Accepted (LS1)', () => {
    const s = statuses(snapshot({ gateways: [gateway('gw', [{ name: 'own', port: 80, protocol: 'HTTP' }], { allowedListeners: SAME })], listenerSets: [listenerSet('a', { name: 'gw' }, [{ name: 'db', port: 5432 }])] }));
    expect(sr(cond(s.get('ListenerSet/default/a'), 'Accepted'))).toBe('False/ParentNotAccepted');
    expect(sr(cond(listenerStatus(s.get('ListenerSet/default/a'), 'db'), 'Accepted'))).toBe('False/ParentNotAccepted');
  });

  it('should attach routes by kind ListenerSet, evaluate Same from its namespace, and put its ports on the Gateway’s Service (LS4)', () => {
    const snap = snapshot({
      gateways: [gateway('gw', [{ name: 'own', port: 80 }], { namespace: 'infra', allowedListeners: { namespaces: { from: 'All' } } })],
      listenerSets: [listenerSet('db', { name: 'gw', namespace: 'infra' }, [{ name: 'pg', port: 5432 }], { namespace: 'team' })],
      tcpRoutes: [
        tcpRoute('to-ls', [{ kind: 'ListenerSet', name: 'db' }], [backend('pg', 5432)], { namespace: 'team' }),
        // Naming the Gateway attaches to its own listeners only, even with a ListenerSet's sectionName.
        tcpRoute('to-gw', [{ name: 'gw', namespace: 'infra', sectionName: 'pg' }], [backend('pg', 5432)], { namespace: 'team' }),
      ],
      services: [service('pg', [{ name: 'pg', port: 5432 }], { namespace: 'team' })],
      endpointSlices: [endpointSlice('pg-1', 'pg', ['10.1.0.5'], { namespace: 'team', port: 5432, portName: 'pg' })],
      namespaces: [namespace('infra'), namespace('team')],
    });
    const s = statuses(snap);
    expect(sr(cond(parents(s.get('TCPRoute/team/to-ls'))[0], 'Accepted'))).toBe('True/Accepted');
    expect(sr(cond(parents(s.get('TCPRoute/team/to-gw'))[0], 'Accepted'))).toBe('False/NoMatchingParent');
    expect(listenerStatus(s.get('ListenerSet/team/db'), 'pg')?.['attachedRoutes']).toBe(1);
    const desired = reconcile(snap, options());
    const svc = desired.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'gw-l4') as { spec: { ports: { name: string; port: number }[] } } | undefined;
    expect(svc?.spec.ports.map((p) => p.port).sort((a, b) => a - b)).toEqual([80, 5432]);
    const lsPort = svc?.spec.ports.find((p) => p.port === 5432);
    expect(lsPort?.name).toMatch(/^ls-team-db-pg-[0-9a-f]{8}$/);
    // The route's backend is mirrored behind the Gateway's Service, on the ListenerSet's port.
    const slices = desired.objects.filter((o) => o.kind === 'EndpointSlice') as unknown as { endpoints: { addresses: string[] }[]; metadata: { labels: Record<string, string> } }[];
    expect(slices.map((sl) => [sl.metadata.labels['kubernetes.io/service-name'], sl.endpoints.flatMap((e) => e.addresses)])).toEqual([['gw-l4', ['10.1.0.5']]]);
  });
});
