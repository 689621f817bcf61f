// Core remembers work between reconciles, keyed by object identity, and reuses it only when
// everything it was computed from is the very same values and instances:
// - parse results per raw object, and per list while it holds the very same objects
//   (parse/cache.ts); de-duplicated lists (parse/snapshot.ts);
// - the resolved graph apart from EndpointSlices, the slice, grant and namespace indexes
//   (gateway/resolve.ts); per Gateway its context (gateway/gateway-context.ts) and its
//   resolution (gateway/resolved-gateway.ts); per route its attachments, backends and parent
//   drafts (routes/route-resolutions.ts); the address assignment (gateway/addresses.ts);
// - the statuses, whole and per Gateway and route (status/build.ts);
// - the dataplane result (dataplane/realise.ts), each Gateway's DP1 objects
//   (dataplane/endpoints.ts) and mirrored endpoints (dataplane/mirror.ts);
// - in plan, the observed index per list (plan/observed.ts), each generated object's comparison
//   and the status writes (plan/plan.ts).
// Each is invisible: the result is always what a call without memory would give. All but the
// per-object parse results are one mechanism, below: a result is remembered with its inputs,
// flattened into a list, and reused when the next inputs are the same values and instances.
// Some results are patched when their inputs changed in a few places (recallOrPatch): the
// de-duplicated lists, the slice index, the resolution after route edits, the DP1 objects and the
// statuses; each patch gives what computing afresh gives, or declines.
// The memory is explicit: every store belongs to a memory object that the engine creates for one
// cluster (engine/), and the functions that remember take it as an argument. Given `undefined`
// they compute afresh and keep nothing, which is what the pure `reconcile` and `plan` do, and
// what the property tests compare the engine with.

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
