// Status building (status/build.ts) with an engine's memory: remembered as a whole and per
// Gateway and route. A graph resolved from unchanged objects is the same instances
// (gateway/resolve.ts, gateway/resolved-gateway.ts, routes/route-resolutions.ts), so a status is
// only built again when what it is built from changed, or when it stamped `now` on a condition
// and `now` moved on. When a few Gateways, classes or routes changed, came or went (a route
// edited, a Gateway added or removed with its routes), the last statuses are patched: those
// items' statuses are built and spliced in at their places, without a walk of every item's memo.
// When `now` moved on, the statuses that stamped the last `now` (a change not yet written back)
// are built again in their places the same way, and the others kept.

import type { StatusIntent } from '../model/desired.js';
import type { ResolvedClass, ResolvedGateway, ResolvedGraph, ResolvedListenerSet, ResolvedRoute, RouteFeedback } from '../model/graph.js';
import { compareStrings } from '../model/order.js';
import { sharedEnds } from '../model/shared-ends.js';
import { lowerBound } from '../parse/primitives.js';
import { recallFor, recallOrPatch, ScratchInputs, type MemoByObject, type MemoSlot } from './memo.js';
import type { ReconcileOptions } from '../model/options.js';
import { PatchedMap } from './patched-map.js';
import { Pieces } from './list-copies.js';
import {
  classStatus,
  feedbackByRoute,
  gatewayStatus,
  listenerSetsByKey,
  listenerSetStatus,
  PURE_STATUS_STEPS,
  statusAddressesOf,
  statusesOf,
  type Clock,
  type StatusSteps,
} from '../status/build.js';

/** What status building remembers between calls for one cluster (an engine's). */
export interface StatusMemory {
  readonly whole: MemoSlot<RememberedStatuses>;
  readonly gateways: MemoByObject<ResolvedGateway, Stamped<StatusIntent>>;
  readonly routes: MemoByObject<ResolvedRoute, Stamped<StatusIntent>>;
  readonly assigned: MemoSlot<AddressCounts>;
  readonly gatewayInputs: ScratchInputs;
  readonly routeInputs: ScratchInputs;
}

/** An empty StatusMemory. */
export function statusMemory(): StatusMemory {
  return { whole: {}, gateways: new WeakMap(), routes: new WeakMap(), assigned: {}, gatewayInputs: new ScratchInputs(), routeInputs: new ScratchInputs() };
}

/** `buildStatuses(graph, feedback, options)`, remembering its work in `memory`. */
export function rememberingStatuses(graph: ResolvedGraph, feedback: readonly RouteFeedback[], options: ReconcileOptions, memory: StatusMemory): StatusIntent[] {
  // The Gateways and routes whose status stamps `now` this time, as the steps build or recall them.
  const stampedItems = new Set<object>();
  const steps = rememberingSteps(memory, stampedItems);
  const inputs = statusInputs(graph, feedback, options);
  inputs.push(nowInput(memory.whole.last?.result, options.now));
  const result = recallOrPatch<RememberedStatuses>(
    memory.whole,
    inputs,
    (lastInputs, last) => withItemsChanged({ lastInputs, last, inputs, graph, feedback, options, steps, memory, stampedItems }),
    () => ({ ...stampedBy(options.now, (clock) => statusesOf(graph, feedback, options.controllerName, clock, steps)), now: options.now, stampedItems }),
  );
  return result.value;
}

