import type { Diagnostic, EventRecord } from '../model/desired.js';
import type {
  AddressAssignment,
  ObjectKey,
  ResolvedClass,
  ResolvedGateway,
  ResolvedGraph,
  ResolvedRoute,
  RouteKey,
  SnapshotIndex,
} from '../model/graph.js';
import type { KubeObject } from '../model/kube.js';
import type { ReconcileOptions } from '../model/options.js';
import type { Snapshot } from '../model/snapshot.js';
import type { ParsedEndpointSlice, ParsedGateway, ParsedNamespace, ParsedReferenceGrant, ParsedRoute, ParsedService } from '../model/parsed.js';
import type { GatewayContext, ListenerSetContext } from '../model/context.js';
import { FINALIZER_GATEWAY_EXISTS } from '../model/labels.js';
import { parseSnapshot, type ParsedSnapshot } from '../parse/snapshot.js';
import { compareStrings } from '../model/order.js';
import { isRecord } from '../parse/primitives.js';
import { recordAttachments, type ParentAttachment, type RouteParents } from '../routes/attach.js';
import { resolveBackends, type BackendLookups } from '../routes/backends.js';
import { ReferenceGrantIndex } from '../routes/reference-grants.js';
import { resolvedRoute, routeAttachments, RouteResolutions, type BackendsStep, type RouteAttachments } from '../routes/route-resolutions.js';
import { Message } from '../status/messages.js';
import { labelValueFor } from '../dataplane/names.js';
import { assignAddresses, type AddressRequest, type AddressResult } from './addresses.js';
import { resolveClasses } from './classes.js';
import { statusAddresses } from '../model/graph.js';
import { isAccepted } from './gateway-conditions.js';
import { gatewayContext } from './gateway-context.js';
import { resolveGateway, type GatewayResolution } from './resolved-gateway.js';
import { listenerSetsOf, resolveListenerSets, type ListenerSets } from './listener-sets.js';

/**
 * Resolves a raw snapshot into the graph the dataplane realises: parses every input, decides
 * which classes, Gateways and routes are ours (GC1, GW1, RT3), validates listeners (GW2–GW6),
 * attaches routes (RT1–RT5), resolves backends (RT4, RT6) and assigns addresses through IPAM
 * (IP1–IP7, DP7). Pure and total: never throws, output independent of input order.
 *
 * EndpointSlices are the one input nothing here decides on: they only say which endpoints the
 * dataplane mirrors (DP1), and they are what changes most in a live cluster (every Pod started,
 * stopped or becoming ready). So they are indexed beside the rest (the resolution), which an
 * engine (engine/resolve.ts) reuses while no other parsed list and no option but `now` (which
 * only statuses read) changed.
 */
export function resolveGraph(snapshot: Snapshot, options: ReconcileOptions, steps: ResolveSteps = PURE_RESOLVE_STEPS): ResolvedGraph {
  const parsed = steps.parse(snapshot);
  const resolved = steps.resolution(parsed, options);
  const endpointSlicesByService = steps.sliceIndex(parsed.endpointSlices);
  return {
    ...resolved,
    index: { ...resolved.index, endpointSlicesByService, endpointSlices: parsed.endpointSlicesByKey },
    diagnostics: uniqueDiagnostics([...parsed.diagnostics, ...resolved.diagnostics]),
  };
}

/** The three parts of resolveGraph, each a function of its arguments: an engine remembers each (engine/resolve.ts). */
export interface ResolveSteps {
  parse(snapshot: Snapshot): ParsedSnapshot;
  /** Everything but EndpointSlices: resolveParsed. */
  resolution(parsed: ParsedSnapshot, options: ReconcileOptions): Resolution;
  sliceIndex(slices: readonly ParsedEndpointSlice[]): SliceIndex;
}

/**
 * The per-item work of resolveParsed: per Gateway, per route and per list. Each takes everything
 * it reads as an argument, so that an engine can remember it by the identity of its arguments.
 */
