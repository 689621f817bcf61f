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
// comes. The generations of one lineage therefore share one record of the keys looked up.
//
// That record only grows while its lineage lasts, and a long-running engine sees routes name
// Services that are long gone. So a lineage ends when its record has outgrown what it held
// after the first resolve made in it (what the routes of that time named) twice over: the next
// generation starts a lineage with an empty record, and a resolution made in another lineage is
// not patched but made afresh (engine/resolve.ts), which looks up every key again. The cost, one
// full resolve, comes after at least as many new keys as the lineage started with.

import type { KeyLookup } from '../routes/backends.js';

/** Keys a lineage never ends for: below this many, its record is too small to be worth a full resolve. */
const RECORD_FLOOR = 1024;

/** The keys looked up in one lineage of generations, and how many it may hold before it ends. */
class LookedUpKeys {
  readonly keys = new Set<string>();
  /** Set after the first resolve made in the lineage (LookupGeneration.settle). */
  bound: number | undefined;
}

/** A lookup Map's generation (see the file comment); compared by identity. */
export class LookupGeneration {
  /** @param record keys looked up, found or not, in this generation and every one before it in its lineage */
  private constructor(private readonly record: LookedUpKeys) {}

  /** The first generation of a new lineage. */
  static first(): LookupGeneration {
    return new LookupGeneration(new LookedUpKeys());
  }

  /** What all generations of one lineage share, and no other does: compared by identity. */
  get lineage(): object {
    return this.record;
  }

  /** How many keys this generation's lineage has looked up. */
  get lookedUpCount(): number {
    return this.record.keys.size;
  }

  /** `map`, looked up with every key recorded against this generation. */
  lookup<V>(map: ReadonlyMap<string, V>): KeyLookup<V> {
    const keys = this.record.keys;
    return {
      get: (key: string): V | undefined => {
        keys.add(key);
        return map.get(key);
      },
    };
  }

  /** The generation after this one, for a Map whose values changed: it still knows every key looked up. */
  next(): LookupGeneration {
    return new LookupGeneration(this.record);
  }

  /**
   * This generation for the Map that gained or lost `keys` (and changed nothing else), or the next
   * one when any of them was looked up. (Within one generation a key gained was missed and a key
   * lost was found, so one set of keys serves both.)
   */
  withKeysChanged(keys: Iterable<string>): LookupGeneration {
    for (const key of keys) if (this.record.keys.has(key)) return this.next();
    return this;
  }

  /** Takes the lineage's measure, once: called after each resolve made with this generation. */
  settle(): void {
    this.record.bound ??= 2 * this.record.keys.size + RECORD_FLOOR;
  }

  /** True when the lineage's record has outgrown its bound: its next generation should start a new lineage. */
  overgrown(): boolean {
    return this.record.bound !== undefined && this.record.keys.size > this.record.bound;
  }
}