/** The per-item steps of status building, remembered in `memory`; each Gateway and route whose status stamps `now` goes into `stamped`. */
function rememberingSteps(memory: StatusMemory, stamped: Set<object>): StatusSteps {
  return {
    assignedAddresses: (addresses) => rememberedAssigned(addresses, memory),
    // Per resolved Gateway with the addresses it lists.
    gatewayIntent: (g, assigned, clock) => {
      const addresses = statusAddressesOf(g, assigned);
      const inputs = memory.gatewayInputs.start();
      inputs.push(addresses.length, ...addresses);
      return recallStampedFor(memory.gateways, g, inputs, clock, (c) => gatewayStatus(g, addresses, c), stamped);
    },
    // Per resolved route with its feedback (by value) and our controller name.
    routeIntent: (r, own, controllerName, clock) => {
      const inputs = memory.routeInputs.start();
      inputs.push(controllerName, own.length);
      for (const f of own) inputs.push(f.gateway, f.condition, f.reason, f.message);
      return recallStampedFor(memory.routes, r, inputs, clock, (c) => PURE_STATUS_STEPS.routeIntent(r, own, controllerName, c), stamped);
    },
  };
}

// ---- The assigned addresses, patched when a few Gateways' entries came or went ----

type AddressEntries = ResolvedGraph['addresses'];

/**
 * How many entries of an address list hold each address: what the assigned addresses are
 * (`has`), kept as counts so that an entry gone tells whether another still holds its address.
 */
type AddressCounts = ReadonlyMap<string, number>;

/** Past this many address entries come or gone, counting them all again is as cheap. */
const MAX_PATCHED_ENTRIES = 128;

/** The assigned addresses of `addresses`, remembered, and patched from the last ones when a few entries differ. */
function rememberedAssigned(addresses: AddressEntries, memory: StatusMemory): AddressCounts {
  return recallOrPatch(
    memory.assigned,
    [addresses],
    (lastInputs, counts) => countsAfter(counts, entriesBetweenEnds(lastInputs[0] as AddressEntries, addresses)),
    () => addressCounts(addresses),
  );
}

function addressCounts(addresses: AddressEntries): AddressCounts {
  const counts = new Map<string, number>();
  for (const { address } of addresses) counts.set(address, (counts.get(address) ?? 0) + 1);
  return counts;
}

/** The entries of `last` and `next` between their shared ends (the address list follows the Gateways' order), or undefined when many. */
function entriesBetweenEnds(last: AddressEntries, next: AddressEntries): { readonly gone: AddressEntries; readonly added: AddressEntries } | undefined {
  const { prefix, suffix } = sharedEnds(last, next);
  if (last.length + next.length - 2 * (prefix + suffix) > MAX_PATCHED_ENTRIES) return undefined;
  return { gone: last.slice(prefix, last.length - suffix), added: next.slice(prefix, next.length - suffix) };
}

/** `counts` with the entries `change.gone` taken out and `change.added` put in. */
function countsAfter(counts: AddressCounts, change: ReturnType<typeof entriesBetweenEnds>): AddressCounts | undefined {
  if (change === undefined) return undefined;
  const touched = new Map<string, number>();
  const add = (address: string, by: number): void => void touched.set(address, (touched.get(address) ?? counts.get(address) ?? 0) + by);
  for (const { address } of change.gone) add(address, -1);
  for (const { address } of change.added) add(address, 1);
  const replaced = new Map<string, number>();
  const appended = new Map<string, number>();
  const removed: string[] = [];
  for (const [address, count] of touched) {
    if (count > 0) (counts.has(address) ? replaced : appended).set(address, count);
    else if (counts.has(address)) removed.push(address);
  }
  return PatchedMap.changed(counts, { replaced, removed, appended });
}

/**
 * The addresses assigned before the last statuses or now but not both: a Gateway that is not
 * Accepted lists its addresses but those assigned (statusAddressesOf), so its status changes
 * with them. Undefined when the assignments cannot be compared cheaply.
 */
function addressesReassigned(lastAddresses: AddressEntries, addresses: AddressEntries, memory: StatusMemory): ReadonlySet<string> | undefined {
  if (lastAddresses === addresses) return new Set();
  const remembered = memory.assigned.last;
  // The counts of the last statuses' addresses: rememberedAssigned keeps those of its last call.
  if (remembered === undefined || remembered.inputs[0] !== lastAddresses) return undefined;
  const before = remembered.result;
  const change = entriesBetweenEnds(lastAddresses, addresses);
  if (change === undefined) return undefined;
  const after = rememberedAssigned(addresses, memory);
  const reassigned = new Set<string>();
  for (const { address } of [...change.gone, ...change.added]) if (before.has(address) !== after.has(address)) reassigned.add(address);
  return reassigned;
}

