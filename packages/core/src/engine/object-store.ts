// The objects of one snapshot list, by `namespace/name`, as an engine holds them between deltas.
// The list it hands out keeps each object's place while the object is replaced (a Map keeps a
// key's insertion position on `set`), so that an edit in place is seen by core's memory as one
// changed position, which it patches rather than recomputing. The list is copied only when it was
// handed out and then changes, never once per delta.
//
// It also says how the list it hands out differs from the one it handed out before, when only
// upserts or only deletes came between (changesSince): the places replaced and how many objects
// were appended, or the places removed.
// The engine's parse then parses those places instead of walking the whole list to find them
// (a slice changed among 40k was a 12 ms walk at 10k Gateways).

/**
 * How one list handed out differs from the one before it: the objects at `replaced` (ascending)
 * are others and `appended` more follow; or the objects at `removed` (ascending, places in the
 * list before) are gone and every other keeps its order.
 */
export type ListChanges =
  | { readonly kind: 'upserted'; readonly replaced: readonly number[]; readonly appended: number }
  | { readonly kind: 'removed'; readonly removed: readonly number[] };

/** The list handed out last, the one handed out before it, and how they differ. */
type Lineage = ListChanges & {
  readonly from: readonly unknown[];
  readonly to: readonly unknown[];
};

/** What changed in the list since it was last handed out, while it is only upserts or only deletes. */
interface Since {
  readonly replaced: Set<number>;
  /** Places in the list handed out, ascending. */
  readonly removed: number[];
}

/** Stands in for the key of an object without a usable name: kept (core reports it), never matched. */
const UNNAMED = '\u0000unnamed#';

export class ObjectStore {
  private readonly byKey = new Map<string, unknown>();
  private unnamed = 0;
  /** The list as last built (undefined after a relist until asked for), and each key's place in it (undefined until needed). */
  private items: unknown[] | undefined;
  private places: Map<string, number> | undefined;
  /** True once `items` was handed out: the next change copies it rather than editing a list a caller holds. */
  private shared = false;
  /** The list last handed out, and what changed since (undefined: a relist, or upserts and deletes mixed). */
  private handedOut: readonly unknown[] | undefined;
  private since: Since | undefined = noChange();
  private lineage: Lineage | undefined;

  /** Adds `object`, or replaces the object with the same key in its place. */
  upsert(object: unknown): void {
    const key = keyOf(object) ?? `${UNNAMED}${this.unnamed++}`;
    const known = this.byKey.has(key);
    this.byKey.set(key, object);
    if (this.items === undefined) return;
    if (known) {
      const at = this.placesOf().get(key)!;
      this.edit(at, 1, object);
      if (this.since?.removed.length === 0) this.since.replaced.add(at);
      else this.since = undefined;
    } else {
      if (this.since?.removed.length !== 0) this.since = undefined;
      this.places?.set(key, this.items.length);
      this.edit(this.items.length, 0, object);
    }
  }

  /** Removes the object `namespace/name` (`name` alone for a cluster-scoped one); false when none was held. */
  delete(namespace: string | undefined, name: string): boolean {
    const key = storeKey(namespace, name);
    if (!this.byKey.has(key)) return false;
    const object = this.byKey.get(key);
    this.byKey.delete(key);
    if (this.items !== undefined) {
      // The list loses one place (building it again from the Map cost ~8 ms per 100k objects);
      // every later place moves, so the places are counted again when next needed.
      const at = this.places?.get(key) ?? this.items.indexOf(object);
      this.noteRemoved(at);
      this.edit(at, 1);
      this.places = undefined;
    }
    return true;
  }

  /** Replaces every object with `objects` (a relist); objects whose key was held keep their place. */
  replaceAll(objects: readonly unknown[]): void {
    const next = new Map<string, unknown>();
    this.unnamed = 0;
    for (const object of objects) next.set(keyOf(object) ?? `${UNNAMED}${this.unnamed++}`, object);
    for (const key of [...this.byKey.keys()]) if (!next.has(key)) this.byKey.delete(key);
    for (const [key, object] of next) this.byKey.set(key, object);
    this.items = undefined;
    this.places = undefined;
    this.since = undefined;
  }

  /** Records that the object at `at` (a place in `items`) goes, as a place in the list handed out. */
  private noteRemoved(at: number): void {
    const since = this.since;
    const handedOut = this.handedOut;
    if (since === undefined || handedOut === undefined || since.replaced.size > 0 || this.items!.length > handedOut.length - since.removed.length) {
      this.since = undefined;
      return;
    }
    // Each place removed before it moved it one place down.
    let place = at;
    let i = 0;
    while (i < since.removed.length && since.removed[i]! <= place) {
      place++;
      i++;
    }
    since.removed.splice(i, 0, place);
  }

  /** The objects as a list, in a stable order; callers must not edit it. */
  list(): readonly unknown[] {
    const before = this.handedOut;
    this.items ??= [...this.byKey.values()];
    this.shared = true;
    if (this.items !== before) {
      this.lineage = before !== undefined && this.since !== undefined ? { from: before, to: this.items, ...changesOf(this.since, before, this.items) } : undefined;
      this.handedOut = this.items;
      this.since = noChange();
    }
    return this.items;
  }

  /** How the list last handed out differs from `before`, when that is the one handed out just before it and only upserts came between; else undefined. */
  changesSince(before: readonly unknown[], after: readonly unknown[]): ListChanges | undefined {
    const lineage = this.lineage;
    return lineage !== undefined && lineage.from === before && lineage.to === after ? lineage : undefined;
  }

  /** Each key's place in `items`, which follows the Map's order (a key keeps its place on `set`, a new one goes last). */
  private placesOf(): Map<string, number> {
    if (this.places === undefined) {
      this.places = new Map();
      let i = 0;
      for (const key of this.byKey.keys()) this.places.set(key, i++);
    }
    return this.places;
  }

  /**
   * Splices `items`, in place unless it was handed out: then into a copy made at its new length
   * (a copy and then a splice into it are two long arrays, ~0.5 ms each past 16k objects: ./list-copies.ts).
   */
  private edit(at: number, deleteCount: number, ...added: unknown[]): void {
    if (!this.shared) this.items!.splice(at, deleteCount, ...added);
    else {
      this.items = this.items!.toSpliced(at, deleteCount, ...added);
      this.shared = false;
    }
  }
}

function noChange(): Since {
  return { replaced: new Set(), removed: [] };
}

function changesOf(since: Since, before: readonly unknown[], after: readonly unknown[]): ListChanges {
  if (since.removed.length > 0) return { kind: 'removed', removed: since.removed };
  // Places past the last list's end were appended since: not "replaced".
  return { kind: 'upserted', replaced: [...since.replaced].filter((at) => at < before.length).sort((a, b) => a - b), appended: after.length - before.length };
}

/** `namespace/name` (or `name` for cluster-scoped objects) of a raw object; undefined without a string name. */
export function keyOf(object: unknown): string | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const metadata = (object as { metadata?: unknown }).metadata;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { namespace, name } = metadata as { namespace?: unknown; name?: unknown };
  if (typeof name !== 'string' || name === '') return undefined;
  return storeKey(typeof namespace === 'string' ? namespace : undefined, name);
}

/** The key an object is held under: `namespace/name`, or `name` when it has no namespace. */
function storeKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
