// What an engine remembers of parsing (parse/snapshot.ts) between reconciles of one cluster: each
// parser's results per raw object (./parse-cache.ts), and the last de-duplication of each list
// with the parses it was made from. Parses are the same instances while their objects are
// unchanged, so a list whose objects are all unchanged, in the same order, gives the same result
// without building its Map and sorting its keys again: on most watch events, every list but the
// one that changed. A list that changed in a few places (an object edited, added or removed) is
// patched from the last one; each patch gives what de-duplicating afresh gives, or declines.
//
// It also keeps, beside each de-duplicated list, the generation of its lookup Map
// (./lookup-generation.ts): what stands for the Services Map in what resolution remembers.

import type { ParsedRoute } from '../model/parsed.js';
import type { Snapshot } from '../model/snapshot.js';
import { recall, recallOrPatch, sameItems, type MemoSlot } from './memo.js';
import { sharedEnds } from '../model/shared-ends.js';
import type { KeyedParse } from '../parse/kind-parser.js';
import { lowerBound } from '../parse/primitives.js';
import { allRoutes, dedupe, parsers, parseSnapshot, type DedupeRule, type Keyed, type ListName, type ParsedSnapshot, type ParseSteps } from '../parse/snapshot.js';
import { LookupGeneration } from './lookup-generation.js';
import { cachedParser, type ListHistory } from './parse-cache.js';
import { PatchedMap } from './patched-map.js';
import { edited } from './list-copies.js';

/** A de-duplicated list as remembered: with the generation of its lookup Map. */
interface RememberedList<T> extends Keyed<T> {
  /** The same while `byKey` only gained keys no lookup missed, or lost keys no lookup found (./lookup-generation.ts). */
  readonly generation: LookupGeneration;
}

/** What parsing remembers between calls for one cluster (an engine's). */
export interface ParseMemory {
  readonly steps: ParseSteps;
  readonly lists: Readonly<Record<ListName, MemoSlot<RememberedList<unknown>>>>;
  readonly routes: MemoSlot<ParsedRoute[]>;
}

/** An empty ParseMemory; `history` says how a list differs from the one before it, when its holder knows (./object-store.ts). */
export function parseMemory(history?: ListHistory): ParseMemory {
  const lists: Record<ListName, MemoSlot<RememberedList<unknown>>> = {
    gatewayClasses: {},
    gateways: {},
    listenerSets: {},
    tcpRoutes: {},
    udpRoutes: {},
    referenceGrants: {},
    namespaces: {},
    services: {},
    endpointSlices: {},
    configMaps: {},
  };
  const routes: MemoSlot<ParsedRoute[]> = {};
  const steps: ParseSteps = {
    parsers: parsers((parse, keyOf) => cachedParser(parse, keyOf, history)),
    dedupe: <T>(list: ListName, items: readonly (KeyedParse<T> | undefined)[], rule: DedupeRule<T>) =>
      rememberedDedupe(lists[list] as MemoSlot<RememberedList<T>>, items, rule),
    // The same list while both are, so that what is resolved from it can be remembered too.
    allRoutes: (tcp, udp) => recall(routes, [tcp, udp], () => allRoutes(tcp, udp)),
  };
  return { steps, lists, routes };
}

/** A snapshot parsed, and the generation of its Services Map (what stands for it in what is remembered from lookups in it). */
interface RememberedParse {
  readonly parsed: ParsedSnapshot;
  readonly servicesGeneration: LookupGeneration;
}

/** parseSnapshot, remembering its work in `memory`. */
export function rememberingParse(snapshot: Snapshot, memory: ParseMemory): RememberedParse {
  const parsed = parseSnapshot(snapshot, memory.steps);
  // Parsing just remembered the Services list it handed out.
  const services = memory.lists.services.last!;
  if (!services.result.generation.overgrown()) return { parsed, servicesGeneration: services.result.generation };
  // Its lineage's record of looked-up keys outgrew its bound: a new lineage, remembered with the list (./lookup-generation.ts).
  const servicesGeneration = LookupGeneration.first();
  memory.lists.services.last = { ...services, result: { ...services.result, generation: servicesGeneration } };
  return { parsed, servicesGeneration };
}

function rememberedDedupe<T>(memo: MemoSlot<RememberedList<T>>, items: readonly (KeyedParse<T> | undefined)[], rule: DedupeRule<T>): RememberedList<T> {
  // Remembered by the parsed list's identity: the engine's parsers hand out the same list while
  // nothing in it changed, and a new one otherwise (./parse-cache.ts), so 100k items need not be
  // copied and compared on every reconcile; the patches compare them only when the list is new.
  return recallOrPatch(
    memo,
    [items],
    ([lastItems], last) =>
      // A new list of the very same items (a relist of unchanged objects) is the last result, generation and all.
      sameItems(lastItems as typeof items, items)
        ? last
        : (withValuesReplaced(lastItems as typeof items, last, items) ?? withItemsAddedOrRemoved(lastItems as typeof items, last, items, rule.sorted)),
    // Made afresh, the list keeps its lineage's generation record: patches carry results over it.
    () => ({ ...dedupe(items, rule), generation: memo.last?.result.generation.next() ?? LookupGeneration.first() }),
  );
}

