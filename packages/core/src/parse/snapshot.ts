import type { Diagnostic } from '../model/desired.js';
import type { Snapshot } from '../model/snapshot.js';
import type {
  ParsedConfigMap,
  ParsedEndpointSlice,
  ParsedGateway,
  ParsedGatewayClass,
  ParsedListenerSet,
  ParsedNamespace,
  ParsedReferenceGrant,
  ParsedRoute,
  ParsedService,
} from '../model/parsed.js';
import { GATEWAY_VERSIONS, ROUTE_VERSIONS } from './api.js';
import { parseGateway } from './gateway.js';
import { parseGatewayClass } from './gateway-class.js';
import { parseListenerSet } from './listener-set.js';
import { parseConfigMap, parseEndpointSlice, parseNamespace, parseService } from './core-objects.js';
import { parseReferenceGrant } from './reference-grant.js';
import { parseRoute } from './route.js';
import { compareStrings } from '../model/order.js';
import { field, isRecord, lowerBound, record } from './primitives.js';
import { ENDPOINTSLICE_MANAGED_BY_VALUE, LABEL_ENDPOINTSLICE_MANAGED_BY } from '../model/labels.js';
import { cachedParser, plainParser, type CachedParser, type KeyedParse } from './cache.js';
import type { DiagnosticSink } from './meta.js';
import { recall, recallOrPatch, type MemoSlot } from '../model/memory.js';
import { PatchedMap } from './patched-map.js';
import { LookupGeneration } from './lookup-generation.js';
import { sharedEnds } from '../model/shared-ends.js';

const byName = (x: { readonly meta: { readonly name: string } }): string => x.meta.name;
const byNamespacedName = (x: { readonly meta: { readonly namespace: string; readonly name: string } }): string =>
  `${x.meta.namespace}/${x.meta.name}`;

/** How a parser of one kind is made: remembering its results per raw object (./cache.ts), or not. */
type ParserFactory = <T>(parse: (raw: unknown, sink: DiagnosticSink) => T | undefined, keyOf: (parsed: T) => string) => CachedParser<T>;

/** One parser per list of the snapshot. */
function parsers(make: ParserFactory) {
  return {
    gatewayClasses: make(parseGatewayClass, byName),
    gateways: make(parseGateway, byNamespacedName),
    listenerSets: make(parseListenerSet, byNamespacedName),
    tcpRoutes: make((raw, sink) => parseRoute(raw, 'TCPRoute', sink), byNamespacedName),
    udpRoutes: make((raw, sink) => parseRoute(raw, 'UDPRoute', sink), byNamespacedName),
    referenceGrants: make(parseReferenceGrant, byNamespacedName),
    namespaces: make(parseNamespace, (n) => n.name),
    services: make(parseService, byNamespacedName),
    // Slices l4gw manages mirror its own Services and never back a route: not read (half of a
    // converged cluster's slices). `plan` compares them from the observed snapshot itself.
    endpointSlices: make((raw, sink) => (isManagedByL4gw(raw) ? undefined : parseEndpointSlice(raw, sink)), byNamespacedName),
    configMaps: make(parseConfigMap, byNamespacedName),
  };
}

type Parsers = ReturnType<typeof parsers>;

/** Parsers that remember nothing, for the pure reconcile: stateless, so one set serves every call. */
const PLAIN_PARSERS: Parsers = parsers(plainParser);

/**
 * What parsing remembers between calls for one cluster (an engine's): each parser's results per
 * raw object, and the last de-duplication of each list with the parses it was made from. Parses
 * are the same instances while their objects are unchanged (./cache.ts), so a list whose objects
 * are all unchanged, in the same order, gives the same result without building its Map and
 * sorting its keys again: on most watch events, every list but the one that changed.
 */
export interface ParseMemory {
  readonly parsers: Parsers;
  readonly lists: {
    readonly gatewayClasses: MemoSlot<Keyed<ParsedGatewayClass>>;
    readonly gateways: MemoSlot<Keyed<ParsedGateway>>;
    readonly listenerSets: MemoSlot<Keyed<ParsedListenerSet>>;
    readonly tcpRoutes: MemoSlot<Keyed<ParsedRoute>>;
    readonly udpRoutes: MemoSlot<Keyed<ParsedRoute>>;
    readonly referenceGrants: MemoSlot<Keyed<ParsedReferenceGrant>>;
    readonly namespaces: MemoSlot<Keyed<ParsedNamespace>>;
    readonly services: MemoSlot<Keyed<ParsedService>>;
    readonly endpointSlices: MemoSlot<Keyed<ParsedEndpointSlice>>;
    readonly configMaps: MemoSlot<Keyed<ParsedConfigMap>>;
    readonly routes: MemoSlot<ParsedRoute[]>;
  };
}