export interface ResolutionSteps {
  namespaces(list: readonly ParsedNamespace[]): ReadonlyMap<string, ParsedNamespace>;
  grants(list: readonly ParsedReferenceGrant[]): ReferenceGrantIndex;
  backendLookups(services: ReadonlyMap<string, ParsedService>, grants: ReferenceGrantIndex): BackendLookups;
  gatewayContext(gw: ParsedGateway, resolvedClass: ResolvedClass): GatewayContext;
  routeAttachments(route: ParsedRoute, parents: RouteParents, namespaces: ReadonlyMap<string, ParsedNamespace>): RouteAttachments;
  readonly routeBackends: BackendsStep;
  resolvedRoute(route: ParsedRoute, key: RouteKey, attachments: readonly ParentAttachment[], resolutions: RouteResolutions, options: ReconcileOptions): ResolvedRoute;
  assignAddresses(request: AddressRequest, options: ReconcileOptions): AddressResult;
  resolveGateway(
    ctx: GatewayContext,
    listenerSets: readonly ListenerSetContext[],
    assignment: AddressAssignment,
    lookups: BackendLookups,
    backendsOf: (route: ParsedRoute) => RouteResolutions | undefined,
    options: ReconcileOptions,
  ): GatewayResolution;
  addressEntries(g: ResolvedGateway): ResolvedGraph['addresses'];
}

/** The per-item steps as the rules define them. */
export const PURE_RESOLUTION_STEPS: ResolutionSteps = Object.freeze({
  namespaces: (list: readonly ParsedNamespace[]) => new Map(list.map((n) => [n.name, n])),
  grants: (list: readonly ParsedReferenceGrant[]) => new ReferenceGrantIndex(list),
  backendLookups: (services: ReadonlyMap<string, ParsedService>, grants: ReferenceGrantIndex) => ({ services, grants }),
  gatewayContext,
  routeAttachments,
  routeBackends: resolveBackends,
  resolvedRoute,
  assignAddresses,
  resolveGateway: (
    ctx: GatewayContext,
    listenerSets: readonly ListenerSetContext[],
    assignment: AddressAssignment,
    _lookups: BackendLookups,
    backendsOf: (route: ParsedRoute) => RouteResolutions | undefined,
    options: ReconcileOptions,
  ) => resolveGateway(ctx, listenerSets, assignment, backendsOf, options),
  addressEntries,
});

/** resolveGraph's parts as the rules define them: nothing is remembered between calls. */
const PURE_RESOLVE_STEPS: ResolveSteps = Object.freeze({
  parse: (snapshot: Snapshot) => parseSnapshot(snapshot),
  resolution: (parsed: ParsedSnapshot, options: ReconcileOptions) => resolveParsed(parsed, options, PURE_RESOLUTION_STEPS).resolution,
  sliceIndex: indexEndpointSlices,
});

/** The graph resolved from everything but EndpointSlices (see resolveGraph). */
export type Resolution = Omit<ResolvedGraph, 'index'> & { readonly index: Omit<SnapshotIndex, 'endpointSlicesByService' | 'endpointSlices'> };

/** A resolution and the work it was made with, which an engine may carry on from (engine/routes-changed.ts). */
export interface WorkedResolution {
  readonly resolution: Resolution;
  readonly work: RouteWork;
}

/** What resolveParsed knew besides its result. */
export interface RouteWork {
  /** Our Gateways' contexts, in parsed Gateway order (phase 3). */
  readonly contexts: readonly GatewayContext[];
  readonly contextByKey: ReadonlyMap<ObjectKey, GatewayContext>;
  readonly listenerSets: ListenerSets;
  readonly namespaces: ReadonlyMap<string, ParsedNamespace>;
  readonly lookups: BackendLookups;
  /** The address assignment each Gateway was resolved with (phase 6). */
  readonly assignmentOf: (key: ObjectKey) => AddressAssignment;
  /** IPAM's diagnostics, then each Gateway's (phase 7) in Gateway order, are the resolution's diagnostics. */
  readonly addressDiagnostics: readonly Diagnostic[];
  readonly gatewayDiagnostics: ReadonlyMap<ObjectKey, readonly Diagnostic[]>;
  /** Every route that has a status entry to write, and its backends. */
  readonly backendsByRoute: Map<ParsedRoute, RouteResolutions>;
}

