// What stands for a lookup Map in what is remembered from lookups in it. A new Map is made
// whenever its list changes, so a result remembered with the Map itself is looked up again after
// every Service added, though what it looked up is unchanged: at 10k Gateways, adding one
// Gateway with its backends had every route and Gateway compare its backends again. A generation
// outlives Maps that only gained or lost keys none of which was ever looked up; so while it is
// the same, every lookup made in it would give what it gave.
//
// "Ever", not "in this generation": a patch carries results made in an older generation into the
// next one without looking up again what they read (a Gateway resolved again from a route's
// remembered backends), so a key that route missed must still end the next generation when it
// comes. Each generation therefore shares its set of looked-up keys with the one that follows it.
// The set only grows: it holds the keys of Services some route named, for the engine's lifetime.

import type { KeyLookup } from '../routes/backends.js';

/** A lookup Map's generation (see the file comment); compared by identity. */
export class LookupGeneration {
  /** @param lookedUp keys looked up, found or not, in this generation and every one before it */
  constructor(private readonly lookedUp: Set<string> = new Set()) {}

  /** `map`, looked up with every key recorded against this generation. */
  lookup<V>(map: ReadonlyMap<string, V>): KeyLookup<V> {
    return {
      get: (key: string): V | undefined => {
        this.lookedUp.add(key);
        return map.get(key);
      },
    };
  }

  /** The generation after this one, for a Map whose values changed: it still knows every key looked up. */
  next(): LookupGeneration {
    return new LookupGeneration(this.lookedUp);
  }

  /**
   * This generation for the Map that gained or lost `keys` (and changed nothing else), or the next
   * one when any of them was looked up. (Within one generation a key gained was missed and a key
   * lost was found, so one set of keys serves both.)
   */
  withKeysChanged(keys: Iterable<string>): LookupGeneration {
    for (const key of keys) if (this.lookedUp.has(key)) return this.next();
    return this;
  }
}
