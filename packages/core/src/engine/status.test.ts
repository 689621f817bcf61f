import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../gateway/resolve.js';
import * as f from '../gateway/test-support.js';
import type { ResolvedGraph } from '../model/graph.js';
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
