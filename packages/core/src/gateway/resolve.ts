import type { Diagnostic, EventRecord } from '../model/desired.js';
import type {
  ObjectKey,
  RealisedListener,
  ResolvedClass,
  ResolvedGateway,
  ResolvedGraph,
  ResolvedRoute,
  RouteKey,
  RouteParentDraft,
  SnapshotIndex,
} from '../model/graph.js';
import type { KubeObject, ObjectRef } from '../model/kube.js';
import type { ReconcileOptions, ServiceBehaviour } from '../model/options.js';
import type { Snapshot } from '../model/snapshot.js';
import type { ParsedEndpointSlice, ParsedGateway, ParsedRoute } from '../parse/types.js';
import type { GatewayContext, ListenerContext } from './context.js';
import { FINALIZER_GATEWAY_EXISTS } from '../model/labels.js';
import { objectKey, routeKey } from '../model/graph.js';
import { parseSnapshot, type ParsedSnapshot } from '../parse/snapshot.js';
import { compareStrings, isRecord } from '../parse/primitives.js';
import { recall, type MemoSlot } from '../model/memory.js';
import { attachRoute, parentDraft, type ParentAttachment } from '../routes/attach.js';
import { resolveBackends, type BackendLookups, type BackendMode, type BackendResolution } from '../routes/backends.js';
import { ReferenceGrantIndex } from '../routes/reference-grants.js';
import { chooseBehaviour, sortByPrecedence, winningRoute } from '../routes/winner.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ConditionType, RouteReason } from '../status/reasons.js';
import { labelValueFor } from '../dataplane/names.js';
import { assignAddresses } from './addresses.js';
import { resolveClasses } from './classes.js';
import {
  addressProblem,
  gatewayAccepted,
  gatewayProgrammed,
  isAccepted,
  listenerRealisable,
  listenerStatus,
} from './gateway-conditions.js';
import { validateListeners } from './listeners.js';

/**
 * Resolves a raw snapshot into the graph the dataplane realises: parses every input, decides
 * which classes, Gateways and routes are ours (GC1, GW1, RT3), validates listeners (GW2–GW6),
 * attaches routes (RT1–RT5), resolves backends (RT4, RT6) and assigns addresses through IPAM
 * (IP1–IP7, DP7). Pure and total: never throws, output independent of input order.
 *
 * EndpointSlices are the one input nothing here decides on: they only say which endpoints the
 * dataplane mirrors (DP1), and they are what changes most in a live cluster (every Pod started,
 * stopped or becoming ready). So they are indexed beside the rest, and everything else is
 * remembered (model/memory.ts): while no other parsed list and no option but `now` (which only
 * statuses read) changed, the previous resolution is the result.
 */
export function resolveGraph(snapshot: Snapshot, options: ReconcileOptions): ResolvedGraph {
  const parsed = parseSnapshot(snapshot);
  const resolved = recall(remembered, resolutionInputs(parsed, options), () => resolveParsed(parsed, options));
  const endpointSlicesByService = recall(rememberedSlices, [parsed.endpointSlices], () => indexEndpointSlices(parsed.endpointSlices));
  return {
    ...resolved,
    index: { ...resolved.index, endpointSlicesByService, endpointSlices: parsed.endpointSlicesByKey },
    diagnostics: uniqueDiagnostics([...parsed.diagnostics, ...resolved.diagnostics]),
  };
}

/** The graph resolved from everything but EndpointSlices (see resolveGraph). */
type Resolution = Omit<ResolvedGraph, 'index'> & { readonly index: Omit<SnapshotIndex, 'endpointSlicesByService' | 'endpointSlices'> };

const remembered: MemoSlot<Resolution> = {};
const rememberedSlices: MemoSlot<SliceIndex> = {};

/**
 * Everything resolveParsed reads: the parsed lists and their lookups (each the same instance
 * while its objects are unchanged, parse/snapshot.ts), the CRD bundle versions and every option
 * except `now`, by name so that an option added later is covered without a change here.
 */
function resolutionInputs(parsed: ParsedSnapshot, options: ReconcileOptions): unknown[] {
  const inputs: unknown[] = [
    parsed.classes,
    parsed.gateways,
    parsed.routes,
    parsed.referenceGrants,
    parsed.namespaces,
    parsed.services,
    parsed.servicesByKey,
    parsed.configMaps,
    parsed.configMapsByKey,
  ];
  const versions = Object.entries(parsed.crdBundleVersions);
  inputs.push(versions.length);
  for (const [key, value] of versions) inputs.push(key, value);
  for (const [key, value] of Object.entries(options)) if (key !== 'now') inputs.push(key, value);
  return inputs;
}

