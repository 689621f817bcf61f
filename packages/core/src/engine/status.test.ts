import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../gateway/resolve.js';
import * as f from '../gateway/test-support.js';
import type { ResolvedGateway, ResolvedGraph } from '../model/graph.js';
import { buildStatuses } from '../status/build.js';
import { rememberingStatuses, statusMemory } from './status.js';

const LATER = '2027-01-01T00:00:00Z';
const GW = f.gateway('gw', [{ name: 'a', port: 80 }]);
const WEB = f.service('web', [{ port: 80 }]);
const route = (name: string, status?: f.Json): f.Json =>
  f.tcpRoute(name, [f.parent('gw')], [f.backend('web', 80)], status === undefined ? {} : { status });

/** A cluster with routes `names` whose statuses were written as built: building them again stamps nothing. */
function converged(names: readonly string[]): ReturnType<typeof f.snapshot> {
  const built = buildStatuses(resolveGraph(f.snapshot({ gateways: [GW], services: [WEB], tcpRoutes: names.map((n) => route(n)) }), f.options()), [], f.options());
  const written = (kind: string, name: string) => structuredClone(built.find((i) => i.target.kind === kind && i.target.name === name)?.status);
  return f.snapshot({
    gatewayClasses: [f.gatewayClass('l4', { status: written('GatewayClass', 'l4') })],
    gateways: [f.gateway('gw', [{ name: 'a', port: 80 }], { status: written('Gateway', 'gw') })],
    services: [WEB],
    tcpRoutes: names.map((n) => route(n, written('TCPRoute', n))),
  });
}

describe('rememberingStatuses', () => {
  it('should build a status that stamped `now` again when `now` moved', () => {
    const graph = resolveGraph(f.snapshot({ gateways: [GW], services: [WEB], tcpRoutes: [route('r')] }), f.options());
    const memory = statusMemory();
    rememberingStatuses(graph, [], f.options(), memory);
    const later = rememberingStatuses(graph, [], f.options({ now: LATER }), memory);
    expect(later).toEqual(buildStatuses(graph, [], f.options({ now: LATER })));
    expect(f.cond(f.parents(later.at(-1)?.status)[0], 'Accepted')?.lastTransitionTime).toBe(LATER);
  });

  it('should reuse statuses that stamp nothing whatever `now` is', () => {
    const graph = resolveGraph(converged(['r']), f.options());
    const memory = statusMemory();
    const first = rememberingStatuses(graph, [], f.options(), memory);
    expect(rememberingStatuses(graph, [], f.options({ now: LATER }), memory)).toBe(first);
  });

  it('should build only the changed route of a graph whose routes changed in place, as building afresh would', () => {
    const graph = resolveGraph(converged(['r1', 'r2']), f.options());
    const memory = statusMemory();
    const first = rememberingStatuses(graph, [], f.options(), memory);
    // The same graph with r2 resolved anew, as after an edit of r2 that changed nothing else.
    const edited = resolveGraph(f.snapshot({ gateways: [GW], services: [WEB], tcpRoutes: [route('r1'), route('r2', { parents: [] })] }), f.options());
    const patched: ResolvedGraph = { ...graph, routes: [graph.routes[0]!, edited.routes[1]!] };
    const next = rememberingStatuses(patched, [], f.options({ now: LATER }), memory);
    expect(next).toEqual(buildStatuses(patched, [], f.options({ now: LATER })));
    expect(next.slice(0, -1).every((intent, i) => intent === first[i])).toBe(true);
    expect(next.at(-1)).not.toBe(first.at(-1));
  });
});