/** Patching stops paying off past this many changed items: sorting again is as cheap. */
const MAX_PATCHED_ITEMS = 64;

/**
 * The last de-duplication, patched, when `items` are the last items with a few replaced by an
 * item of the same key (objects edited in place, the commonest watch event) and no two items
 * shared a key: each key's only item is its value, and every key keeps its place. Else undefined.
 */
function withValuesReplaced<T>(lastItems: readonly (KeyedParse<T> | undefined)[], last: RememberedList<T>, items: readonly (KeyedParse<T> | undefined)[]): RememberedList<T> | undefined {
  const places = last.places;
  if (places === undefined || lastItems.length !== items.length) return undefined;
  const replaced = new Map<string, T>();
  const list = last.list.slice();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const before = lastItems[i];
    if (item === before) continue;
    if (item === undefined || before === undefined || item.key !== before.key || replaced.size === MAX_PATCHED_ITEMS) return undefined;
    replaced.set(item.key, item.value);
    // Sorted keys are ascending by UTF-16 code units (Array.prototype.sort), as `<` compares.
    list['sortedKeys' in places ? lowerBound(places.sortedKeys, (k) => k < item.key) : places.slots[i]!] = item.value;
  }
  return { list, byKey: PatchedMap.of(last.byKey, replaced), places, generation: last.generation.next() };
}

/**
 * The last de-duplication, patched, when `items` are the last items with a few appended (objects
 * added: an engine's lists put a new object last) or with one run of a few removed (objects
 * deleted), and no two items share a key before or after. A removed key's value leaves the list,
 * an appended one goes to its sorted place or last; the lookup Map iterates as a new one would.
 * Else undefined.
 */
function withItemsAddedOrRemoved<T>(
  lastItems: readonly (KeyedParse<T> | undefined)[],
  last: RememberedList<T>,
  items: readonly (KeyedParse<T> | undefined)[],
  sorted: boolean,
): RememberedList<T> | undefined {
  const places = last.places;
  if (places === undefined || lastItems.length === items.length) return undefined;
  const shorter = Math.min(lastItems.length, items.length);
  const { prefix, suffix } = sharedEnds(lastItems, items);
  // What is left between the common start and end: only removed items, or only appended ones.
  if (prefix + suffix !== shorter) return undefined;
  const appending = items.length > lastItems.length;
  if (appending && suffix > 0) return undefined;
  const from = appending ? items : lastItems;
  const changed = from.slice(prefix, from.length - suffix);
  if (changed.length > MAX_PATCHED_ITEMS) return undefined;
  const keys = new Map<string, T>();
  for (const item of changed) {
    if (item === undefined) continue;
    // An appended key already held (or appended twice) is a repeat, which only dedupeNow decides.
    if (keys.has(item.key) || (appending && last.byKey.has(item.key))) return undefined;
    keys.set(item.key, item.value);
  }
  const byKey = PatchedMap.changed(last.byKey, appending ? { appended: keys } : { removed: keys.keys() });
  const generation = last.generation.withKeysChanged(keys.keys());
  if ('sortedKeys' in places) {
    // Each key's place in the last sorted keys, ascending by UTF-16 code units
    // (Array.prototype.sort), as `<` compares; keys that fall between the same two go in key order.
    const at = [...keys.keys()].map((key) => ({ key, at: lowerBound(places.sortedKeys, (k) => k < key) })).sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
    if (!appending) {
      const removed = at.map((p) => p.at);
      return { list: edited(last.list, removed, []), byKey, places: { sortedKeys: edited(places.sortedKeys, removed, []) }, generation };
    }
    const list = edited(last.list, [], at.map((p) => ({ at: p.at, item: keys.get(p.key)! })));
    return { list, byKey, places: { sortedKeys: edited(places.sortedKeys, [], at.map((p) => ({ at: p.at, item: p.key }))) }, generation };
  }
  if (sorted) return undefined;
  // Unsorted: values in item order, each item's place the count of parsed items before it.
  const slots = new Int32Array(items.length);
  let next = 0;
  for (let i = 0; i < items.length; i++) slots[i] = items[i] === undefined ? -1 : next++;
  const list = appending ? last.list.concat([...keys.values()]) : last.list.toSpliced(countParsed(places.slots, prefix), keys.size);
  return { list, byKey, places: { slots }, generation };
}

/** How many of the first `count` items parsed, from their slots (-1 for one that did not). */
function countParsed(slots: Int32Array, count: number): number {
  for (let i = count - 1; i >= 0; i--) if (slots[i]! >= 0) return slots[i]! + 1;
  return 0;
}