/** An empty ParseMemory. */
export function parseMemory(): ParseMemory {
  return {
    parsers: parsers(cachedParser),
    lists: {
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
      routes: {},
    },
  };
}

/**
 * Every input, parsed and de-duplicated by identity. Classes, Gateways, ListenerSets, routes,
 * grants and namespaces are sorted by `namespace/name`; Services, EndpointSlices and ConfigMaps, which are
 * only looked up (100k of each at 50k Gateways), keep input order: never iterate them into output
 * without sorting.
 */
export interface ParsedSnapshot {
  readonly classes: readonly ParsedGatewayClass[];
  readonly gateways: readonly ParsedGateway[];
  readonly listenerSets: readonly ParsedListenerSet[];
  /** TCPRoutes then UDPRoutes, each sorted by `namespace/name`. */
  readonly routes: readonly ParsedRoute[];
  readonly referenceGrants: readonly ParsedReferenceGrant[];
  readonly namespaces: readonly ParsedNamespace[];
  readonly services: readonly ParsedService[];
  /** Every EndpointSlice except those l4gw manages (they mirror l4gw's own Services, DP1). */
  readonly endpointSlices: readonly ParsedEndpointSlice[];
  readonly configMaps: readonly ParsedConfigMap[];
  /** The same objects by `namespace/name`, for lookups: iteration order follows the input, so iterate the lists. */
  readonly servicesByKey: ReadonlyMap<string, ParsedService>;
  /** Stands for `servicesByKey` in what is remembered from lookups in it (./lookup-generation.ts). */
  readonly servicesGeneration: LookupGeneration;
  readonly endpointSlicesByKey: ReadonlyMap<string, ParsedEndpointSlice>;
  readonly configMapsByKey: ReadonlyMap<string, ParsedConfigMap>;
  readonly crdBundleVersions: Readonly<Record<string, string>>;
  /** IP8: the snapshot's `heldBackAddresses` that are strings, as given (the same instance when all are). */
  readonly heldBackAddresses: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Parses every list of the snapshot at the boundary. Malformed objects become diagnostics.
 * When the same object appears twice (a route read as both v1 and v1alpha2, say), one copy is
 * kept by a rule that does not depend on list order: preferred apiVersion first (RT1), then the
 * larger resourceVersion, then the larger serialisation.
 */
export function parseSnapshot(snapshot: Snapshot, memory?: ParseMemory): ParsedSnapshot {
  const sink: Diagnostic[] = [];
  const parse = memory?.parsers ?? PLAIN_PARSERS;
  const memos = memory?.lists;
  const s: Partial<Record<keyof Snapshot, unknown>> = isRecord(snapshot) ? snapshot : {};
  const list = (key: keyof Snapshot): readonly unknown[] => {
    const v = s[key];
    return Array.isArray(v) ? v : [];
  };
  const classes = dedupe(
    memos?.gatewayClasses,
    parse.gatewayClasses.list(list('gatewayClasses'), sink),
    (c) => versionRank(GATEWAY_VERSIONS, c.apiVersion),
    (c) => c.raw,
    (c) => c.meta.resourceVersion,
  ).list;
  const gateways = dedupe(
    memos?.gateways,
    parse.gateways.list(list('gateways'), sink),
    (g) => versionRank(GATEWAY_VERSIONS, g.apiVersion),
    (g) => g.raw,
    (g) => g.meta.resourceVersion,
  ).list;
  const listenerSets = dedupe(
    memos?.listenerSets,
    parse.listenerSets.list(list('listenerSets'), sink),
    (l) => versionRank(GATEWAY_VERSIONS, l.apiVersion),
    (l) => l.raw,
    (l) => l.meta.resourceVersion,
  ).list;
  const routesOf = (key: 'tcpRoutes' | 'udpRoutes'): ParsedRoute[] =>
    dedupe(
      memos?.[key],
      parse[key].list(list(key), sink),
      (r) => versionRank(ROUTE_VERSIONS, r.apiVersion),
      (r) => r,
      (r) => r.meta.resourceVersion,
    ).list;
  const referenceGrants = dedupe(
    memos?.referenceGrants,
    parse.referenceGrants.list(list('referenceGrants'), sink),
    () => 0,
    (g) => g,
    (g) => g.meta.resourceVersion,
  ).list;
  const services = dedupe(
    memos?.services,
    parse.services.list(list('services'), sink),
    () => 0,
    (x) => x.raw,
    (x) => x.meta.resourceVersion,
    false,
  );
  const endpointSlices = dedupe(
    memos?.endpointSlices,
    parse.endpointSlices.list(list('endpointSlices'), sink),
    () => 0,
    (x) => x.raw,
    (x) => x.meta.resourceVersion,
    false,
  );
  const configMaps = dedupe(
    memos?.configMaps,
    parse.configMaps.list(list('configMaps'), sink),
    () => 0,
    (x) => x,
    (x) => x.meta.resourceVersion,
    false,
  );
  const crd: Record<string, string> = {};
  const rawCrd = s.crdBundleVersions;
  if (isRecord(rawCrd)) {
    for (const key of Object.keys(rawCrd).sort(compareStrings)) {
      const v = rawCrd[key];
      if (typeof v === 'string' && key !== '__proto__') crd[key] = v;
    }
  }
  return {
    classes,
    gateways,
    listenerSets,
    routes: allRoutes(memos?.routes, routesOf('tcpRoutes'), routesOf('udpRoutes')),
    referenceGrants,
    namespaces: dedupe(
      memos?.namespaces,
      parse.namespaces.list(list('namespaces'), sink),
      () => 0,
      (n) => n,
      () => '',
    ).list,
    services: services.list,
    endpointSlices: endpointSlices.list,
    configMaps: configMaps.list,
    servicesByKey: services.byKey,
    servicesGeneration: services.generation,
    endpointSlicesByKey: endpointSlices.byKey,
    configMapsByKey: configMaps.byKey,
    crdBundleVersions: crd,
    heldBackAddresses: heldBackAddresses(s.heldBackAddresses),
    diagnostics: sink.sort(compareDiagnostics),
  };
}

const NO_HELD_BACK: readonly string[] = Object.freeze([]);

/**
 * IP8: the given list when every entry is a string, so an unchanged list stays the same instance
 * (IPAM's memory compares it by identity); strings only otherwise.
 */
function heldBackAddresses(raw: unknown): readonly string[] {
  if (!Array.isArray(raw) || raw.length === 0) return NO_HELD_BACK;
  return raw.every((a) => typeof a === 'string') ? (raw as readonly string[]) : raw.filter((a): a is string => typeof a === 'string');
}

/** An EndpointSlice that l4gw mirrors (DP1), told by its managed-by label without parsing it. */
function isManagedByL4gw(raw: unknown): boolean {
  return field(record(record(raw, 'metadata'), 'labels'), LABEL_ENDPOINTSLICE_MANAGED_BY) === ENDPOINTSLICE_MANAGED_BY_VALUE;
}

function versionRank(preferred: readonly string[], apiVersion: string): number {
  const i = preferred.indexOf(apiVersion);
  return i === -1 ? preferred.length : i;
}

/** A de-duplicated list sorted by key, and the same items by key. */
interface Keyed<T> {
  readonly list: T[];
  readonly byKey: ReadonlyMap<string, T>;
  /**
   * How to find an item's place in `list` without searching it, when no two items shared a key
   * (else undefined): the sorted keys of a sorted list, or for each item the index of its value
   * in an unsorted one (-1 for an item that did not parse).
   */
  readonly places?: { readonly sortedKeys: readonly string[] } | { readonly slots: Int32Array };
  /** The same while `byKey` only gained keys no lookup missed, or lost keys no lookup found (./lookup-generation.ts). */
  readonly generation: LookupGeneration;
}

/** TCPRoutes then UDPRoutes: the same list while both are (so that what is resolved from it can be remembered too). */
function allRoutes(memo: MemoSlot<ParsedRoute[]> | undefined, tcp: readonly ParsedRoute[], udp: readonly ParsedRoute[]): ParsedRoute[] {
  return recall(memo, [tcp, udp], () => [...tcp, ...udp]);
}

/** Keeps one item per key, chosen independently of input order, and sorts by key unless told not to. */
function dedupe<T>(
  memo: MemoSlot<Keyed<T>> | undefined,
  items: readonly (KeyedParse<T> | undefined)[],
  rank: (t: T) => number,
  content: (t: T) => unknown,
  resourceVersion: (t: T) => string,
  sorted = true,
): Keyed<T> {
  return recallOrPatch(
    memo,
    items,
    (lastItems, last) => withValuesReplaced(lastItems as typeof items, last, items) ?? withItemsAddedOrRemoved(lastItems as typeof items, last, items, sorted),
    () => dedupeNow(items, rank, content, resourceVersion, sorted),
  );
}

/** Patching stops paying off past this many changed items: sorting again is as cheap. */
const MAX_PATCHED_ITEMS = 64;

/**
 * The last de-duplication, patched, when `items` are the last items with a few replaced by an
 * item of the same key (objects edited in place, the commonest watch event) and no two items
 * shared a key: each key's only item is its value, and every key keeps its place. Else undefined.
 */
function withValuesReplaced<T>(lastItems: readonly (KeyedParse<T> | undefined)[], last: Keyed<T>, items: readonly (KeyedParse<T> | undefined)[]): Keyed<T> | undefined {
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
  return { list, byKey: PatchedMap.of(last.byKey, replaced), places, generation: new LookupGeneration() };
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
  last: Keyed<T>,
  items: readonly (KeyedParse<T> | undefined)[],
  sorted: boolean,
): Keyed<T> | undefined {
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
  const generation = appending ? last.generation.withKeysAdded(keys.keys()) : last.generation.withKeysRemoved(keys.keys());
  if ('sortedKeys' in places) {
    const sortedKeys = places.sortedKeys.slice();
    const list = last.list.slice();
    // Sorted keys are ascending by UTF-16 code units (Array.prototype.sort), as `<` compares.
    for (const [key, value] of keys) {
      const at = lowerBound(sortedKeys, (k) => k < key);
      if (appending) {
        sortedKeys.splice(at, 0, key);
        list.splice(at, 0, value);
      } else {
        sortedKeys.splice(at, 1);
        list.splice(at, 1);
      }
    }
    return { list, byKey, places: { sortedKeys }, generation };
  }
  if (sorted) return undefined;
  // Unsorted: values in item order, each item's place the count of parsed items before it.
  const slots = new Int32Array(items.length);
  let next = 0;
  for (let i = 0; i < items.length; i++) slots[i] = items[i] === undefined ? -1 : next++;
  let list: T[];
  if (appending) list = [...last.list, ...keys.values()];
  else {
    const start = countParsed(places.slots, prefix);
    list = [...last.list.slice(0, start), ...last.list.slice(start + keys.size)];
  }
  return { list, byKey, places: { slots }, generation };
}

/** How many of the first `count` items parsed, from their slots (-1 for one that did not). */
function countParsed(slots: Int32Array, count: number): number {
  for (let i = count - 1; i >= 0; i--) if (slots[i]! >= 0) return slots[i]! + 1;
  return 0;
}


function dedupeNow<T>(
  items: readonly (KeyedParse<T> | undefined)[],
  rank: (t: T) => number,
  content: (t: T) => unknown,
  resourceVersion: (t: T) => string,
  sorted: boolean,
): Keyed<T> {
  const byKey = new Map<string, T>();
  let parsed = 0;
  for (const item of items) {
    if (item === undefined) continue;
    parsed++;
    const other = byKey.get(item.key);
    if (other === undefined || prefer(item.value, other)) byKey.set(item.key, item.value);
  }
  const unique = byKey.size === parsed;
  if (!sorted) {
    // Without repeats, values are in item order: each item's place is the count of parsed items before it.
    const slots = unique ? new Int32Array(items.length) : undefined;
    if (slots !== undefined) for (let i = 0, next = 0; i < items.length; i++) slots[i] = items[i] === undefined ? -1 : next++;
    return { list: [...byKey.values()], byKey, ...(slots !== undefined ? { places: { slots } } : {}), generation: new LookupGeneration() };
  }
  // The default sort compares UTF-16 code units, like compareStrings, without a JS callback per comparison.
  const sortedKeys = [...byKey.keys()].sort();
  const list = sortedKeys.map((k) => byKey.get(k)!);
  return { list, byKey, ...(unique ? { places: { sortedKeys } } : {}), generation: new LookupGeneration() };

  function prefer(a: T, b: T): boolean {
    const r = rank(a) - rank(b);
    if (r !== 0) return r < 0;
    const va = resourceVersion(a);
    const vb = resourceVersion(b);
    if (va !== vb) return va.length !== vb.length ? va.length > vb.length : va > vb;
    return stableJson(content(a)) > stableJson(content(b));
  }
}

function stableJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const ka = `${a.object?.kind ?? ''}/${a.object?.namespace ?? ''}/${a.object?.name ?? ''}/${a.message}`;
  const kb = `${b.object?.kind ?? ''}/${b.object?.namespace ?? ''}/${b.object?.name ?? ''}/${b.message}`;
  return compareStrings(ka, kb);
}
