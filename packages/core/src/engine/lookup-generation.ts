// What stands for a lookup Map in what is remembered from lookups in it. A new Map is made
// whenever its list changes, so a result remembered with the Map itself is looked up again after
// every Service added, though what it looked up is unchanged: at 10k Gateways, adding one
// Gateway with its backends had every route and Gateway compare its backends again. A generation
// outlives Maps that only gained keys, none of which a lookup in this generation missed, or only
// lost keys, none of which a lookup in it found; so while it is the same, every lookup made in it
// would give what it gave.

import type { KeyLookup } from '../routes/backends.js';

/** A lookup Map's generation (see the file comment); compared by identity. */
export class LookupGeneration {
  /** Keys looked up and not found while this generation was current. */
  private readonly missed = new Set<string>();
  /** Keys looked up and found while this generation was current. */
  private readonly found = new Set<string>();

  /** `map`, looked up with every miss and every hit recorded against this generation. */
  lookup<V>(map: ReadonlyMap<string, V>): KeyLookup<V> {
    return {
      get: (key: string): V | undefined => {
        const value = map.get(key);
        if (value === undefined) this.missed.add(key);
        else this.found.add(key);
        return value;
      },
    };
  }

  /** This generation for the Map that gained `added` keys (and changed nothing else), or a new one when a lookup missed one of them. */
  withKeysAdded(added: Iterable<string>): LookupGeneration {
    for (const key of added) if (this.missed.has(key)) return new LookupGeneration();
    return this;
  }

  /** This generation for the Map that lost `removed` keys (and changed nothing else), or a new one when a lookup found one of them. */
  withKeysRemoved(removed: Iterable<string>): LookupGeneration {
    for (const key of removed) if (this.found.has(key)) return new LookupGeneration();
    return this;
  }
}