// ---- Patching the last statuses ----

/** The whole result: the statuses, whether `now` went into them, and what a patch of them needs. */
interface RememberedStatuses extends Stamped<StatusIntent[]> {
  /** The `now` they were built with: when stamped, they hold for that `now` alone. */
  readonly now: string;
  /**
   * The Gateways and routes whose status holds that `now`: when `now` moves, a patch builds them
   * again (and every class and ListenerSet status, which are few and not told apart) and keeps
   * the rest. A controller's `now` moves on every reconcile, and the one after a change finds
   * the statuses it stamped not yet written back.
   */
  readonly stampedItems: ReadonlySet<object>;
  /** The ListenerSets whose statuses follow the classes', by key; undefined until a patch needed them. */
  readonly listenerSets?: readonly ResolvedListenerSet[];
  /** The Gateways not Accepted (their statuses read the assigned addresses); undefined until a patch needed them. */
  readonly unaccepted?: readonly ResolvedGateway[];
}

/** Past this many Gateways, classes, ListenerSets and routes changed, building every status again is as cheap. */
const MAX_PATCHED_ITEMS = 64;

/** What withItemsChanged reads. */
interface PatchContext {
  readonly lastInputs: readonly unknown[];
  readonly last: RememberedStatuses;
  readonly inputs: readonly unknown[];
  readonly graph: ResolvedGraph;
  readonly feedback: readonly RouteFeedback[];
  readonly options: ReconcileOptions;
  readonly steps: StatusSteps;
  readonly memory: StatusMemory;
  /** Where the steps record what stamps `now` this time. */
  readonly stampedItems: Set<object>;
}

/** How many more items a patch may build before it declines. */
interface Budget {
  left: number;
}

/**
 * The last statuses with those of a few Gateways, classes, ListenerSets and routes built and
 * spliced in at their places (statusesOf's layout), when only those lists and the assigned
 * addresses changed and everything else read is the same, `now` included if it went into the
 * last statuses. Else undefined.
 */
function withItemsChanged(c: PatchContext): RememberedStatuses | undefined {
  const { lastInputs, last, inputs, graph, steps } = c;
  if (lastInputs.length !== inputs.length) return undefined;
  // The last input stands for `now` as it was before the last statuses were built; what they
  // hold is told by `last` itself.
  const nowAt = inputs.length - 1;
  for (let i = 0; i < nowAt; i++) if (!LIST_INPUTS.has(i) && lastInputs[i] !== inputs[i]) return undefined;
  // `now` moved on since statuses that hold it: those are built again, the others kept.
  const moved = last.stamped && last.now !== c.options.now;
  const stale = (item: object): boolean => moved && last.stampedItems.has(item);
  const lastGateways = lastInputs[GATEWAYS_INPUT] as readonly ResolvedGateway[];
  const lastClasses = lastInputs[CLASSES_INPUT] as readonly ResolvedClass[];
  const lastRoutes = lastInputs[ROUTES_INPUT] as readonly ResolvedRoute[];
  const reassigned = addressesReassigned(lastInputs[ADDRESSES_INPUT] as AddressEntries, graph.addresses, c.memory);
  if (reassigned === undefined) return undefined;
  // What was reused may hold `now` (then the inputs say it did not move).
  const clock: Clock = { now: c.options.now, used: last.stamped && !moved };
  const budget: Budget = { left: MAX_PATCHED_ITEMS };
  const assigned = steps.assignedAddresses(graph.addresses);
  const feedbackOf = feedbackByRoute(c.feedback);
  const value = new Pieces<StatusIntent>();
  const gateways = spliceList(lastGateways, last.value, 0, graph.gateways, byKey, (g) => steps.gatewayIntent(g, assigned, clock), value, budget, stale);
  if (gateways === undefined) return undefined;
  const classes = spliceList(lastClasses, last.value, lastGateways.length, graph.classes, byName, (cl) => classStatus(cl, clock), value, budget, () => moved);
  if (classes === undefined) return undefined;
  const setsAt = lastGateways.length + lastClasses.length;
  const setCount = last.value.length - setsAt - lastRoutes.length;
  const sets = spliceListenerSets(last, lastGateways, gateways, setsAt, setCount, clock, value, budget, moved);
  if (sets === undefined) return undefined;
  const routesAt = setsAt + setCount;
  const routes = spliceList(lastRoutes, last.value, routesAt, graph.routes, byKey, (r) => steps.routeIntent(r, feedbackOf(r.key), c.options.controllerName, clock), value, budget, stale);
  if (routes === undefined) return undefined;
  const statuses = value.joined();
  let unaccepted = unacceptedAfter(last.unaccepted, gateways);
  if (reassigned.size > 0) {
    unaccepted ??= graph.gateways.filter((g) => !g.accepted);
    if (!rebuildReassigned(unaccepted, reassigned, graph.gateways, (g) => steps.gatewayIntent(g, assigned, clock), statuses, budget)) return undefined;
  }
  // What stamps `now` now: what the steps built or recalled stamping, and, while `now` is the
  // same, what was kept holding it.
  const stampedItems = c.stampedItems;
  if (!moved) {
    const gone = new Set<object>([...gateways.gone, ...routes.gone]);
    for (const item of last.stampedItems) if (!gone.has(item)) stampedItems.add(item);
  }
  return { value: statuses, stamped: clock.used, now: c.options.now, listenerSets: sets.listenerSets, unaccepted, stampedItems };
}

