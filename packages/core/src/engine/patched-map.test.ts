import { describe, expect, it } from 'vitest';
import { PatchedMap } from './patched-map.js';

const entries = (map: ReadonlyMap<string, number>): [string, number][] => [...map];

describe('PatchedMap', () => {
  const base = new Map([
    ['b', 1],
    ['a', 2],
    ['c', 3],
  ]);

  it('should read as the base with the replaced values, in the base order, leaving the base alone', () => {
    const patched = PatchedMap.of(base, new Map([['a', 20]]));
    expect(patched.get('a')).toBe(20);
    expect(patched.get('b')).toBe(1);
    expect(patched.get('z')).toBeUndefined();
    expect(patched.has('c')).toBe(true);
    expect(patched.has('z')).toBe(false);
    expect(patched.size).toBe(3);
    expect(entries(patched)).toEqual([
      ['b', 1],
      ['a', 20],
      ['c', 3],
    ]);
    expect([...patched.keys()]).toEqual(['b', 'a', 'c']);
    expect([...patched.values()]).toEqual([1, 20, 3]);
    const seen: string[] = [];
    patched.forEach((v, k, m) => seen.push(`${k}=${v}:${m === patched}`));
    expect(seen).toEqual(['b=1:true', 'a=20:true', 'c=3:true']);
    expect(base.get('a')).toBe(2);
  });

  it('should keep earlier replacements when patched again, the later one winning', () => {
    const once = PatchedMap.of(base, new Map([['a', 20]]));
    const twice = PatchedMap.of(once, new Map([['c', 30]]));
    const thrice = PatchedMap.of(twice, new Map([['a', 200]]));
    expect(entries(twice)).toEqual([
      ['b', 1],
      ['a', 20],
      ['c', 30],
    ]);
    expect(entries(thrice)).toEqual([
      ['b', 1],
      ['a', 200],
      ['c', 30],
    ]);
    expect(once.get('c')).toBe(3);
  });

  it('should fold many replacements into a plain Map with the same entries', () => {
    const big = new Map(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i] as [string, number]));
    let map: ReadonlyMap<string, number> = big;
    for (let i = 0; i < 257; i++) map = PatchedMap.of(map, new Map([[`k${i * 3}`, -i]]));
    expect(map).toBeInstanceOf(Map);
    expect(map.size).toBe(1000);
    expect(map.get('k0')).toBe(-0);
    expect(map.get('k768')).toBe(-256);
    expect(map.get('k1')).toBe(1);
    expect([...map.keys()]).toEqual([...big.keys()]);
  });

  it('should read as a Map built afresh after keys are removed and appended, a removed key coming back last', () => {
    const removed = PatchedMap.changed(base, { removed: ['a'] });
    expect(entries(removed)).toEqual([
      ['b', 1],
      ['c', 3],
    ]);
    expect(removed.has('a')).toBe(false);
    expect(removed.get('a')).toBeUndefined();
    expect(removed.size).toBe(2);
    const appended = PatchedMap.changed(removed, { appended: new Map([['a', 4], ['d', 5]]) });
    expect(entries(appended)).toEqual([
      ['b', 1],
      ['c', 3],
      ['a', 4],
      ['d', 5],
    ]);
    expect(appended.get('a')).toBe(4);
    expect(appended.has('d')).toBe(true);
    expect(appended.size).toBe(4);
    const edited = PatchedMap.changed(appended, { replaced: new Map([['d', 50], ['b', 10]]), removed: ['c'] });
    expect(entries(edited)).toEqual([
      ['b', 10],
      ['a', 4],
      ['d', 50],
    ]);
    expect([...edited.keys()]).toEqual(['b', 'a', 'd']);
    expect(edited.size).toBe(3);
    expect(entries(base)).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 3],
    ]);
  });

  it('should name the keys whose values differ between maps made from one base, and give up on unrelated maps', () => {
    const base = new Map([['a', 1], ['b', 2], ['c', 3]]);
    const first = PatchedMap.changed(base, { replaced: new Map([['a', 10]]) });
    const second = PatchedMap.changed(first, { removed: ['b'], appended: new Map([['d', 4]]) });
    expect(PatchedMap.changedKeys(first, first)).toEqual(new Set());
    expect(PatchedMap.changedKeys(base, first)).toEqual(new Set(['a']));
    expect(PatchedMap.changedKeys(first, second)).toEqual(new Set(['b', 'd']));
    expect(PatchedMap.changedKeys(base, second)).toEqual(new Set(['a', 'b', 'd']));
    // The same value again is no change.
    expect(PatchedMap.changedKeys(first, PatchedMap.changed(base, { replaced: new Map([['a', 10]]) }))).toEqual(new Set());
    expect(PatchedMap.changedKeys(first, new Map(first))).toBeUndefined();
  });
});
