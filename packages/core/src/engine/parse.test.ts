// The engine's parse patches the last de-duplicated lists after a few objects changed
// (engine/parse.ts); it must give what a fresh parse gives.

import { describe, expect, it } from 'vitest';
import { emptySnapshot } from '../model/snapshot.js';
import { parseSnapshot, type ParsedSnapshot } from '../parse/snapshot.js';
import { parseMemory, rememberingParse } from './parse.js';

describe('after one object is edited in place (the last result is patched, not rebuilt)', () => {
  const service = (name: string, port: number, rv = '1') => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'd', resourceVersion: rv },
    spec: { ports: [{ port }] },
  });
  const route = (name: string, ns: string, rv = '1') => ({
    apiVersion: 'gateway.networking.k8s.io/v1alpha2',
    kind: 'TCPRoute',
    metadata: { name, namespace: ns, resourceVersion: rv },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 's', port: 1 }] }] },
  });
  const junk = { metadata: {} };
  const base = () => ({
    ...emptySnapshot(),
    // Unsorted input, with an object that does not parse: the places of the others shift.
    services: [service('s3', 3), junk, service('s1', 1), service('s2', 2)],
    tcpRoutes: [route('r2', 'b'), route('r1', 'a'), junk, route('r3', 'a')],
  });
  const summary = (p: ParsedSnapshot) => ({
    services: p.services.map((s) => `${s.meta.name}:${s.ports[0]?.port}`),
    servicesByKey: [...p.servicesByKey].map(([k, s]) => `${k}:${s.ports[0]?.port}`),
    routes: p.routes.map((r) => `${r.meta.namespace}/${r.meta.name}@${r.meta.resourceVersion}`),
    diagnostics: p.diagnostics.length,
  });
  const cases: [string, (s: ReturnType<typeof base>) => void][] = [
    ['a Service edited', (s) => (s.services[3] = service('s2', 22, '2'))],
    ['a Service and a route edited', (s) => ((s.services[0] = service('s3', 33, '2')), (s.tcpRoutes[1] = route('r1', 'a', '2')))],
    ['an item replaced by one of another key', (s) => (s.services[2] = service('s9', 9, '2'))],
    ['a junk item replaced by an object', (s) => (s.services[1] = service('s4', 4, '2'))],
    ['an object replaced by junk', (s) => (s.tcpRoutes[0] = junk)],
    ['a repeat of another key made', (s) => (s.services[3] = service('s1', 11, '2'))],
  ];
  for (const [name, edit] of cases) {
    it(`should give what a fresh parse gives: ${name}`, () => {
      const memory = parseMemory();
      const first = base();
      rememberingParse(first, memory);
      const next = { ...first, services: [...first.services], tcpRoutes: [...first.tcpRoutes] };
      edit(next);
      const patched = rememberingParse(next, memory).parsed;
      expect(summary(patched)).toEqual(summary(parseSnapshot(next)));
      // And once more, on top of the patched result.
      const again = { ...next, services: [...next.services] };
      again.services[2] = service('s1', 100, '3');
      expect(summary(rememberingParse(again, memory).parsed)).toEqual(summary(parseSnapshot(again)));
    });
  }

  it('should keep a repeated key deciding by the rule, not by the place of the edit', () => {
    const memory = parseMemory();
    const first = { ...emptySnapshot(), services: [service('s', 1, '5'), service('s', 2, '4')] };
    rememberingParse(first, memory);
    const next = { ...first, services: [first.services[0]!, service('s', 3, '6')] };
    expect(rememberingParse(next, memory).parsed.services.map((s) => s.ports[0]?.port)).toEqual([3]);
  });
});