/**
 * resolveGraph's work on a parsed snapshot, EndpointSlices left out. The phases run in a fixed
 * order, each needing the previous one's result:
 * 1. index (everything after works on Maps, never on list scans);
 * 2. classes (GC1–GC4): which Gateways are ours depends on them;
 * 3. listeners of each Gateway alone, then their conflicts (GW2);
 * 4. routes: attachment per parentRef (RT1–RT3), backends once per route (RT4);
 * 5. Gateway Accepted (GW3), which needs the listener verdicts;
 * 6. addresses (IP*, GW4) for the Accepted Gateways, all at once so clashes resolve by age (IP4);
 * 7. winners per listener (RT5), status drafts (GW6) and realised listeners;
 * 8. side objects: class finalizers (GC5), pinned addresses (GW5).
 */
function resolveParsed(parsed: ParsedSnapshot, options: ReconcileOptions): Resolution {
  const diagnostics: Diagnostic[] = [];
  const events: EventRecord[] = [];

  // Phase 1: indexes.
  const index = buildIndex(parsed);
  const grants = new ReferenceGrantIndex(parsed.referenceGrants);

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
    const listeners = validateListeners(gw.listeners);
    const ctx: GatewayContext = {
      gateway: gw,
      key: objectKey(gw.meta.namespace, gw.meta.name),
      resolvedClass,
      listeners,
    };
    contexts.push(ctx);
    contextByKey.set(ctx.key, ctx);
  }

  // Phase 4: routes (RT1–RT4). Backends are resolved once per route, whatever its parents.
  const lookups = { services: index.services, grants };
  const routeWork: { route: ParsedRoute; key: RouteKey; attachments: ParentAttachment[]; resolutions: RouteResolutions }[] = [];
  // Keyed by the parsed route itself: an identity lookup, no key string to build and hash.
  const backendsByRoute = new Map<ParsedRoute, RouteResolutions>();
  for (const route of parsed.routes) {
    const key = routeKey(route.kind, route.meta.namespace, route.meta.name);
    const attachments = attachRoute(route, key, contextByKey, index.namespaces);
    const hasOurStaleEntry = route.statusParents.some((p) => p.controllerName === options.controllerName);
    if (attachments.length === 0 && !hasOurStaleEntry) continue;
    const resolutions = new RouteResolutions(route, lookups);
    backendsByRoute.set(route, resolutions);
    routeWork.push({ route, key, attachments, resolutions });
  }

  // Phase 5: Gateway Accepted (GW3).
  // Indexed like `contexts`: a parallel array, not a Map lookup per Gateway.
  const acceptedDrafts = contexts.map((c) => gatewayAccepted(c.gateway, c.listeners));
  const accepted = contexts.filter((_, i) => isAccepted(acceptedDrafts[i]!));
  const notAccepted = contexts.filter((_, i) => !isAccepted(acceptedDrafts[i]!)).map((c) => c.gateway);

  // Phase 6: addresses (IP1–IP7, GW4, DP7).
  const addressResult = assignAddresses(accepted, notAccepted, parsed.services, index.configMaps, options);
  diagnostics.push(...addressResult.diagnostics);
  events.push(...addressResult.events);
  for (const d of addressResult.diagnostics) {
    if (d.object !== undefined && d.object.kind === 'ConfigMap') {
      events.push({ regarding: d.object, type: 'Warning', reason: 'InvalidIPAMConfig', message: d.message });
    }
  }

  // Phase 7: winners (RT5), Gateway status drafts (GW4, GW6), realised listeners.
  const gateways: ResolvedGateway[] = contexts.map((ctx, i) => {
    const acceptedDraft = acceptedDrafts[i]!;
    const isGatewayAccepted = isAccepted(acceptedDraft);
    const assignment = addressResult.assignments.get(ctx.key) ?? {
      kind: 'none' as const,
      reason: 'AddressNotAssigned' as const,
      message: Message.gatewayNotAccepted,
    };
    const addressReady = addressProblem(assignment) === undefined;
    const realisable = isGatewayAccepted && (assignment.kind === 'dhcp' || (assignment.kind === 'assigned' && assignment.addresses.length > 0));
    for (const l of ctx.listeners) sortByPrecedence(l.attached);
    const listeners: RealisedListener[] = isGatewayAccepted
      ? ctx.listeners.filter(listenerRealisable).map((l) => realise(l, ctx, backendsByRoute, options, diagnostics))
      : [];
    const params = ctx.resolvedClass.parameters;
    const loadBalancerClass = params.loadBalancerClass ?? options.loadBalancerClass;
    return {
      gateway: ctx.gateway,
      key: ctx.key,
      className: ctx.gateway.className,
      accepted: isGatewayAccepted,
      assignment,
      realisable,
      ...(loadBalancerClass !== undefined ? { loadBalancerClass } : {}),
      listeners,
      conditions: [acceptedDraft, gatewayProgrammed(isGatewayAccepted, assignment)],
      listenerStatuses: ctx.listeners.map((l) => listenerStatus(l, isGatewayAccepted, addressReady)),
    };
  });

  // Route parent drafts (RT3), now that attachment is complete.
  const routes: ResolvedRoute[] = routeWork
    .map(({ route, key, attachments, resolutions }): ResolvedRoute => {
      const partiallyInvalid =
        route.rules.length > 1
          ? condition(ConditionType.PartiallyInvalid, true, RouteReason.UnsupportedValue, Message.rulesDropped(route.rules.length - 1))
          : undefined;
      // Each parent is judged in the mode its Gateway's class realises the route with (DP2).
      const parents: RouteParentDraft[] = attachments.map((a) =>
        parentDraft(a, resolutions.for(chooseBehaviour(route, a.gateway.resolvedClass.parameters, options).behaviour).resolvedRefs, partiallyInvalid),
      );
      const target: ObjectRef = { apiVersion: route.apiVersion, kind: route.kind, namespace: route.meta.namespace, name: route.meta.name };
      return { route, key, target, parents };
    });
  // Already sorted by route key: parsed routes are TCPRoutes then UDPRoutes, each by namespace/name.

  // Phase 8: side objects.
  const objects: KubeObject[] = [...classFinalizerUpdates(classes, parsed.gateways)];
  if (options.pinAddresses) objects.push(...pinnedAddressUpdates(gateways));

  const addresses = gateways
    .flatMap((g) =>
      (g.assignment.kind === 'none' ? [] : g.assignment.addresses).map((address) => ({
        gateway: { apiVersion: g.gateway.apiVersion, kind: 'Gateway', namespace: g.gateway.meta.namespace, name: g.gateway.meta.name },
        address,
      })),
    );

  const foreignClassLabels = new Set<string>();
  for (const c of parsed.classes) {
    if (c.controllerName !== options.controllerName) foreignClassLabels.add(labelValueFor(c.meta.name));
  }

  return {
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
}

