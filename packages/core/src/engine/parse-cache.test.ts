import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../model/desired.js';
import { cachedParser, type ListHistory } from './parse-cache.js';
import { ObjectStore } from './object-store.js';

/** A parser that counts its calls and reports a diagnostic for objects without a spec. */
function countingParser(history?: ListHistory): {
  calls: () => number;
  parse: (raw: unknown, sink: Diagnostic[]) => string | undefined;
  list: (raws: readonly unknown[], sink: Diagnostic[]) => readonly ({ value: string } | undefined)[];
} {
  let calls = 0;
  const parseKeyed = cachedParser((raw: unknown, sink: Diagnostic[]) => {
    calls++;
    const object = raw as { spec?: { value?: string } };
    if (object.spec === undefined) {
      sink.push({ severity: 'warning', message: 'no spec' });
      return undefined;
    }
    return object.spec.value;
  }, (value) => `key-${value}`, history);
  const parse = (raw: unknown, sink: Diagnostic[]): string | undefined => parseKeyed(raw, sink)?.value;
  return { calls: () => calls, parse, list: parseKeyed.list };
}

describe('cachedParser', () => {
  it('should parse an unchanged object once and return the same result', () => {
    const { calls, parse } = countingParser();
    const raw = { metadata: { name: 'a', resourceVersion: '1' }, spec: { value: 'x' } };
    expect(parse(raw, [])).toBe('x');
    expect(parse(raw, [])).toBe('x');
    expect(calls()).toBe(1);
  });

  it('should key each result with the key function', () => {
    const parse = cachedParser((raw: unknown) => (raw as { v: string }).v, (value) => `k/${value}`);
    expect(parse({ v: 'a' }, [])).toEqual({ value: 'a', key: 'k/a' });
  });

  it('should report the remembered diagnostics again on every call', () => {
    const { parse } = countingParser();
    const raw = { metadata: { name: 'a' } };
    const first: Diagnostic[] = [];
    const second: Diagnostic[] = [];
    parse(raw, first);
    parse(raw, second);
    expect(second).toEqual(first);
    expect(second).toHaveLength(1);
  });

  it('should parse again when a top-level field is replaced or the resourceVersion changes', () => {
    const { calls, parse } = countingParser();
    const raw: { metadata: { name: string; resourceVersion: string }; spec: { value: string } } = {
      metadata: { name: 'a', resourceVersion: '1' },
      spec: { value: 'x' },
    };
    parse(raw, []);
    raw.spec = { value: 'y' };
    expect(parse(raw, [])).toBe('y');
    raw.metadata.resourceVersion = '2';
    parse(raw, []);
    expect(calls()).toBe(3);
  });

  it.each(['apiVersion', 'kind', 'metadata', 'spec', 'status', 'data', 'addressType', 'ports', 'endpoints'])(
    'should parse again when only %s is replaced (every field a parser reads is checked)',
    (field) => {
      const { calls, parse } = countingParser();
      const raw: Record<string, unknown> = { metadata: { name: 'a', resourceVersion: '1' }, spec: { value: 'x' } };
      parse(raw, []);
      parse(raw, []);
      expect(calls()).toBe(1);
      raw[field] = field === 'spec' ? { value: 'x' } : field === 'metadata' ? { name: 'a', resourceVersion: '1' } : {};
      parse(raw, []);
      expect(calls()).toBe(2);
    },
  );

  it('should parse values that are not objects every time', () => {
    const { calls, parse } = countingParser();
    parse('not an object', []);
    parse('not an object', []);
    expect(calls()).toBe(2);
  });

  describe('list', () => {
    const item = (value: string): Record<string, unknown> => ({ metadata: { name: value, resourceVersion: '1' }, spec: { value } });

    it('should hand back the same results for a list of the very same, unchanged objects', () => {
      const { calls, list } = countingParser();
      const raws = [item('a'), item('b'), { metadata: { name: 'bad' } }];
      const first: Diagnostic[] = [];
      const parsed = list(raws, first);
      const again: Diagnostic[] = [];
      expect(list([...raws], again)).toBe(parsed);
      expect(calls()).toBe(3);
      expect(parsed.map((p) => p?.value)).toEqual(['a', 'b', undefined]);
      expect(again).toEqual(first);
      expect(again).toHaveLength(1);
    });

    it('should give the very array of the last call its results at once', () => {
      const { calls, list } = countingParser();
      const raws = [item('a'), item('b')];
      const parsed = list(raws, []);
      expect(list(raws, [])).toBe(parsed);
      expect(calls()).toBe(2);
    });

    it('should notice an item replaced, added, removed or moved', () => {
      const { calls, list } = countingParser();
      const a = item('a');
      const b = item('b');
      const parsed = list([a, b], []);
      expect(list([a, item('c')], []).map((p) => p?.value)).toEqual(['a', 'c']);
      expect(list([b, a], []).map((p) => p?.value)).toEqual(['b', 'a']);
      expect(list([a], []).map((p) => p?.value)).toEqual(['a']);
      expect(list([a, b], [])).not.toBe(parsed);
      // Only the new object was parsed: the others came from their per-object results.
      expect(calls()).toBe(3);
    });

    it('should keep the diagnostics of the items before and after one that changed, in item order', () => {
      const { list } = countingParser();
      const bad = (name: string): Record<string, unknown> => ({ metadata: { name, resourceVersion: '1' } });
      const raws = [bad('x'), item('a'), bad('y'), item('b'), bad('z')];
      list(raws, []);
      const changes: [number, Record<string, unknown>][] = [
        [1, item('c')],
        [3, bad('w')],
        [0, item('d')],
        [4, item('e')],
      ];
      let current = raws;
      for (const [at, replacement] of changes) {
        current = current.map((r, i) => (i === at ? replacement : r));
        const got: Diagnostic[] = [];
        const values = list(current, got).map((p) => p?.value);
        const fresh: Diagnostic[] = [];
        const { list: freshList } = countingParser();
        expect(values).toEqual(freshList(current, fresh).map((p) => p?.value));
        expect(got).toEqual(fresh);
      }
    });

    it('should notice an item whose top-level field was replaced in place', () => {
      const { list } = countingParser();
      const a = item('a');
      list([a], []);
      a['spec'] = { value: 'z' };
      expect(list([a], []).map((p) => p?.value)).toEqual(['z']);
    });

    it('should parse lists with items that are not objects without remembering them', () => {
      const { calls, list } = countingParser();
      const raws = ['junk', item('a')];
      list(raws, []);
      list(raws, []);
      expect(calls()).toBe(3); // 'junk' twice, the object once
    });
  });

  describe('list, told by an ObjectStore what changed', () => {
    const named = (name: string, value?: string): Record<string, unknown> => ({ metadata: { name, resourceVersion: '1' }, ...(value !== undefined ? { spec: { value } } : {}) });

    it('should parse only the places replaced and appended, and give what parsing afresh gives, diagnostics in item order', () => {
      const store = new ObjectStore();
      const { calls, list } = countingParser((before, after) => store.changesSince(before, after));
      for (const o of [named('a', 'a'), named('b'), named('c', 'c'), named('d')]) store.upsert(o);
      list(store.list(), []);
      expect(calls()).toBe(4);
      // b gains a spec (a diagnostic gone), c loses its own (one come), e is appended with none.
      const edits = [named('b', 'b'), named('c'), named('e')];
      for (const o of edits) store.upsert(o);
      const raws = store.list();
      expect(store.changesSince(raws, raws)).toBeUndefined();
      const got: Diagnostic[] = [];
      const values = list(raws, got).map((p) => p?.value);
      expect(calls()).toBe(7);
      const fresh: Diagnostic[] = [];
      expect(values).toEqual(countingParser().list(raws, fresh).map((p) => p?.value));
      expect(values).toEqual(['a', 'b', undefined, undefined, undefined]);
      expect(got).toEqual(fresh);
      expect(got).toHaveLength(3);
    });

    it('should say which places went after deletes, and nothing after upserts and deletes mixed or a relist', () => {
      const store = new ObjectStore();
      const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => named(n, n));
      for (const o of [a, b, c, d]) store.upsert(o!);
      const first = store.list();
      store.delete(undefined, 'c');
      store.delete(undefined, 'a');
      const second = store.list();
      expect(store.changesSince(first, second)).toEqual({ kind: 'removed', removed: [0, 2], from: first, to: second });
      store.delete(undefined, 'b');
      store.upsert(named('d', 'z'));
      const third = store.list();
      expect(store.changesSince(second, third)).toBeUndefined();
      store.replaceAll([a, named('e', 'e')]);
      expect(store.changesSince(third, store.list())).toBeUndefined();
      const fourth = store.list();
      store.upsert(named('a', 'z'));
      expect(store.changesSince(fourth, store.list())).toEqual({ kind: 'upserted', from: fourth, to: store.list(), replaced: [0], appended: 0 });
    });

    it('should drop the places removed and keep the diagnostics of the rest in item order', () => {
      const store = new ObjectStore();
      const { calls, list } = countingParser((before, after) => store.changesSince(before, after));
      for (const o of [named('a'), named('b', 'b'), named('c'), named('d', 'd'), named('e')]) store.upsert(o);
      list(store.list(), []);
      store.delete(undefined, 'a');
      store.delete(undefined, 'd');
      const raws = store.list();
      const got: Diagnostic[] = [];
      const values = list(raws, got).map((p) => p?.value);
      expect(calls()).toBe(5);
      const fresh: Diagnostic[] = [];
      expect(values).toEqual(countingParser().list(raws, fresh).map((p) => p?.value));
      expect(got).toEqual(fresh);
      expect(got).toHaveLength(2);
      // The list taken over still answers the next change as a fresh parse would.
      store.upsert(named('b'));
      const next = store.list();
      const again: Diagnostic[] = [];
      const freshAgain: Diagnostic[] = [];
      expect(list(next, again).map((p) => p?.value)).toEqual(countingParser().list(next, freshAgain).map((p) => p?.value));
      expect(again).toEqual(freshAgain);
    });
  });
});
