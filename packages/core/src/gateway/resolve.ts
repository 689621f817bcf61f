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
import { optionsButNow, type ReconcileOptions } from '../model/options.js';
import type { Snapshot } from '../model/snapshot.js';
import type { ParsedEndpointSlice, ParsedGateway, ParsedNamespace, ParsedRoute } from '../model/parsed.js';
import type { GatewayContext } from '../model/context.js';
import { FINALIZER_GATEWAY_EXISTS } from '../model/labels.js';
import { parseSnapshot, type ParsedSnapshot } from '../parse/snapshot.js';
import { compareStrings } from '../model/order.js';
import { isRecord } from '../parse/primitives.js';
import { NO_INPUTS, recall, recallFor, recallOrPatch, type MemoByObject, type MemoSlot } from '../model/memory.js';
import { parseMemory, type ParseMemory } from '../parse/snapshot.js';
import { recordAttachments, type ParentAttachment } from '../routes/attach.js';
import { ReferenceGrantIndex } from '../routes/reference-grants.js';
import { resolvedRoute, routeAttachments, routeMemory, RouteResolutions } from '../routes/route-resolutions.js';
import { Message } from '../status/messages.js';
import { labelValueFor } from '../dataplane/names.js';
import { assignAddresses, type AddressMemory } from './addresses.js';
import { sharedEnds } from '../model/shared-ends.js';
import { resolveClasses } from './classes.js';
import { statusAddresses } from '../model/graph.js';
import { isAccepted } from './gateway-conditions.js';
import { gatewayContext, type GatewayContextMemory } from './gateway-context.js';
import { resolvedGatewayMemory, resolveGateway } from './resolved-gateway.js';
import { listenerSetsOf, resolveListenerSets } from './listener-sets.js';
import { needsStatus, withRoutesReplaced, type RouteWork, type RouteWorkMemory } from './routes-changed.js';

/**
 * Resolves a raw snapshot into the graph the dataplane realises: parses every input, decides
 * which classes, Gateways and routes are ours (GC1, GW1, RT3), validates listeners (GW2–GW6),
 * attaches routes (RT1–RT5), resolves backends (RT4, RT6) and assigns addresses through IPAM
 * (IP1–IP7, DP7). Pure and total: never throws, output independent of input order.
 *
 * EndpointSlices are the one input nothing here decides on: they only say which endpoints the
 * dataplane mirrors (DP1), and they are what changes most in a live cluster (every Pod started,
 * stopped or becoming ready). So they are indexed beside the rest, and with an engine's `memory`
 * everything else is remembered (model/memory.ts): while no other parsed list and no option but
 * `now` (which only statuses read) changed, the previous resolution is the result.
 */
export function resolveGraph(snapshot: Snapshot, options: ReconcileOptions, memory?: ResolveMemory): ResolvedGraph {
  const parsed = parseSnapshot(snapshot, memory?.parse);
  const inputs = resolutionInputs(parsed, options);
  const { resolution: resolved } = recallOrPatch(
    memory?.resolution,
    inputs,
    (lastInputs, last) =>
      memory !== undefined && onlyRoutesDiffer(lastInputs, inputs)
        ? routesReplaced(last, lastInputs[ROUTES_INPUT] as readonly ParsedRoute[], parsed.routes, options, memory)
        : undefined,
    () => resolveParsed(parsed, options, memory),
  );
  const endpointSlicesByService = recallOrPatch(
    memory?.slices,
    [parsed.endpointSlices],
    ([lastSlices], last) => withSlicesReplaced(lastSlices as readonly ParsedEndpointSlice[], last, parsed.endpointSlices),
    () => indexEndpointSlices(parsed.endpointSlices),
  );
  return {
    ...resolved,
    index: { ...resolved.index, endpointSlicesByService, endpointSlices: parsed.endpointSlicesByKey },
    diagnostics: uniqueDiagnostics([...parsed.diagnostics, ...resolved.diagnostics]),
  };
}

/** The graph resolved from everything but EndpointSlices (see resolveGraph). */
type Resolution = Omit<ResolvedGraph, 'index'> & { readonly index: Omit<SnapshotIndex, 'endpointSlicesByService' | 'endpointSlices'> };

/** A resolution and the work it was made with, which the next one may start from (routesReplaced). */
interface WorkedResolution {
  readonly resolution: Resolution;
  readonly work: RouteWork;
}