/** The assignment of a Gateway IPAM was not asked about (it is not Accepted). */
const NO_ASSIGNMENT: AddressAssignment = { kind: 'none', reason: 'AddressNotAssigned', message: Message.gatewayNotAccepted };

/**
 * RT3: a route gets a status entry when it is attached to a parentRef of ours, or still carries
 * an entry of ours to remove.
 */
export function needsStatus(route: ParsedRoute, attachments: readonly ParentAttachment[], options: ReconcileOptions): boolean {
  return attachments.length > 0 || route.statusParents.some((p) => p.controllerName === options.controllerName);
}

/**
 * resolveGraph's work on a parsed snapshot, EndpointSlices left out. The phases run in a fixed
 * order, each needing the previous one's result:
 * 1. index (everything after works on Maps, never on list scans);
 * 2. classes (GC1–GC4): which Gateways are ours depends on them;
 * 3. listeners of each Gateway alone, then their conflicts (GW2); then ListenerSets (LS1, LS2);
 * 4. routes: attachment per parentRef (RT1–RT3), backends once per route (RT4);
 * 5. Gateway Accepted (GW3), which needs the listener verdicts;
 * 6. addresses (IP*, GW4) for the Accepted Gateways, all at once so clashes resolve by age (IP4);
 * 7. winners per listener (RT5), status drafts (GW6) and realised listeners;
 * 8. side objects: class finalizers (GC5), pinned addresses (GW5).
 */
export function resolveParsed(parsed: ParsedSnapshot, options: ReconcileOptions, steps: ResolutionSteps): WorkedResolution {
  const diagnostics: Diagnostic[] = [];

  // Phase 1: indexes.
  const index = buildIndex(parsed, steps);
  const grants = steps.grants(parsed.referenceGrants);

  // Phase 2: classes (GC1–GC4).
  const classes = resolveClasses(parsed.classes, index.configMaps, parsed.crdBundleVersions, options);
  const acceptedClasses = new Map<string, ResolvedClass>();
  for (const c of classes) if (c.accepted) acceptedClasses.set(c.class.meta.name, c);

  // Phase 3: our Gateways (GW1) and their listeners (GW2).
  const contexts: GatewayContext[] = [];
  const contextByKey = new Map<ObjectKey, GatewayContext>();
  for (const gw of parsed.gateways) {
    const resolvedClass = acceptedClasses.get(gw.className);
    if (resolvedClass === undefined) continue;
    const ctx = steps.gatewayContext(gw, resolvedClass);
    contexts.push(ctx);
    contextByKey.set(ctx.key, ctx);
  }

  // Phase 3b: their ListenerSets (LS1, LS2), merged after each Gateway's own listeners.
  const listenerSets = resolveListenerSets(parsed.listenerSets, contextByKey, index.namespaces);
  const parents = { gateways: contextByKey, listenerSets: listenerSets.byKey };

  // Phase 4: routes (RT1–RT4). Backends are resolved once per route, whatever its parents.
  const lookups = steps.backendLookups(index.services, grants);
  const routeWork: { route: ParsedRoute; key: RouteKey; attachments: readonly ParentAttachment[]; resolutions: RouteResolutions }[] = [];
  // Keyed by the parsed route itself: an identity lookup, no key string to build and hash.
  const backendsByRoute = new Map<ParsedRoute, RouteResolutions>();
  for (const route of parsed.routes) {
    const { attachment, attachments } = steps.routeAttachments(route, parents, index.namespaces);
    recordAttachments(attachment, attachments);
    if (!needsStatus(route, attachments, options)) continue;
    const resolutions = new RouteResolutions(route, lookups, steps.routeBackends);
    backendsByRoute.set(route, resolutions);
    routeWork.push({ route, key: attachment.key, attachments, resolutions });
  }

  // Phase 5: Gateway Accepted (GW3), decided with each context (gateway/gateway-context.ts).
  const accepted = contexts.filter((c) => isAccepted(c.accepted));
  const notAccepted = contexts.filter((c) => !isAccepted(c.accepted)).map((c) => c.gateway);

  // Phase 6: addresses (IP1–IP7, GW4, DP7).
  const addressResult = steps.assignAddresses({ accepted, notAccepted, services: parsed.services, configMaps: index.configMaps, heldBack: parsed.heldBackAddresses }, options);
  diagnostics.push(...addressResult.diagnostics);
  const events = addressEvents(addressResult);

  // Phase 7: winners (RT5), Gateway status drafts (GW4, GW6), realised listeners.
  const backendsOf = (route: ParsedRoute): RouteResolutions | undefined => backendsByRoute.get(route);
  const assignmentOf = assignmentsOf(addressResult);
  const addressDiagnostics = diagnostics.slice();
  const gatewayDiagnostics = new Map<ObjectKey, readonly Diagnostic[]>();
  const gateways: ResolvedGateway[] = contexts.map((ctx) => {
    const resolution = steps.resolveGateway(ctx, listenerSetsOf(listenerSets, ctx.key), assignmentOf(ctx.key), lookups, backendsOf, options);
    if (resolution.diagnostics.length > 0) {
      for (const d of resolution.diagnostics) diagnostics.push(d);
      gatewayDiagnostics.set(ctx.key, resolution.diagnostics);
    }
    return resolution.gateway;
  });

  // Route parent drafts (RT3), now that attachment is complete. Already sorted by route key:
  // parsed routes are TCPRoutes then UDPRoutes, each by namespace/name.
  const routes: ResolvedRoute[] = routeWork.map(({ route, key, attachments, resolutions }) => steps.resolvedRoute(route, key, attachments, resolutions, options));

  // Phase 8: side objects.
  const objects = sideObjects(classes, parsed.gateways, gateways, options);

  const addresses = gateways.flatMap((g) => steps.addressEntries(g));

  const foreignClassLabels = new Set<string>();
  for (const c of parsed.classes) {
    if (c.controllerName !== options.controllerName) foreignClassLabels.add(labelValueFor(c.meta.name));
  }

  const resolution: Resolution = {
    classes,
    foreignClassLabels,
    gateways,
    routes,
    index,
    objects,
    events,
    diagnostics,
    poolUsage: addressResult.poolUsage,
    addresses,
  };
  return { resolution, work: { contexts, contextByKey, listenerSets, namespaces: index.namespaces, lookups, assignmentOf, addressDiagnostics, gatewayDiagnostics, backendsByRoute } };
}

