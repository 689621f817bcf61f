import { describe, expect, it } from 'vitest';
import { LookupGeneration } from './lookup-generation.js';
import { reconcile } from '../reconcile.js';
import { desiredState } from '../pipeline/pipeline.js';
import { backend, gateway, options, parent, service, snapshot, tcpRoute } from '../gateway/test-support.js';
import { engineMemory, rememberingStages } from './memory.js';

describe('LookupGeneration', () => {
  it('should outlive keys gained or lost that no lookup named, and end for one that some lookup did', () => {
    const first = LookupGeneration.first();
    expect(first.lookup(new Map([['a/here', 1]])).get('a/later')).toBeUndefined();
    expect(first.withKeysChanged(['a/unrelated'])).toBe(first);
    expect(first.withKeysChanged(['a/unrelated', 'a/later'])).not.toBe(first);
  });

  it('should remember what was looked up before, in the generations after it', () => {
    // A result made in the first generation and carried into the next (a patch that did not
    // look up again) still read `a/later`: its coming must end the later generation too.
    const first = LookupGeneration.first();
    first.lookup(new Map<string, number>()).get('a/later');
    const second = first.next();
    expect(second).not.toBe(first);
    expect(second.lineage).toBe(first.lineage);
    expect(second.withKeysChanged(['a/other'])).toBe(second);
    expect(second.withKeysChanged(['a/later'])).not.toBe(second);
  });

  it('should be overgrown once its lineage looked up twice what it had when it settled, and a thousand more', () => {
    const generation = LookupGeneration.first();
    const lookup = generation.lookup(new Map<string, number>());
    for (let i = 0; i < 10; i++) lookup.get(`a/s${i}`);
    generation.settle();
    // Settling again later does not move the bound.
    for (let i = 10; i < 20; i++) lookup.get(`a/s${i}`);
    generation.next().settle();
    // The bound: 2 × 10 + 1024 keys.
    for (let i = 20; i < 1044; i++) lookup.get(`a/s${i}`);
    expect(generation.lookedUpCount).toBe(1044);
    expect(generation.overgrown()).toBe(false);
    lookup.get('a/one-more');
    expect(generation.next().overgrown()).toBe(true);
    expect(LookupGeneration.first().lineage).not.toBe(generation.lineage);
  });
});

describe('an engine whose routes keep naming new Services', () => {
  it('should keep its record of looked-up keys bounded, and give the pure result across each new lineage', () => {
    const memory = engineMemory();
    const stages = rememberingStages(memory);
    const port = [{ name: 'tcp', port: 80, protocol: 'TCP', targetPort: 8080 }];
    const gw = gateway('gw', [{ name: 'tcp', port: 80 }]);
    // Waits for a Service that comes only at the end, after the lineage it was first looked up in has ended;
    // named to win the listener (RT5), so that its backends are what the Gateway realises.
    const waiting = tcpRoute('a-waiting', [parent('gw')], [backend('late', 80)]);
    const services: unknown[] = [service('here', port)];
    const lineages = new Set<object>();
    let largest = 0;
    let first: number | undefined;
    const check = (routes: unknown[]): void => {
      const s = snapshot({ gateways: [gw], tcpRoutes: routes, services: [...services] });
      expect(desiredState(s, options(), stages)).toEqual(reconcile(s, options()));
      const generation = memory.resolve.parse.lists.services.last!.result.generation;
      lineages.add(generation.lineage);
      first ??= generation.lookedUpCount;
      largest = Math.max(largest, generation.lookedUpCount);
    };
    let moving = tcpRoute('moving', [parent('gw')], [backend('s0', 80)]);
    for (let i = 0; i < 2200; i++) {
      // Every seventh step, the Service the route names next comes first (a Service added: the Gateway patch).
      if (i % 7 === 0) services.push(service(`s${i + 1}`, port));
      moving = tcpRoute('moving', [parent('gw')], [backend(`s${i}`, 80)], { generation: i + 1 });
      check([waiting, moving]);
    }
    // Only the Service comes: the Gateway was last resolved in the latest lineage, from the waiting route's backends resolved in an earlier one.
    services.push(service('late', port));
    check([waiting, moving]);
    // The two keys of the first resolve, then one more per step: a bound of 2 × 2 + 1024, passed by one key before a new lineage starts.
    expect(first).toBe(2);
    expect(lineages.size).toBeGreaterThanOrEqual(3);
    expect(largest).toBe(2 * 2 + 1024 + 1);
  });
});