/** What resolution remembers between calls for one cluster (an engine's). */
export interface ResolveMemory extends RouteWorkMemory {
  readonly parse: ParseMemory;
  readonly resolution: MemoSlot<WorkedResolution>;
  readonly slices: MemoSlot<SliceIndex>;
  // One grant index per grant list and one namespace Map per namespace list: routes remember their
  // backends and attachments with them (routes/route-resolutions.ts).
  readonly grants: MemoSlot<ReferenceGrantIndex>;
  readonly namespaces: MemoSlot<ReadonlyMap<string, ParsedNamespace>>;
  readonly contexts: GatewayContextMemory;
  readonly addresses: AddressMemory;
  readonly addressEntries: MemoByObject<ResolvedGateway, ResolvedGraph['addresses']>;
}

/** An empty ResolveMemory. */
export function resolveMemory(): ResolveMemory {
  return {
    parse: parseMemory(),
    resolution: {},
    slices: {},
    grants: {},
    namespaces: {},
    contexts: new WeakMap(),
    addresses: {},
    addressEntries: new WeakMap(),
    routes: routeMemory(),
    gateways: resolvedGatewayMemory(),
  };
}

/** The assignment of a Gateway IPAM was not asked about (it is not Accepted). */
const NO_ASSIGNMENT: AddressAssignment = { kind: 'none', reason: 'AddressNotAssigned', message: Message.gatewayNotAccepted };

/**
 * Everything resolveParsed reads: the parsed lists and their lookups (each the same instance
 * while its objects are unchanged, parse/snapshot.ts), the held-back addresses, the CRD bundle
 * versions and every option except `now`.
 */
function resolutionInputs(parsed: ParsedSnapshot, options: ReconcileOptions): unknown[] {
  const inputs: unknown[] = [
    parsed.routes,
    parsed.classes,
    parsed.gateways,
    parsed.listenerSets,
    parsed.referenceGrants,
    parsed.namespaces,
    parsed.services,
    parsed.servicesByKey,
    parsed.configMaps,
    parsed.configMapsByKey,
    parsed.heldBackAddresses,
  ];
  const versions = Object.entries(parsed.crdBundleVersions);
  inputs.push(versions.length);
  for (const [key, value] of versions) inputs.push(key, value);
  inputs.push(...optionsButNow(options));
  return inputs;
}

/** Where resolutionInputs puts the routes. */
const ROUTES_INPUT = 0;

function onlyRoutesDiffer(lastInputs: readonly unknown[], inputs: readonly unknown[]): boolean {
  if (lastInputs.length !== inputs.length) return false;
  for (let i = 0; i < inputs.length; i++) if (i !== ROUTES_INPUT && lastInputs[i] !== inputs[i]) return false;
  return true;
}

/**
 * The last resolution with a few routes replaced (gateway/routes-changed.ts). Only the remembered
 * resolution is patched: its work holds the remembered Gateway contexts, whose listeners hold its
 * routes (a resolution made without memory has contexts of its own).
 */
