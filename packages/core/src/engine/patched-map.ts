// A read-only Map that is another one with some values replaced, some keys removed and some
// appended, made without copying it. When one object of a 100k-item list changes, comes or goes
// (a watch event), the list's lookup Map must be a new instance (what is remembered downstream is
// keyed by its identity, ./memo.ts), but copying 100k entries cost ~30 ms at 50k Gateways
// on every event. It iterates as a Map built afresh would: the base's keys in their order but the
// removed ones, with replaced values, then the appended keys in the order they were appended.

/** Changes are folded into a fresh Map past this many, so a lookup stays a few probes at most. */
const MAX_CHANGED = 256;


/** What `PatchedMap.of` changes. */
export interface MapChanges<V> {
  /** New values of keys the map holds. */
  readonly replaced?: ReadonlyMap<string, V>;
  /** Keys the map holds, dropped. */
  readonly removed?: Iterable<string>;
  /** Keys the map does not hold (once `removed` are gone), added after every other in this order. */
  readonly appended?: ReadonlyMap<string, V>;
}

export class PatchedMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly base: ReadonlyMap<string, V>,
    private readonly replaced: ReadonlyMap<string, V>,
    /** Keys of `base` that are gone (a key may be gone from `base` and appended again). */
    private readonly removed: ReadonlySet<string>,
    private readonly appended: ReadonlyMap<string, V>,
  ) {}

  /**
   * `map` with the value of each key of `replacements` replaced. Every key must already be in
   * `map`; `map` itself is left as it is.
   */
  static of<V>(map: ReadonlyMap<string, V>, replacements: ReadonlyMap<string, V>): ReadonlyMap<string, V> {
    return PatchedMap.changed(map, { replaced: replacements });
  }

  /** `map` with `changes` made (see MapChanges for what each must hold); `map` itself is left as it is. */
  static changed<V>(map: ReadonlyMap<string, V>, changes: MapChanges<V>): ReadonlyMap<string, V> {
    const patched = map instanceof PatchedMap ? (map as PatchedMap<V>) : undefined;
    const base = patched?.base ?? map;
    const replaced = new Map(patched?.replaced);
    const removed = new Set(patched?.removed);
    const appended = new Map(patched?.appended);
    if (changes.replaced !== undefined) {
      for (const [key, value] of changes.replaced) {
        if (appended.has(key)) appended.set(key, value);
        else replaced.set(key, value);
      }
    }
    if (changes.removed !== undefined) {
      for (const key of changes.removed) {
        if (appended.delete(key)) continue;
        replaced.delete(key);
        removed.add(key);
      }
    }
    if (changes.appended !== undefined) for (const [key, value] of changes.appended) appended.set(key, value);
    if (replaced.size + removed.size + appended.size <= MAX_CHANGED) return new PatchedMap(base, replaced, removed, appended);
    return new Map(new PatchedMap(base, replaced, removed, appended));
  }

  /**
   * The keys whose values differ between two maps when one was made from the other, or both from
   * one base, by PatchedMap.changed; undefined for maps not so related (then only comparing them
   * whole tells). It reads only the keys either one changed, never the whole maps: iterating a
   * 40k-entry PatchedMap to find two Services added cost ~7 ms.
   */
  static changedKeys<V>(before: ReadonlyMap<string, V>, after: ReadonlyMap<string, V>): Set<string> | undefined {
    const changed = new Set<string>();
    if (before === after) return changed;
    const baseOf = (map: ReadonlyMap<string, V>): ReadonlyMap<string, V> => (map instanceof PatchedMap ? (map as PatchedMap<V>).base : map);
    if (baseOf(before) !== baseOf(after)) return undefined;
    for (const map of [before, after]) {
      if (!(map instanceof PatchedMap)) continue;
      const patched = map as PatchedMap<V>;
      for (const keys of [patched.replaced.keys(), patched.removed, patched.appended.keys()]) {
        for (const key of keys) if (before.get(key) !== after.get(key)) changed.add(key);
      }
    }
    return changed;
  }

  get size(): number {
    return this.base.size - this.removed.size + this.appended.size;
  }

  get(key: string): V | undefined {
    const value = this.replaced.get(key);
    if (value !== undefined) return value;
    if (this.appended.size > 0) {
      const added = this.appended.get(key);
      if (added !== undefined) return added;
    }
    if (this.removed.size > 0 && this.removed.has(key)) return undefined;
    return this.base.get(key);
  }

  has(key: string): boolean {
    return this.appended.has(key) || (!this.removed.has(key) && this.base.has(key));
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this) callback.call(thisArg, value, key, this);
  }

  *entries(): MapIterator<[string, V]> {
    for (const [key, value] of this.base) {
      if (this.removed.has(key)) continue;
      yield [key, this.replaced.get(key) ?? value];
    }
    yield* this.appended;
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