/**
 * A route's backends resolved once per mode (RT4, DP2), on demand: nearly every route needs only
 * one mode, a route whose parents' classes choose different behaviours needs both.
 */
class RouteResolutions {
  private readonly byMode = new Map<BackendMode, BackendResolution>();

  constructor(
    private readonly route: ParsedRoute,
    private readonly lookups: BackendLookups,
  ) {}

  for(behaviour: ServiceBehaviour): BackendResolution {
    const mode: BackendMode = behaviour === 'create' ? 'create' : 'reference';
    let resolution = this.byMode.get(mode);
    if (resolution === undefined) {
      resolution = resolveBackends(this.route, this.lookups, mode);
      this.byMode.set(mode, resolution);
    }
    return resolution;
  }
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

/** RT5 + DP: the listener as the dataplane realises it. */
function realise(
  l: ListenerContext,
  ctx: GatewayContext,
  backendsByRoute: ReadonlyMap<ParsedRoute, RouteResolutions>,
  options: ReconcileOptions,
  diagnostics: Diagnostic[],
): RealisedListener {
  const first = l.attached[0];
  const name = l.listener.name;
  const protocol = l.listener.protocol as 'TCP' | 'UDP';
  const port = l.listener.port;
  const attachedRoutes = l.attached.map((a) => a.key);
  if (first === undefined) return { name, protocol, port, attachedRoutes };
  const choice = chooseBehaviour(first.route, ctx.resolvedClass.parameters, options);
  if (choice.labelIgnored !== undefined) {
    diagnostics.push({
      severity: 'warning',
      object: { apiVersion: first.route.apiVersion, kind: first.route.kind, namespace: first.route.meta.namespace, name: first.route.meta.name },
      message: `label serviceBehaviour=${choice.labelIgnored} names no behaviour (endpoints, create, duplicate, update); using ${choice.behaviour}`,
    });
  }
  const backends = backendsByRoute.get(first.route)?.for(choice.behaviour).backends ?? [];
  return { name, protocol, port, attachedRoutes, winner: winningRoute(first, choice.behaviour, backends) };
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

/** Phase 1: Maps by key over the parsed snapshot, built once. */
function buildIndex(parsed: ParsedSnapshot): Resolution['index'] {
  return {
    namespaces: new Map(parsed.namespaces.map((n) => [n.name, n])),
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