/** IPAM's events, and a Warning on each ConfigMap it found invalid (phase 6). */
export function addressEvents(addressResult: AddressResult): EventRecord[] {
  const events = [...addressResult.events];
  for (const d of addressResult.diagnostics) {
    if (d.object !== undefined && d.object.kind === 'ConfigMap') {
      events.push({ regarding: d.object, type: 'Warning', reason: 'InvalidIPAMConfig', message: d.message });
    }
  }
  return events;
}

/** Each Gateway's assignment in IPAM's result, NO_ASSIGNMENT for one it was not asked about. */
export function assignmentsOf(addressResult: AddressResult): (key: ObjectKey) => AddressAssignment {
  return (key) => addressResult.assignments.get(key) ?? NO_ASSIGNMENT;
}

/** Phase 8: class finalizers (GC5) and, with `-pin-addresses`, pinned addresses (GW5). */
export function sideObjects(classes: readonly ResolvedClass[], parsedGateways: readonly ParsedGateway[], gateways: readonly ResolvedGateway[], options: ReconcileOptions): KubeObject[] {
  const objects: KubeObject[] = [...classFinalizerUpdates(classes, parsedGateways)];
  if (options.pinAddresses) objects.push(...pinnedAddressUpdates(gateways));
  return objects;
}

/** Drops repeats (a winner realised on two listeners reports its bad label twice), keeping first order. */
function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}\u0000${d.object?.kind ?? ''}\u0000${d.object?.namespace ?? ''}\u0000${d.object?.name ?? ''}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Which Gateway holds which address (`Desired.addresses`): a function of the resolved Gateway alone. */
function addressEntries(g: ResolvedGateway): ResolvedGraph['addresses'] {
  return statusAddresses(g.assignment).map((address) => ({
    gateway: { apiVersion: g.gateway.apiVersion, kind: 'Gateway', namespace: g.gateway.meta.namespace, name: g.gateway.meta.name },
    address,
  }));
}