const byKey = (item: { readonly key: string }): string => item.key;
const byName = (item: ResolvedClass): string => item.class.meta.name;

/** The items of a sorted list a patch took out of the last one and put in. */
interface Splice<T> {
  readonly gone: readonly T[];
  readonly added: readonly T[];
}

/**
 * Appends to `out` the statuses of `next`, reusing those of `lastStatuses` from `from` on (one
 * per item of `last`, in order) for every item `next` still holds, the very same instance (a
 * status is a function of its item and what withItemsChanged checked is unchanged); the others
 * are built. Both lists are sorted by `keyOf`: between their shared ends, a walk by identity
 * tells an item gone from one come or replaced by its key, so the cost is the changed middle's.
 * Undefined when more items changed than `budget` allows.
 */
function spliceList<T extends object>(
  last: readonly T[],
  lastStatuses: readonly StatusIntent[],
  from: number,
  next: readonly T[],
  keyOf: (item: T) => string,
  build: (item: T) => StatusIntent,
  out: Pieces<StatusIntent>,
  budget: Budget,
  stale: (item: T) => boolean,
): Splice<T> | undefined {
  const { prefix, suffix } = sharedEnds(last, next);
  copyKeeping(last, lastStatuses, from, 0, prefix, build, out, budget, stale);
  const gone: T[] = [];
  const added: T[] = [];
  const lastEnd = last.length - suffix;
  const nextEnd = next.length - suffix;
  let i = prefix;
  for (let j = prefix; j < nextEnd; ) {
    const item = next[j]!;
    const was = i < lastEnd ? last[i] : undefined;
    if (was === item) {
      if (!stale(item)) out.add(lastStatuses[from + i]!);
      else if (budget.left-- === 0) return undefined;
      else out.add(build(item));
      i++;
      j++;
      continue;
    }
    if (budget.left-- === 0) return undefined;
    if (was !== undefined && compareStrings(keyOf(was), keyOf(item)) < 0) {
      gone.push(was);
      i++;
      continue;
    }
    added.push(item);
    out.add(build(item));
    if (was !== undefined && keyOf(was) === keyOf(item)) {
      gone.push(was);
      i++;
    }
    j++;
  }
  for (; i < lastEnd; i++) {
    if (budget.left-- === 0) return undefined;
    gone.push(last[i]!);
  }
  if (!copyKeeping(last, lastStatuses, from, lastEnd, last.length, build, out, budget, stale)) return undefined;
  return { gone, added };
}

