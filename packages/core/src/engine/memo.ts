// The one mechanism an engine remembers with: a result is kept with the inputs it was computed
// from, flattened into a list, and reused only when the next inputs are the very same values and
// instances (objects compared by identity). What is remembered, and where:
// - parse results per raw object (./parse-cache.ts), the de-duplicated lists (./parse.ts);
// - the resolved graph apart from EndpointSlices, the grant and namespace indexes (./resolve.ts);
//   the slice index (./slices.ts); per Gateway its context and resolution (./gateways.ts); per
//   route its attachments, backends and parent drafts (./routes.ts); the address assignment
//   (./addresses.ts, which compares its request list by list itself rather than through this);
// - the statuses, whole and per Gateway and route (./status.ts);
// - the dataplane result (./dataplane.ts), each Gateway's DP1 objects and mirrored endpoints
//   (./endpoints.ts);
// - in plan, the observed index per list, each generated object's comparison and the writes
//   (./plan.ts).
// Some results are patched when their inputs changed in a few places (recallOrPatch): the
// de-duplicated lists, the slice index, the resolution after route edits (./routes-changed.ts)
// and after Gateways came, went or changed (./gateways-changed.ts), the DP1 objects
// (./dataplane-patch.ts), the address assignment and the statuses; each patch
// gives what computing afresh gives, or declines. Each is invisible: the result is always what
// the pure rules give, which the property tests check. Every store belongs to one engine's
// memory (./memory.ts); the rules outside this folder never see it.

/** A result and the inputs it was computed from. */
interface Remembered<T> {
  readonly inputs: readonly unknown[];
  readonly result: T;
}

/** Where one computation keeps its last result (a controller reconciles one cluster). */
export interface MemoSlot<T> {
  last?: Remembered<T>;
}

/** The slot's result when computed from the same inputs, else `compute()`, remembered. */
export function recall<T>(slot: MemoSlot<T> | undefined, inputs: readonly unknown[], compute: () => T): T {
  return recallOrPatch(slot, inputs, NO_PATCH, compute);
}

/**
 * `recall`, and when the inputs changed, a chance to derive the result from the last one:
 * `patch` gets the last inputs and result and returns exactly what `compute` would, or undefined
 * when it cannot tell (then `compute` runs). For results whose inputs are long lists of which
 * one item changed at a time (a parsed list after one watch event).
 */
export function recallOrPatch<T>(
  slot: MemoSlot<T> | undefined,
  inputs: readonly unknown[],
  patch: (lastInputs: readonly unknown[], lastResult: T) => T | undefined,
  compute: () => T,
): T {
  if (slot === undefined) return compute();
  const last = slot.last;
  if (last !== undefined && sameItems(last.inputs, inputs)) return last.result;
  const kept = compact(inputs);
  const result = (last !== undefined ? patch(last.inputs, last.result) : undefined) ?? compute();
  slot.last = { inputs: kept, result };
  return result;
}

const NO_PATCH = (): undefined => undefined;

/** Remembered results per object (a WeakMap: a dropped object takes its entry with it). */
export type MemoByObject<K extends object, T> = WeakMap<K, Remembered<T>>;

/** `recall` with one slot per `key`. */
export function recallFor<K extends object, T>(memo: MemoByObject<K, T> | undefined, key: K, inputs: readonly unknown[], compute: () => T): T {
  if (memo === undefined) return compute();
  const last = memo.get(key);
  if (last !== undefined && sameItems(last.inputs, inputs)) return last.result;
  const kept = compact(inputs);
  const result = compute();
  memo.set(key, { inputs: kept, result });
  return result;
}

/**
 * The inputs as kept: a copy of exactly their length, taken before `compute` runs. Inputs are
 * built with push, which leaves spare room in an array's storage (at 50k Gateways some 600k input
 * lists are remembered), and a caller may pass a scratch array it refills on every call
 * (`scratch`), which saves allocating one on every lookup of a hot path.
 */
function compact(inputs: readonly unknown[]): readonly unknown[] {
  return inputs.slice();
}

/**
 * A reusable inputs list for one call site on a hot path: `start()` empties it for the caller to
 * fill; recall and recallFor keep a copy, never the list itself. Only for a site whose `compute`
 * cannot come back to the same site before it returns.
 */
export class ScratchInputs {
  private readonly items: unknown[] = [];

  start(): unknown[] {
    this.items.length = 0;
    return this.items;
  }
}

/** The inputs of a result that depends on its key alone. */
export const NO_INPUTS: readonly unknown[] = Object.freeze([]);

/** True when both lists hold the very same items (by identity) in the same order. */
export function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
