import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../model/snapshot.js';
import { buildStatuses } from '../status/build.js';
import { resolveGraph } from './resolve.js';
import * as f from './test-support.js';

const LISTS = ['gatewayClasses', 'gateways', 'tcpRoutes', 'udpRoutes', 'referenceGrants', 'namespaces', 'services', 'endpointSlices', 'configMaps'] as const;

/** A valid, feature-rich snapshot: every rule of the front half has something to work on. */
function richSnapshot(): Snapshot {
  const from = [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute', namespace: 'default' }];
  return f.snapshot({
    gatewayClasses: [f.gatewayClass('l4'), f.gatewayClass('other', { controllerName: 'example.com/x' })],
    gateways: [
      f.gateway('gw', [{ name: 'a', port: 80 }, { name: 'u', port: 53, protocol: 'UDP', allowedRoutes: { namespaces: { from: 'All' } } }]),
      f.gateway('gw2', [{ name: 'a', port: 80 }, { name: 'b', port: 80 }], { addresses: [{ type: 'IPAddress', value: '10.0.0.15' }], creationTimestamp: '2024-01-01T00:00:00Z' }),
      f.gateway('theirs', [{ name: 'a', port: 80 }], { className: 'other' }),
    ],
    tcpRoutes: [
      f.tcpRoute('r1', [f.parent('gw'), f.parent('gw2', { port: 80 })], [f.backend('web', 80), f.backend('far', 80, { namespace: 'backend', weight: 0 })]),
      f.tcpRoute('r2', [f.parent('gw', { sectionName: 'a' })], [f.backend('web', 80)], { creationTimestamp: '2024-06-01T00:00:00Z', labels: { serviceBehaviour: 'create', selectorkey: 'app', selectorvalue: 'web' } }),
    ],
    udpRoutes: [f.route('UDPRoute', 'dns', [f.parent('gw', { namespace: 'default' })], [[f.backend('web', 53)], [f.backend('web', 53)]], { namespace: 'team', apiVersion: 'gateway.networking.k8s.io/v1alpha2' })],
    referenceGrants: [f.referenceGrant('backend', 'g', from, [{ group: '', kind: 'Service' }])],
    namespaces: [f.namespace('default'), f.namespace('team', { a: 'b' })],
    services: [
      f.service('web', [{ port: 80, targetPort: 8080 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }]),
      f.service('far', [{ port: 80 }], { namespace: 'backend' }),
      f.service('lb', [{ port: 1 }], { loadBalancerIP: '10.0.0.10' }),
    ],
    endpointSlices: [f.endpointSlice('web-1', 'web', ['10.1.0.1']), f.endpointSlice('web-2', 'web', ['10.1.0.2'])],
    configMaps: [f.kubevip()],
  });
}

/** Every JSON path (as key lists) inside a value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

/** A deep copy of `root` with the value at `path` replaced. */
function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy: unknown[] = [...(root as unknown[])];
    copy[head as number] = setAt(copy[head as number], rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(root as Record<string, unknown>) };
  copy[head as string] = setAt(copy[head as string], rest, value);
  return copy;
}

function run(s: Snapshot): string {
  const opts = f.options();
  const graph = resolveGraph(s, opts);
  return JSON.stringify({
    statuses: buildStatuses(graph, [], opts),
    gateways: graph.gateways.map((g) => ({ key: g.key, assignment: g.assignment, listeners: g.listeners.map((l) => ({ ...l, winner: l.winner?.key })) })),
    routes: graph.routes.map((r) => r.key),
    objects: graph.objects,
    events: graph.events,
    diagnostics: graph.diagnostics,
    poolUsage: graph.poolUsage,
    addresses: graph.addresses,
  });
}

describe('resolveGraph properties', () => {
  it('should never throw on arbitrary values in any snapshot list', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LISTS), fc.array(fc.anything({ withObjectString: true, withNullPrototype: true })), (list, items) => {
        const s = { ...richSnapshot(), [list]: items };
        expect(() => buildStatuses(resolveGraph(s, f.options()), [], f.options())).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('should never throw on a whole snapshot of arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything(), (s) => {
        expect(() => resolveGraph(s as Snapshot, f.options())).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it('should never throw when any field of a valid snapshot is replaced by an arbitrary value', () => {
    const base = richSnapshot();
    const all = paths(base).filter((p) => p.length > 1);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...all), fc.anything()), { minLength: 1, maxLength: 4 }), (edits) => {
        let s: unknown = base;
        for (const [path, value] of edits) s = setAt(s, path, value);
        expect(() => buildStatuses(resolveGraph(s as Snapshot, f.options()), [], f.options())).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('should produce the same output for any order of the input lists', () => {
    const base = richSnapshot();
    const expected = run(base);
    fc.assert(
      fc.property(
        fc.record(Object.fromEntries(LISTS.map((l) => [l, fc.shuffledSubarray([...(base[l] as unknown[])], { minLength: (base[l] as unknown[]).length })]))),
        (shuffled) => {
          expect(run({ ...base, ...(shuffled as Partial<Snapshot>) })).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('should produce no status for objects that are not ours (GC1, GW1, RT2)', () => {
    const targets = buildStatuses(resolveGraph(richSnapshot(), f.options()), [], f.options()).map((i) => `${i.target.kind}/${i.target.name}`);
    expect(targets).not.toContain('GatewayClass/other');
    expect(targets).not.toContain('Gateway/theirs');
  });
});