/**
 * Appends the statuses of `last[start..end)` (kept, the very same items) to `out`: copied in runs,
 * but for the stale ones, built again. False when more are stale than `budget` allows.
 */
function copyKeeping<T>(
  last: readonly T[],
  lastStatuses: readonly StatusIntent[],
  from: number,
  start: number,
  end: number,
  build: (item: T) => StatusIntent,
  out: Pieces<StatusIntent>,
  budget: Budget,
  stale: (item: T) => boolean,
): boolean {
  let run = start;
  for (let i = start; i < end; i++) {
    if (!stale(last[i]!)) continue;
    if (budget.left-- === 0) return false;
    out.copy(lastStatuses, from + run, from + i);
    out.add(build(last[i]!));
    run = i + 1;
  }
  out.copy(lastStatuses, from + run, from + end);
  return true;
}

/**
 * Appends the ListenerSets' statuses to `out`: the last ones when no Gateway that came or went
 * has any, else spliced from the last list (remembered, or worked out of the last Gateways once)
 * into the new one. Undefined to decline.
 */
function spliceListenerSets(
  last: RememberedStatuses,
  lastGateways: readonly ResolvedGateway[],
  gateways: Splice<ResolvedGateway>,
  from: number,
  count: number,
  clock: Clock,
  out: Pieces<StatusIntent>,
  budget: Budget,
  moved: boolean,
): { readonly listenerSets: readonly ResolvedListenerSet[] | undefined } | undefined {
  const hasSets = (g: ResolvedGateway): boolean => g.listenerSets.length > 0;
  if (!moved && !gateways.gone.some(hasSets) && !gateways.added.some(hasSets)) {
    out.copy(last.value, from, from + count);
    return { listenerSets: last.listenerSets };
  }
  const lastSets = last.listenerSets ?? listenerSetsByKey(lastGateways);
  const nextSets = lastSets.length === count ? listenerSetsAfter(lastSets, gateways) : undefined;
  if (nextSets === undefined) return undefined;
  const spliced = spliceList(lastSets, last.value, from, nextSets, byKey, (ls) => listenerSetStatus(ls, clock), out, budget, () => moved);
  return spliced === undefined ? undefined : { listenerSets: nextSets };
}

/**
 * listenerSetsByKey of the new Gateways, from that of the last ones: the ListenerSets of the
 * Gateways gone taken out, those of the Gateways come merged in by key. Undefined when two share
 * a key (their order then follows the Gateways', which a merge does not see) or the ListenerSets
 * gone are not each once in the last list.
 */
function listenerSetsAfter(last: readonly ResolvedListenerSet[], gateways: Splice<ResolvedGateway>): ResolvedListenerSet[] | undefined {
  const goneList = gateways.gone.flatMap((g) => g.listenerSets);
  const gone = new Set(goneList);
  const kept = last.filter((ls) => !gone.has(ls));
  if (gone.size !== goneList.length || kept.length !== last.length - gone.size) return undefined;
  const come = gateways.added.flatMap((g) => g.listenerSets).sort((a, b) => compareStrings(a.key, b.key));
  const merged: ResolvedListenerSet[] = [];
  let k = 0;
  for (const ls of come) {
    while (k < kept.length && compareStrings(kept[k]!.key, ls.key) < 0) merged.push(kept[k++]!);
    merged.push(ls);
  }
  while (k < kept.length) merged.push(kept[k++]!);
  for (let i = 1; i < merged.length; i++) if (merged[i - 1]!.key === merged[i]!.key) return undefined;
  return merged;
}

