import { describe, expect, it } from 'vitest';
import type { ParsedRoute } from '../model/parsed.js';
import { parseSnapshot } from '../parse/snapshot.js';
import { backend, parent, snapshot, tcpRoute } from '../gateway/test-support.js';
import { RoutesNaming } from './routes-naming.js';

/** The parsed routes of these raw TCPRoutes, in parsed route order. */
function parsedRoutes(raws: unknown[]): readonly ParsedRoute[] {
  return parseSnapshot(snapshot({ tcpRoutes: raws })).routes;
}

const names = (routes: Set<ParsedRoute>): string[] => [...routes].map((r) => r.meta.name).sort();

describe('RoutesNaming', () => {
  it('should find the routes naming a Gateway or a Service, following lists that gain, lose and change routes', () => {
    const a = tcpRoute('a', [parent('gw1')], [backend('s1', 80)]);
    const b = tcpRoute('b', [parent('gw2')], [backend('s1', 80), backend('s2', 80)]);
    const naming = new RoutesNaming();
    const first = parsedRoutes([a, b]);
    expect(names(naming.naming(first, ['default/gw1']))).toEqual(['a']);
    expect(names(naming.naming(first, ['default/s1']))).toEqual(['a', 'b']);
    expect(names(naming.naming(first, ['default/gw2', 'default/s2']))).toEqual(['b']);

    // b now names gw1 and s3, c comes, a goes: the index follows from the last list.
    const edited = tcpRoute('b', [parent('gw1')], [backend('s3', 80)]);
    const c = tcpRoute('c', [parent('gw3')], [backend('s1', 80)]);
    const second = parsedRoutes([edited, c]);
    expect(names(naming.naming(second, ['default/gw1']))).toEqual(['b']);
    expect(names(naming.naming(second, ['default/s1']))).toEqual(['c']);
    expect(names(naming.naming(second, ['default/s2', 'default/gw2']))).toEqual([]);
    // What it gives is the routes of the list asked about, never those of an earlier one.
    for (const route of naming.naming(second, ['default/gw1', 'default/s1', 'default/s3'])) expect(second).toContain(route);
  });

  it('should give for any list what an index built afresh for it gives', () => {
    const raws = Array.from({ length: 300 }, (_, i) => tcpRoute(`r${i}`, [parent(`gw${i % 7}`)], [backend(`s${i % 11}`, 80)]));
    const naming = new RoutesNaming();
    naming.naming(parsedRoutes(raws.slice(0, 10)), []);
    // Past its limit of changed routes, it builds again.
    const all = parsedRoutes(raws);
    expect(names(naming.naming(all, ['default/gw3'])).length).toBe(raws.filter((_, i) => i % 7 === 3).length);
    expect(names(naming.naming(all, ['default/s5']))).toEqual(names(new RoutesNaming().naming(all, ['default/s5'])));
  });
});