/** Namespace → Service name → its EndpointSlices (label `kubernetes.io/service-name`), sorted by name. */
export type SliceIndex = SnapshotIndex['endpointSlicesByService'];

export function indexEndpointSlices(slices: readonly ParsedEndpointSlice[]): SliceIndex {
  const endpointSlicesByService = new Map<string, Map<string, ParsedEndpointSlice[]>>();
  for (const slice of slices) {
    if (slice.serviceName === '') continue;
    let services = endpointSlicesByService.get(slice.meta.namespace);
    if (services === undefined) endpointSlicesByService.set(slice.meta.namespace, (services = new Map()));
    const list = services.get(slice.serviceName);
    if (list === undefined) services.set(slice.serviceName, [slice]);
    else list.push(slice);
  }
  // Slices come in input order (they are only looked up); each Service's few are sorted by name.
  for (const services of endpointSlicesByService.values()) {
    for (const list of services.values()) {
      if (list.length > 1) list.sort((a, b) => compareStrings(a.meta.name, b.meta.name));
    }
  }
  return endpointSlicesByService;
}

/** Phase 1: Maps by key over the parsed snapshot, built once. */
function buildIndex(parsed: ParsedSnapshot, steps: ResolutionSteps): Resolution['index'] {
  return {
    namespaces: steps.namespaces(parsed.namespaces),
    services: parsed.servicesByKey,
    configMaps: parsed.configMapsByKey,
    referenceGrants: parsed.referenceGrants,
  };
}

/**
 * GC5: our classes carry the gateway-exists finalizer while any Gateway names them, and lose it
 * when none does. Only changed classes are returned.
 */
function classFinalizerUpdates(classes: readonly ResolvedClass[], gateways: readonly ParsedGateway[]): KubeObject[] {
  const used = new Set(gateways.map((g) => g.className));
  const out: KubeObject[] = [];
  for (const c of classes) {
    const finalizers = c.class.meta.finalizers;
    const has = finalizers.includes(FINALIZER_GATEWAY_EXISTS);
    const wants = used.has(c.class.meta.name);
    // A class being deleted may lose the finalizer but must not gain one.
    if (has === wants || (wants && c.class.meta.deletionTimestamp !== undefined)) continue;
    const next = wants ? [...finalizers, FINALIZER_GATEWAY_EXISTS] : finalizers.filter((f) => f !== FINALIZER_GATEWAY_EXISTS);
    out.push(withMetadata(c.class.raw, { finalizers: next }));
  }
  return out;
}

/**
 * GW5 `-pin-addresses`: records assigned addresses in `spec.addresses` (the prototype's
 * behaviour): valueless IPAddress entries are filled in, missing addresses appended. Only
 * Gateways whose spec changes are returned.
 */
function pinnedAddressUpdates(gateways: readonly ResolvedGateway[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const g of gateways) {
    if (!g.accepted || g.assignment.kind === 'none') continue;
    const assigned = g.assignment.addresses;
    const present = new Set(g.gateway.addresses.map((a) => a.value).filter((v): v is string => v !== undefined && v !== ''));
    const missing = assigned.filter((a) => !present.has(a));
    if (missing.length === 0) continue;
    const spec: { type: string; value?: string }[] = g.gateway.addresses.map((a) =>
      a.type === 'IPAddress' && !a.value && missing.length > 0 ? { type: a.type, value: missing.shift()! } : { type: a.type, ...(a.value ? { value: a.value } : {}) },
    );
    for (const value of missing) spec.push({ type: 'IPAddress', value });
    const raw = g.gateway.raw;
    const rawSpec = isRecord(raw['spec']) ? raw['spec'] : {};
    out.push({ ...raw, spec: { ...rawSpec, addresses: spec } });
  }
  return out;
}

function withMetadata(raw: KubeObject, patch: Partial<KubeObject['metadata']>): KubeObject {
  return { ...raw, metadata: { ...raw.metadata, ...patch } };
}