/** The Gateways not Accepted after a splice, from those before it (when known). */
function unacceptedAfter(last: readonly ResolvedGateway[] | undefined, gateways: Splice<ResolvedGateway>): readonly ResolvedGateway[] | undefined {
  if (last === undefined) return undefined;
  const gone = new Set(gateways.gone.filter((g) => !g.accepted));
  const added = gateways.added.filter((g) => !g.accepted);
  if (gone.size === 0 && added.length === 0) return last;
  return [...last.filter((g) => !gone.has(g)), ...added];
}

/**
 * Builds again, in `out`, the status of every Gateway not Accepted that lists an address
 * reassigned, found by key in the sorted `gateways`. False to decline (too many, or not found).
 */
function rebuildReassigned(
  unaccepted: readonly ResolvedGateway[],
  reassigned: ReadonlySet<string>,
  gateways: readonly ResolvedGateway[],
  build: (g: ResolvedGateway) => StatusIntent,
  out: StatusIntent[],
  budget: Budget,
): boolean {
  for (const g of unaccepted) {
    if (!g.gateway.statusAddresses.some((a) => reassigned.has(a))) continue;
    const at = lowerBound(gateways, (other) => compareStrings(other.key, g.key) < 0);
    if (gateways[at] !== g || budget.left-- === 0) return false;
    out[at] = build(g);
  }
  return true;
}

/** A result and whether `now` went into it. */
interface Stamped<T> {
  readonly value: T;
  readonly stamped: boolean;
}

/** Stands for `now` in the inputs while the remembered result does not contain it. */
const NOW_UNUSED = Symbol('now unused');

// `now` moves on every reconcile of a controller, but a converged cluster's statuses stamp
// nothing, so `now` is an input only of a result that contains it: appended last, as `now` when
// the remembered result was stamped and NOW_UNUSED otherwise, it makes the inputs match only when
// the remembered result did not use it (NOW_UNUSED both times) or used the very same `now` (the
// inputs it was built from then ended with that `now` too). Anything else computes afresh.

/** The last input of a result that may contain `now` (see above), given the one remembered. */
function nowInput(remembered: Stamped<unknown> | undefined, now: string): unknown {
  return remembered?.stamped === true ? now : NOW_UNUSED;
}

/** `recallFor` of a result that may contain `now` (see above); a stamp is reported to `clock`, and its key put in `stamped`. */
function recallStampedFor<K extends object, T>(
  memo: MemoByObject<K, Stamped<T>>,
  key: K,
  inputs: unknown[],
  clock: Clock,
  build: (clock: Clock) => T,
  stamped: Set<object>,
): T {
  inputs.push(nowInput(memo.get(key)?.result, clock.now));
  const result = recallFor(memo, key, inputs, () => stampedBy(clock.now, build));
  if (result.stamped) {
    clock.used = true;
    stamped.add(key);
  }
  return result.value;
}

/** What `build` gives with a clock of its own, and whether it stamped `now`. */
function stampedBy<T>(now: string, build: (clock: Clock) => T): Stamped<T> {
  const own: Clock = { now, used: false };
  const value = build(own);
  return { value, stamped: own.used };
}

/**
 * Everything statusesOf reads: the graph's lists (everything in them is read-only; the
 * ListenerSets are the Gateways'), the feedback by value (today a function of the graph and
 * options, listed so that a dataplane that comes to read more stays covered) and the controller
 * name.
 */
function statusInputs(graph: ResolvedGraph, feedback: readonly RouteFeedback[], options: ReconcileOptions): unknown[] {
  const inputs: unknown[] = [graph.gateways, graph.routes, graph.classes, graph.addresses, options.controllerName, feedback.length];
  for (const f of feedback) inputs.push(f.route, f.gateway, f.condition, f.reason, f.message);
  return inputs;
}

/** Where statusInputs puts the graph's lists, which withItemsChanged compares item by item. */
const GATEWAYS_INPUT = 0;
const ROUTES_INPUT = 1;
const CLASSES_INPUT = 2;
const ADDRESSES_INPUT = 3;
const LIST_INPUTS: ReadonlySet<number> = new Set([GATEWAYS_INPUT, ROUTES_INPUT, CLASSES_INPUT, ADDRESSES_INPUT]);