function routesReplaced(
  last: WorkedResolution,
  lastRoutes: readonly ParsedRoute[],
  routes: readonly ParsedRoute[],
  options: ReconcileOptions,
  memory: ResolveMemory,
): WorkedResolution | undefined {
  const patched = withRoutesReplaced(last.resolution, last.work, lastRoutes, routes, options, memory);
  return patched === undefined ? undefined : { resolution: { ...last.resolution, ...patched.resolved }, work: patched.work };
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
function resolveParsed(parsed: ParsedSnapshot, options: ReconcileOptions, memory: ResolveMemory | undefined): WorkedResolution {
  const diagnostics: Diagnostic[] = [];
  const events: EventRecord[] = [];

  // Phase 1: indexes.
  const index = buildIndex(parsed, memory);
  const grants = recall(memory?.grants, [parsed.referenceGrants], () => new ReferenceGrantIndex(parsed.referenceGrants));

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
    const ctx = gatewayContext(gw, resolvedClass, memory?.contexts);
    contexts.push(ctx);
    contextByKey.set(ctx.key, ctx);
  }

  // Phase 3b: their ListenerSets (LS1, LS2), merged after each Gateway's own listeners.
  const listenerSets = resolveListenerSets(parsed.listenerSets, contextByKey, index.namespaces);
  const parents = { gateways: contextByKey, listenerSets: listenerSets.byKey };

  // Phase 4: routes (RT1–RT4). Backends are resolved once per route, whatever its parents.
  const lookups = { services: parsed.servicesGeneration.lookup(index.services), servicesGeneration: parsed.servicesGeneration, grants };
  const routeWork: { route: ParsedRoute; key: RouteKey; attachments: readonly ParentAttachment[]; resolutions: RouteResolutions }[] = [];
  // Keyed by the parsed route itself: an identity lookup, no key string to build and hash.
  const backendsByRoute = new Map<ParsedRoute, RouteResolutions>();
  for (const route of parsed.routes) {
    const { attachment, attachments } = routeAttachments(route, parents, index.namespaces, memory?.routes);
    recordAttachments(attachment, attachments);
    if (!needsStatus(route, attachments, options)) continue;
    const resolutions = new RouteResolutions(route, lookups, memory?.routes);
    backendsByRoute.set(route, resolutions);
    routeWork.push({ route, key: attachment.key, attachments, resolutions });
  }

  // Phase 5: Gateway Accepted (GW3), decided with each context (gateway/gateway-context.ts).
  const accepted = contexts.filter((c) => isAccepted(c.accepted));
  const notAccepted = contexts.filter((c) => !isAccepted(c.accepted)).map((c) => c.gateway);

  // Phase 6: addresses (IP1–IP7, GW4, DP7).
  const addressResult = assignAddresses(accepted, notAccepted, parsed.services, index.configMaps, parsed.heldBackAddresses, options, memory?.addresses);
  diagnostics.push(...addressResult.diagnostics);
  events.push(...addressResult.events);
  for (const d of addressResult.diagnostics) {
    if (d.object !== undefined && d.object.kind === 'ConfigMap') {
      events.push({ regarding: d.object, type: 'Warning', reason: 'InvalidIPAMConfig', message: d.message });
    }
  }

  // Phase 7: winners (RT5), Gateway status drafts (GW4, GW6), realised listeners.
  const backendsOf = (route: ParsedRoute): RouteResolutions | undefined => backendsByRoute.get(route);
  const assignmentOf = (key: ObjectKey): AddressAssignment => addressResult.assignments.get(key) ?? NO_ASSIGNMENT;
  const addressDiagnostics = diagnostics.slice();
  const gatewayDiagnostics = new Map<ObjectKey, readonly Diagnostic[]>();
  const gateways: ResolvedGateway[] = contexts.map((ctx) => {
    const before = diagnostics.length;
    const gateway = resolveGateway(ctx, listenerSetsOf(listenerSets, ctx.key), assignmentOf(ctx.key), lookups, backendsOf, options, diagnostics, memory?.gateways);
    if (diagnostics.length > before) gatewayDiagnostics.set(ctx.key, diagnostics.slice(before));
    return gateway;
  });

  // Route parent drafts (RT3), now that attachment is complete. Already sorted by route key:
  // parsed routes are TCPRoutes then UDPRoutes, each by namespace/name.
  const routes: ResolvedRoute[] = routeWork.map(({ route, key, attachments, resolutions }) => resolvedRoute(route, key, attachments, resolutions, options, memory?.routes));

  // Phase 8: side objects.
  const objects: KubeObject[] = [...classFinalizerUpdates(classes, parsed.gateways)];
  if (options.pinAddresses) objects.push(...pinnedAddressUpdates(gateways));

  const addresses = gateways.flatMap((g) => addressEntries(g, memory?.addressEntries));

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
  return { resolution, work: { contextByKey, listenerSets, namespaces: index.namespaces, lookups, assignmentOf, addressDiagnostics, gatewayDiagnostics, backendsByRoute } };
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

/** Which Gateway holds which address (`Desired.addresses`), remembered per resolved Gateway (a function of it alone). */
function addressEntries(g: ResolvedGateway, memory: MemoByObject<ResolvedGateway, ResolvedGraph['addresses']> | undefined): ResolvedGraph['addresses'] {
  return recallFor(memory, g, NO_INPUTS, () =>
    statusAddresses(g.assignment).map((address) => ({
      gateway: { apiVersion: g.gateway.apiVersion, kind: 'Gateway', namespace: g.gateway.meta.namespace, name: g.gateway.meta.name },
      address,
    })),
  );
}


/** Namespace → Service name → its EndpointSlices (label `kubernetes.io/service-name`), sorted by name. */
type SliceIndex = SnapshotIndex['endpointSlicesByService'];

function indexEndpointSlices(slices: readonly ParsedEndpointSlice[]): SliceIndex {
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

/** Past this many changed slices, indexing them all again is as cheap. */
const MAX_CHANGED_SLICES = 64;

/**
 * The last index with a few slices changed, when `slices` are the last ones but for a few
 * positions (slices edited in place, the commonest watch event: a Pod ready or gone) or for one
 * run of slices added or removed (a Service's come or gone with a Gateway): only the Services
 * those slices belong to, before and after, get new lists, and only their namespaces new Maps.
 * Else undefined.
 */
function withSlicesReplaced(lastSlices: readonly ParsedEndpointSlice[], last: SliceIndex, slices: readonly ParsedEndpointSlice[]): SliceIndex | undefined {
  const changed = lastSlices.length === slices.length ? replacedSlices(lastSlices, slices) : slicesAddedOrRemoved(lastSlices, slices);
  if (changed === undefined) return undefined;
  const next = new Map(last);
  const copied = new Map<string, Map<string, ParsedEndpointSlice[]>>();
  const servicesIn = (namespace: string): Map<string, ParsedEndpointSlice[]> => {
    let services = copied.get(namespace);
    if (services === undefined) copied.set(namespace, (services = new Map(last.get(namespace) as ReadonlyMap<string, ParsedEndpointSlice[]> | undefined)));
    return services;
  };
  // Every slice leaves its Service before any joins one: a slice may have moved to another place.
  for (const before of changed.left) {
    if (before.serviceName !== '') {
      const services = servicesIn(before.meta.namespace);
      const list = services.get(before.serviceName) ?? [];
      const rest = list.filter((s) => s !== before);
      if (rest.length === list.length) return undefined;
      if (rest.length > 0) services.set(before.serviceName, rest);
      else services.delete(before.serviceName);
    }
  }
  for (const after of changed.joined) {
    if (after.serviceName !== '') {
      const services = servicesIn(after.meta.namespace);
      const list = [...(services.get(after.serviceName) ?? []), after];
      if (list.length > 1) list.sort((a, b) => compareStrings(a.meta.name, b.meta.name));
      services.set(after.serviceName, list);
    }
  }
  for (const [namespace, services] of copied) {
    if (services.size > 0) next.set(namespace, services);
    else next.delete(namespace);
  }
  return next;
}

/** The slices that left the index and those that joined it, between two lists of slices. */
interface SlicesChanged {
  readonly left: readonly ParsedEndpointSlice[];
  readonly joined: readonly ParsedEndpointSlice[];
}

/** The slices at the few positions where two lists of one length differ; undefined past MAX_CHANGED_SLICES. */
function replacedSlices(lastSlices: readonly ParsedEndpointSlice[], slices: readonly ParsedEndpointSlice[]): SlicesChanged | undefined {
  const left: ParsedEndpointSlice[] = [];
  const joined: ParsedEndpointSlice[] = [];
  for (let i = 0; i < slices.length; i++) {
    if (slices[i] === lastSlices[i]) continue;
    if (left.length === MAX_CHANGED_SLICES) return undefined;
    left.push(lastSlices[i]!);
    joined.push(slices[i]!);
  }
  return { left, joined };
}

/**
 * The slices of the one run where two lists differ (the rest the same before and after it):
 * those of the last list left, those of the new one joined; undefined past MAX_CHANGED_SLICES.
 */
function slicesAddedOrRemoved(lastSlices: readonly ParsedEndpointSlice[], slices: readonly ParsedEndpointSlice[]): SlicesChanged | undefined {
  const { prefix, suffix } = sharedEnds(lastSlices, slices);
  const left = lastSlices.slice(prefix, lastSlices.length - suffix);
  const joined = slices.slice(prefix, slices.length - suffix);
  return left.length > MAX_CHANGED_SLICES || joined.length > MAX_CHANGED_SLICES ? undefined : { left, joined };
}

/** Phase 1: Maps by key over the parsed snapshot, built once. */
function buildIndex(parsed: ParsedSnapshot, memory: ResolveMemory | undefined): Resolution['index'] {
  return {
    namespaces: recall(memory?.namespaces, [parsed.namespaces], () => new Map(parsed.namespaces.map((n) => [n.name, n]))),
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