describe('rememberingStatuses after Gateways added or removed', () => {
  // gw-a, gw-b and gw-c with a route each; gw-b has a ListenerSet (it allows them from its namespace).
  const names = ['gw-a', 'gw-b', 'gw-c'];
  const all = resolveGraph(
    f.snapshot({
      gateways: names.map((n) => f.gateway(n, [{ name: 'a', port: 80 }], n === 'gw-b' ? { allowedListeners: { namespaces: { from: 'Same' } } } : {})),
      listenerSets: [f.listenerSet('ls-b', { name: 'gw-b' }, [{ name: 'db', port: 5432 }])],
      services: [WEB],
      tcpRoutes: names.map((n) => f.tcpRoute(`r-${n}`, [f.parent(n)], [f.backend('web', 80)])),
    }),
    f.options(),
  );
  /** `all` without Gateway `name` and its route and addresses: the very same instances otherwise, as an engine's resolution keeps them. */
  const without = (graph: ResolvedGraph, name: string): ResolvedGraph => ({
    ...graph,
    gateways: graph.gateways.filter((g) => g.gateway.meta.name !== name),
    routes: graph.routes.filter((r) => r.key !== `TCPRoute/default/r-${name}`),
    addresses: graph.addresses.filter((a) => a.gateway.name !== name),
  });
  /** Forgets every per-item status, so that only a patch of the whole result can give the last instances back. */
  const forgetItems = (memory: ReturnType<typeof statusMemory>, graph: ResolvedGraph): void => {
    for (const g of graph.gateways) memory.gateways.delete(g);
    for (const r of graph.routes) memory.routes.delete(r);
  };

  it('should splice in the statuses of a Gateway added with its route and ListenerSet, keeping the others', () => {
    expect(all.gateways.map((g) => g.listenerSets.length)).toEqual([0, 1, 0]);
    expect(all.routes.length).toBe(3);
    const memory = statusMemory();
    const small = without(all, 'gw-b');
    const first = rememberingStatuses(small, [], f.options(), memory);
    forgetItems(memory, small);
    const next = rememberingStatuses(all, [], f.options(), memory);
    expect(next).toEqual(buildStatuses(all, [], f.options()));
    expect(next.map((i) => i.target.kind)).toContain('ListenerSet');
    for (const intent of first) expect(next).toContain(intent);
  });

  it('should take out the statuses of a Gateway removed with its route and ListenerSet', () => {
    const memory = statusMemory();
    const first = rememberingStatuses(all, [], f.options(), memory);
    forgetItems(memory, all);
    const small = without(all, 'gw-b');
    const next = rememberingStatuses(small, [], f.options(), memory);
    expect(next).toEqual(buildStatuses(small, [], f.options()));
    expect(next.every((intent) => first.includes(intent))).toBe(true);
    // And back again, from the patched result.
    expect(rememberingStatuses(all, [], f.options(), memory)).toEqual(buildStatuses(all, [], f.options()));
  });

  it('should build again the status of a Gateway not Accepted whose address a Gateway added was assigned', () => {
    const [a, b, c] = all.gateways as [ResolvedGateway, ResolvedGateway, ResolvedGateway];
    const taken = all.addresses.find((e) => e.gateway.name === 'gw-c')!.address;
    // gw-b not Accepted, still listing the address gw-c comes to be assigned (IP4).
    const held: ResolvedGateway = { ...b, accepted: false, listenerSets: [], gateway: { ...b.gateway, statusAddresses: [taken] } };
    const before: ResolvedGraph = { ...all, gateways: [a, held], routes: all.routes.slice(0, 2), addresses: all.addresses.filter((e) => e.gateway.name === 'gw-a') };
    const after: ResolvedGraph = { ...all, gateways: [a, held, c], routes: all.routes, addresses: all.addresses.filter((e) => e.gateway.name !== 'gw-b') };
    const memory = statusMemory();
    const first = rememberingStatuses(before, [], f.options(), memory);
    expect(first[1]?.status['addresses']).toEqual([{ type: 'IPAddress', value: taken }]);
    const next = rememberingStatuses(after, [], f.options(), memory);
    expect(next).toEqual(buildStatuses(after, [], f.options()));
    expect(next[1]?.status['addresses']).toEqual([]);
    // Freed again when gw-c goes.
    expect(rememberingStatuses(before, [], f.options(), memory)).toEqual(buildStatuses(before, [], f.options()));
  });

  it('should build again only what stamped `now` when `now` moved, keeping the rest', () => {
    // r1 and r2 have their statuses written; r3 is new: only its status stamps `now`.
    const base = converged(['r1', 'r2']);
    const graph = resolveGraph({ ...base, tcpRoutes: [...base.tcpRoutes, route('r3')] }, f.options());
    const memory = statusMemory();
    const first = rememberingStatuses(graph, [], f.options(), memory);
    // Only the whole result's patch can give the kept statuses back: the per-item memory is gone.
    for (const r of graph.routes.slice(0, 2)) memory.routes.delete(r);
    for (const g of graph.gateways) memory.gateways.delete(g);
    const later = rememberingStatuses(graph, [], f.options({ now: LATER }), memory);
    expect(later).toEqual(buildStatuses(graph, [], f.options({ now: LATER })));
    const r3 = (statuses: typeof first) => statuses.find((i) => i.target.name === 'r3');
    expect(f.cond(f.parents(r3(later)?.status)[0], 'Accepted')?.lastTransitionTime).toBe(LATER);
    for (const name of ['r1', 'r2', 'gw']) expect(later.find((i) => i.target.name === name)).toBe(first.find((i) => i.target.name === name));
    // And again later still: r3 is still unwritten, so it stamps once more.
    const latest = rememberingStatuses(graph, [], f.options({ now: '2027-06-01T00:00:00Z' }), memory);
    expect(latest).toEqual(buildStatuses(graph, [], f.options({ now: '2027-06-01T00:00:00Z' })));
  });

  it('should give what building afresh gives when `now` moved and every status stamped it', () => {
    const memory = statusMemory();
    const small = without(all, 'gw-b');
    rememberingStatuses(small, [], f.options(), memory);
    const next = rememberingStatuses(all, [], f.options({ now: LATER }), memory);
    expect(next).toEqual(buildStatuses(all, [], f.options({ now: LATER })));
  });
});
