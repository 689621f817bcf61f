import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../gateway/resolve.js';
import * as f from '../gateway/test-support.js';
import { buildStatuses } from './build.js';

const GW = f.gateway('gw', [{ name: 'a', port: 80 }, { name: 'b', port: 81 }]);
const WEB = f.service('web', [{ port: 80 }]);
const OTHERS = {
  parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'theirs' },
  controllerName: 'example.com/other',
  conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'theirs', lastTransitionTime: '2000-01-01T00:00:00Z' }],
};
const OUR_STALE = {
  parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gone' },
  controllerName: f.CONTROLLER,
  conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', lastTransitionTime: '2000-01-01T00:00:00Z' }],
};

describe('buildStatuses', () => {
  it('should remove our stale parent entries and leave other controllers\' entries untouched in place (RT3)', () => {
    const r = f.tcpRoute('r', [f.parent('gw', { sectionName: 'a' })], [f.backend('web', 80)], { status: { parents: [OTHERS, OUR_STALE] } });
    const entries = f.parents(f.statuses(f.snapshot({ gateways: [GW], services: [WEB], tcpRoutes: [r] })).get('TCPRoute/default/r'));
    expect(entries[0]).toEqual(OTHERS);
    expect(entries.map((e) => (e['parentRef'] as { name: string }).name)).toEqual(['theirs', 'gw']);
  });

  it('should clean our entries from a route that no longer names any Gateway of ours (RT3)', () => {
    const r = f.tcpRoute('r', [f.parent('theirs')], [], { status: { parents: [OUR_STALE, OTHERS] } });
    const st = f.statuses(f.snapshot({ gateways: [GW], tcpRoutes: [r] }));
    expect(f.parents(st.get('TCPRoute/default/r'))).toEqual([OTHERS]);
  });

  it('should write no status for a route with neither a parent of ours nor an entry of ours (RT3)', () => {
    const r = f.tcpRoute('r', [f.parent('theirs')], [], { status: { parents: [OTHERS] } });
    expect(f.statuses(f.snapshot({ gateways: [GW], tcpRoutes: [r] })).has('TCPRoute/default/r')).toBe(false);
  });

  it('should update our existing entry in place, keeping lastTransitionTime of unchanged conditions (RT3, GW7)', () => {
    const first = f.parents(f.statuses(f.snapshot({ gateways: [GW], services: [WEB], tcpRoutes: [f.tcpRoute('r', [f.parent('gw')], [f.backend('web', 80)])] })).get('TCPRoute/default/r'));
    const aged = first.map((e) => ({ ...e, conditions: (e['conditions'] as object[]).map((c) => ({ ...c, lastTransitionTime: '2001-01-01T00:00:00Z' })) }));
    const r = f.tcpRoute('r', [f.parent('gw')], [f.backend('web', 80)], { status: { parents: [OTHERS, ...aged] } });
    const next = f.parents(f.statuses(f.snapshot({ gateways: [GW], services: [WEB], tcpRoutes: [r] }), f.options({ now: '2030-01-01T00:00:00Z' })).get('TCPRoute/default/r'));
    expect(next).toEqual([OTHERS, ...aged]);
  });

  it('should keep one entry per parent, in order, past 32 parentRefs (the CRD limit), and update ours in place (RT3)', () => {
    // 40 Gateways, each named twice: past 32 distinct parents the entries are matched by a Map.
    const gateways = Array.from({ length: 40 }, (_, i) => f.gateway(`gw-${i}`, [{ name: 'a', port: 80 }]));
    const refs = gateways.flatMap((_, i) => [f.parent(`gw-${i}`), f.parent(`gw-${i}`)]);
    const s = f.snapshot({ gateways, services: [WEB], tcpRoutes: [f.tcpRoute('r', refs, [f.backend('web', 80)])] });
    const first = f.parents(f.statuses(s).get('TCPRoute/default/r'));
    expect(first.map((e) => (e['parentRef'] as { name: string }).name)).toEqual(gateways.map((_, i) => `gw-${i}`));
    // Our existing entries come back reversed, with a stale one and another controller's among them.
    const existing = [...first].reverse();
    const r = f.tcpRoute('r', refs, [f.backend('web', 80)], { status: { parents: [OUR_STALE, ...existing.slice(0, 20), OTHERS, ...existing.slice(20)] } });
    const next = f.parents(f.statuses(f.snapshot({ gateways, services: [WEB], tcpRoutes: [r] })).get('TCPRoute/default/r'));
    expect(next).toEqual([...existing.slice(0, 20), OTHERS, ...existing.slice(20)]);
  });

  it('should hand back unchanged Gateway statuses and route parent entries themselves, and rebuild changed ones (R1)', () => {
    const route = (status?: f.Json) => f.tcpRoute('r', [f.parent('gw', { sectionName: 'a' })], [f.backend('web', 80)], status === undefined ? {} : { status });
    const first = f.statuses(f.snapshot({ gateways: [GW], services: [WEB], tcpRoutes: [route()] }));
    // The cluster after that status was written (as the API server returns it: a copy).
    const gwStatus = structuredClone(first.get('Gateway/default/gw'));
    const routeStatus = structuredClone(first.get('TCPRoute/default/r')) as { parents: Record<string, unknown>[] };
    const converged = { gateways: [f.gateway('gw', [{ name: 'a', port: 80 }, { name: 'b', port: 81 }], { status: gwStatus })], services: [WEB] };
    const again = f.statuses(f.snapshot({ ...converged, tcpRoutes: [route(routeStatus)] }));
    expect(again.get('Gateway/default/gw')).toBe(gwStatus);
    expect(f.parents(again.get('TCPRoute/default/r'))[0]).toBe(routeStatus.parents[0]);
    // A listener entry with a field l4gw does not write is rebuilt (without it), as is a parent entry.
    const listeners = (gwStatus as { listeners: Record<string, unknown>[] }).listeners;
    const extra = { ...(gwStatus as object), listeners: [{ ...listeners[0], extra: 1 }, listeners[1]] };
    const withExtra = f.statuses(f.snapshot({ ...converged, gateways: [f.gateway('gw', [{ name: 'a', port: 80 }, { name: 'b', port: 81 }], { status: extra })] }));
    const rebuilt = withExtra.get('Gateway/default/gw') as { listeners: Record<string, unknown>[] };
    expect(rebuilt).not.toBe(extra);
    expect(rebuilt.listeners[0]).not.toHaveProperty('extra');
    expect(rebuilt.listeners[1]).toBe(listeners[1]);
    const parent = { ...routeStatus.parents[0], note: 'x' };
    const entries = f.parents(f.statuses(f.snapshot({ ...converged, tcpRoutes: [route({ parents: [parent] })] })).get('TCPRoute/default/r'));
    expect(entries).toEqual(first.get('TCPRoute/default/r')?.['parents']);
    expect(entries[0]).not.toBe(parent);
  });

  it('should turn ResolvedRefs False from dataplane feedback for that Gateway only (DP2)', () => {
    const s = f.snapshot({
      gateways: [GW, f.gateway('gw2', [{ name: 'a', port: 80 }])],
      services: [WEB],
      tcpRoutes: [f.tcpRoute('r', [f.parent('gw', { sectionName: 'a' }), f.parent('gw2')], [f.backend('web', 80)])],
    });
    const st = f.statuses(s, f.options(), [
      { route: 'TCPRoute/default/r', gateway: 'default/gw', condition: 'ResolvedRefs', reason: 'BackendNotFound', message: 'labels selectorkey and selectorvalue are missing' },
    ]);
    const [gw, gw2] = f.parents(st.get('TCPRoute/default/r'));
    expect(f.sr(f.cond(gw, 'ResolvedRefs'))).toBe('False/BackendNotFound');
    expect(f.cond(gw, 'ResolvedRefs')?.message).toContain('selectorkey');
    expect(f.sr(f.cond(gw2, 'ResolvedRefs'))).toBe('True/ResolvedRefs');
  });

  it('should add PartiallyInvalid from dataplane feedback and merge two messages deterministically (DP5)', () => {
    const s = f.snapshot({ gateways: [GW], services: [WEB], tcpRoutes: [f.tcpRoute('r', [f.parent('gw')], [f.backend('web', 80), f.backend('web', 80)])] });
    const fb = [
      { route: 'TCPRoute/default/r', gateway: 'default/gw', condition: 'PartiallyInvalid' as const, reason: 'UnsupportedValue', message: 'm2' },
      { route: 'TCPRoute/default/r', gateway: 'default/gw', condition: 'PartiallyInvalid' as const, reason: 'UnsupportedValue', message: 'm1' },
    ];
    const one = f.cond(f.parents(f.statuses(s, f.options(), fb).get('TCPRoute/default/r'))[0], 'PartiallyInvalid');
    const two = f.cond(f.parents(f.statuses(s, f.options(), [...fb].reverse()).get('TCPRoute/default/r'))[0], 'PartiallyInvalid');
    expect(f.sr(one)).toBe('True/UnsupportedValue');
    expect(one?.message).toBe('m1; m2');
    expect(two).toEqual(one);
  });

  it('should not put feedback on an entry whose route is not Accepted there (spec §3.3)', () => {
    const s = f.snapshot({ gateways: [GW], tcpRoutes: [f.tcpRoute('r', [f.parent('gw', { sectionName: 'nope' })], [])] });
    const st = f.statuses(s, f.options(), [{ route: 'TCPRoute/default/r', gateway: 'default/gw', condition: 'PartiallyInvalid', reason: 'UnsupportedValue', message: 'x' }]);
    expect(f.cond(f.parents(st.get('TCPRoute/default/r'))[0], 'PartiallyInvalid')).toBeUndefined();
  });

  it('should sort status intents by kind, namespace and name', () => {
    const s = f.snapshot({ gateways: [f.gateway('z', [{ name: 'a', port: 80 }]), f.gateway('a', [{ name: 'a', port: 80 }])] });
    const graph = resolveGraph(s, f.options());
    const targets = buildStatuses(graph, [], f.options()).map((i) => `${i.target.kind}/${i.target.name}`);
    expect(targets).toEqual(['Gateway/a', 'Gateway/z', 'GatewayClass/l4']);
  });

  it('should carry observedGeneration of the route on its parent conditions (GW7)', () => {
    const r = f.tcpRoute('r', [f.parent('gw')], [], { generation: 9 });
    const [entry] = f.parents(f.statuses(f.snapshot({ gateways: [GW], tcpRoutes: [r] })).get('TCPRoute/default/r'));
    expect(f.cond(entry, 'Accepted')?.observedGeneration).toBe(9);
  });
});
