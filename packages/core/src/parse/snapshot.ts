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
import { field, isRecord, record } from './primitives.js';
import { ENDPOINTSLICE_MANAGED_BY_VALUE, LABEL_ENDPOINTSLICE_MANAGED_BY } from '../model/labels.js';
import { plainParser, type KeyedParse, type KindParser } from './kind-parser.js';
import type { DiagnosticSink } from './meta.js';

const byName = (x: { readonly meta: { readonly name: string } }): string => x.meta.name;
const byNamespacedName = (x: { readonly meta: { readonly namespace: string; readonly name: string } }): string =>
  `${x.meta.namespace}/${x.meta.name}`;

/** How a parser of one kind is made (./kind-parser.ts: plain, or the engine's, which remembers). */
type ParserFactory = <T>(parse: (raw: unknown, sink: DiagnosticSink) => T | undefined, keyOf: (parsed: T) => string) => KindParser<T>;

/** One parser per list of the snapshot. */
export function parsers(make: ParserFactory) {
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

export type Parsers = ReturnType<typeof parsers>;

/** The lists of a snapshot, each parsed by its own parser and de-duplicated on its own. */
export type ListName = keyof Parsers;

/** How one list is de-duplicated: which of two items of one key is kept, and whether the list is sorted. */
export interface DedupeRule<T> {
  readonly rank: (t: T) => number;
  readonly content: (t: T) => unknown;
  readonly resourceVersion: (t: T) => string;
  readonly sorted: boolean;
}

/**
 * The work of parseSnapshot that an engine remembers (engine/parse.ts): the parsers, each list's
 * de-duplication and the joined route list. Each must give what the pure steps give.
 */
export interface ParseSteps {
  readonly parsers: Parsers;
  dedupe<T>(list: ListName, items: readonly (KeyedParse<T> | undefined)[], rule: DedupeRule<T>): Keyed<T>;
  allRoutes(tcp: readonly ParsedRoute[], udp: readonly ParsedRoute[]): ParsedRoute[];
}

/** The steps as the rules define them: stateless, so one set serves every call. */
const PURE_PARSE_STEPS: ParseSteps = Object.freeze({
  parsers: parsers(plainParser),
  dedupe: <T>(_list: ListName, items: readonly (KeyedParse<T> | undefined)[], rule: DedupeRule<T>) => dedupe(items, rule),
  allRoutes,
});

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
export function parseSnapshot(snapshot: Snapshot, steps: ParseSteps = PURE_PARSE_STEPS): ParsedSnapshot {
  const sink: Diagnostic[] = [];
  const parse = steps.parsers;
  const s: Partial<Record<keyof Snapshot, unknown>> = isRecord(snapshot) ? snapshot : {};
  const list = (key: keyof Snapshot): readonly unknown[] => {
    const v = s[key];
    return Array.isArray(v) ? v : [];
  };
  const keyed = <T>(key: ListName & keyof Snapshot, parser: KindParser<T>, rule: DedupeRule<T>): Keyed<T> =>
    steps.dedupe(key, parser.list(list(key), sink), rule);
  const classes = keyed('gatewayClasses', parse.gatewayClasses, sortedRule(GATEWAY_VERSIONS, (c) => c.raw)).list;
  const gateways = keyed('gateways', parse.gateways, sortedRule(GATEWAY_VERSIONS, (g) => g.raw)).list;
  const listenerSets = keyed('listenerSets', parse.listenerSets, sortedRule(GATEWAY_VERSIONS, (l) => l.raw)).list;
  const routesOf = (key: 'tcpRoutes' | 'udpRoutes'): ParsedRoute[] => keyed(key, parse[key], sortedRule(ROUTE_VERSIONS, (r) => r)).list;
  const referenceGrants = keyed('referenceGrants', parse.referenceGrants, { rank: () => 0, content: (g) => g, resourceVersion: (g) => g.meta.resourceVersion, sorted: true }).list;
  const services = keyed('services', parse.services, lookedUpRule((x) => x.raw));
  const endpointSlices = keyed('endpointSlices', parse.endpointSlices, lookedUpRule((x) => x.raw));
  const configMaps = keyed('configMaps', parse.configMaps, lookedUpRule((x) => x));
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
    routes: steps.allRoutes(routesOf('tcpRoutes'), routesOf('udpRoutes')),
    referenceGrants,
    namespaces: keyed('namespaces', parse.namespaces, { rank: () => 0, content: (n) => n, resourceVersion: () => '', sorted: true }).list,
    services: services.list,
    endpointSlices: endpointSlices.list,
    configMaps: configMaps.list,
    servicesByKey: services.byKey,
    endpointSlicesByKey: endpointSlices.byKey,
    configMapsByKey: configMaps.byKey,
    crdBundleVersions: crd,
    heldBackAddresses: heldBackAddresses(s.heldBackAddresses),
    diagnostics: sink.sort(compareDiagnostics),
  };
}

/** A Gateway API list: the preferred apiVersion first (RT1), sorted by key. */
function sortedRule<T extends { readonly apiVersion: string; readonly meta: { readonly resourceVersion: string } }>(
  preferred: readonly string[],
  content: (t: T) => unknown,
): DedupeRule<T> {
  return { rank: (t) => versionRank(preferred, t.apiVersion), content, resourceVersion: (t) => t.meta.resourceVersion, sorted: true };
}

/** A list that is only looked up: kept in input order. */
function lookedUpRule<T extends { readonly meta: { readonly resourceVersion: string } }>(content: (t: T) => unknown): DedupeRule<T> {
  return { rank: () => 0, content, resourceVersion: (t) => t.meta.resourceVersion, sorted: false };
}

const NO_HELD_BACK: readonly string[] = Object.freeze([]);

/**
 * IP8: the given list when every entry is a string, so an unchanged list stays the same instance
 * (an engine compares it by identity); strings only otherwise.
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
export interface Keyed<T> {
  readonly list: T[];
  readonly byKey: ReadonlyMap<string, T>;
  /**
   * How to find an item's place in `list` without searching it, when no two items shared a key
   * (else undefined): the sorted keys of a sorted list, or for each item the index of its value
   * in an unsorted one (-1 for an item that did not parse).
   */
  readonly places?: { readonly sortedKeys: readonly string[] } | { readonly slots: Int32Array };
}

/** TCPRoutes then UDPRoutes, made at its length in one go (a spread grows it a step at a time). */
export function allRoutes(tcp: readonly ParsedRoute[], udp: readonly ParsedRoute[]): ParsedRoute[] {
  return tcp.concat(udp);
}

/** Keeps one item per key, chosen independently of input order, and sorts by key unless told not to. */
export function dedupe<T>(items: readonly (KeyedParse<T> | undefined)[], rule: DedupeRule<T>): Keyed<T> {
  const { rank, content, resourceVersion, sorted } = rule;
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
    return { list: [...byKey.values()], byKey, ...(slots !== undefined ? { places: { slots } } : {}) };
  }
  // The default sort compares UTF-16 code units, like compareStrings, without a JS callback per comparison.
  const sortedKeys = [...byKey.keys()].sort();
  const list = sortedKeys.map((k) => byKey.get(k)!);
  return { list, byKey, ...(unique ? { places: { sortedKeys } } : {}) };

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
