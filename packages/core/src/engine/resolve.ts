// What an engine remembers of resolveGraph (gateway/resolve.ts) between reconciles of one
// cluster, and the steps that remember it:
// - the parse (./parse.ts), and beside it the generation of the Services Map;
// - the resolution (everything but EndpointSlices) with everything it was computed from: while
//   no parsed list and no option but `now` changed, it is the result; after a watch event that
//   changed routes only, it is patched (./routes-changed.ts);
// - the slice index, patched when a few slices changed (./slices.ts);
// - one grant index per grant list and one namespace Map per namespace list (routes remember
//   their backends and attachments with them);
// - per Gateway its context and resolution (./gateways.ts), per route its attachments, backends
//   and parent drafts (./routes.ts), the address assignment (./addresses.ts), and per resolved
//   Gateway its address entries.

import type { ResolvedGateway, ResolvedGraph } from '../model/graph.js';
import type { ParsedGateway, ParsedNamespace, ParsedRoute, ParsedService } from '../model/parsed.js';
import { optionsButNow, type ReconcileOptions } from '../model/options.js';
import type { Snapshot } from '../model/snapshot.js';
import { NO_INPUTS, recall, recallFor, recallOrPatch, type MemoByObject, type MemoSlot } from './memo.js';
import type { ParsedSnapshot } from '../parse/snapshot.js';
import type { ReferenceGrantIndex } from '../routes/reference-grants.js';
import {
  indexEndpointSlices,
  PURE_RESOLUTION_STEPS,
  resolveGraph,
  resolveParsed,
  type ResolutionSteps,
  type SliceIndex,
  type WorkedResolution,
} from '../gateway/resolve.js';
import { rememberedAddresses, type AddressMemory } from './addresses.js';
import { rememberedContext, rememberedGateway, resolvedGatewayMemory, type GatewayContextMemory, type ResolvedGatewayMemory } from './gateways.js';
import type { LookupGeneration } from './lookup-generation.js';
import { parseMemory, rememberingParse, type ParseMemory } from './parse.js';
import type { ListHistory } from './parse-cache.js';
import { rememberedAttachments, rememberedBackends, rememberedResolvedRoute, routeMemory, type RouteMemory } from './routes.js';
import { withRoutesReplaced } from './routes-changed.js';
import { withGatewaysChanged, type GatewaysDelta } from './gateways-changed.js';
import { RoutesNaming } from './routes-naming.js';
import { withSlicesReplaced } from './slices.js';

/** What resolution remembers between calls for one cluster (an engine's). */
export interface ResolveMemory {
  readonly parse: ParseMemory;
  readonly resolution: MemoSlot<WorkedResolution>;
  readonly slices: MemoSlot<SliceIndex>;
  readonly grants: MemoSlot<ReferenceGrantIndex>;
  readonly namespaces: MemoSlot<ReadonlyMap<string, ParsedNamespace>>;
  readonly contexts: GatewayContextMemory;
  readonly addresses: AddressMemory;
  readonly addressEntries: MemoByObject<ResolvedGateway, ResolvedGraph['addresses']>;
  readonly routes: RouteMemory;
  readonly gateways: ResolvedGatewayMemory;
  /** Which routes name each Gateway and Service (./routes-naming.ts), for the Gateway patch. */
  readonly routesNaming: RoutesNaming;
}

/** An empty ResolveMemory. */
export function resolveMemory(history?: ListHistory): ResolveMemory {
  return {
    parse: parseMemory(history),
    resolution: {},
    slices: {},
    grants: {},
    namespaces: {},
    contexts: new WeakMap(),
    addresses: {},
    addressEntries: new WeakMap(),
    routes: routeMemory(),
    gateways: resolvedGatewayMemory(),
    routesNaming: new RoutesNaming(),
  };
}

/** resolveGraph, remembering its work in `memory`. */
export function rememberingResolve(snapshot: Snapshot, options: ReconcileOptions, memory: ResolveMemory): ResolvedGraph {
  // Parsed first: the steps after it need the generation of the Services Map it hands out.
  const { parsed, servicesGeneration } = rememberingParse(snapshot, memory.parse);
  const steps = rememberingSteps(memory, servicesGeneration);
  const graph = resolveGraph(snapshot, options, {
    parse: () => parsed,
    resolution: (p, opts) => rememberedResolution(p, opts, servicesGeneration, steps, memory),
    sliceIndex: (slices) =>
      recallOrPatch(memory.slices, [slices], ([lastSlices], last) => withSlicesReplaced(lastSlices as typeof slices, last, slices), () => indexEndpointSlices(slices)),
  });
  // A lineage's first resolve was made afresh (rememberedResolution), so it looked up every key its routes name.
  servicesGeneration.settle();
  return graph;
}

/**
 * resolveParsed's per-item steps, each remembered in `memory`. `servicesGeneration` stands for the
 * Services Map in what is remembered from lookups in it: the lookups record every key looked up
 * against it (./lookup-generation.ts).
 */
function rememberingSteps(memory: ResolveMemory, servicesGeneration: LookupGeneration): ResolutionSteps {
  const pure = PURE_RESOLUTION_STEPS;
  return {
    namespaces: (list) => recall(memory.namespaces, [list], () => pure.namespaces(list)),
    grants: (list) => recall(memory.grants, [list], () => pure.grants(list)),
    backendLookups: (services, grants) => ({ services: servicesGeneration.lookup(services), grants }),
    gatewayContext: (gw, resolvedClass) => rememberedContext(gw, resolvedClass, memory.contexts),
    routeAttachments: (route, parents, namespaces) => rememberedAttachments(route, parents, namespaces, memory.routes),
    routeBackends: (route, lookups, mode) => rememberedBackends(route, lookups, mode, servicesGeneration, memory.routes),
    resolvedRoute: (route, key, attachments, resolutions, options) =>
      rememberedResolvedRoute(route, key, attachments, resolutions, options, servicesGeneration, memory.routes),
    assignAddresses: (request, options) => rememberedAddresses(request, options, memory.addresses),
    resolveGateway: (ctx, listenerSets, assignment, lookups, backendsOf, options) =>
      rememberedGateway(ctx, listenerSets, assignment, lookups, backendsOf, options, servicesGeneration, memory.gateways),
    // A function of the resolved Gateway alone.
    addressEntries: (g) => recallFor(memory.addressEntries, g, NO_INPUTS, () => pure.addressEntries(g)),
  };
}

/**
 * The resolution, remembered with everything resolveParsed reads, and patched when only routes
 * changed. Only the remembered resolution is patched: its work holds the remembered Gateway
 * contexts, whose listeners hold its routes (a resolution made without memory has contexts of
 * its own). Its work's lookups were made with the Services' generation of that time, which is
 * this one: the Services Map is the same instance (resolutionInputs), and a parsed list's Map and
 * generation are remembered together (./parse.ts).
 */
function rememberedResolution(
  parsed: ParsedSnapshot,
  options: ReconcileOptions,
  servicesGeneration: LookupGeneration,
  steps: ResolutionSteps,
  memory: ResolveMemory,
): WorkedResolution['resolution'] {
  const inputs = resolutionInputs(parsed, options, servicesGeneration);
  return recallOrPatch(
    memory.resolution,
    inputs,
    (lastInputs, last) =>
      onlyRoutesDiffer(lastInputs, inputs)
        ? routesReplaced(last, lastInputs[ROUTES_INPUT] as readonly ParsedRoute[], parsed.routes, options, steps)
        : onlyGatewaysMayDiffer(lastInputs, inputs)
          ? withGatewaysChanged(last, gatewaysDelta(lastInputs), parsed, options, steps, memory.routesNaming)
          : undefined,
    () => resolveParsed(parsed, options, steps),
  ).resolution;
}

/**
 * Everything resolveParsed reads: the parsed lists and their lookups (each the same instance
 * while its objects are unchanged, ./parse.ts), the held-back addresses, the CRD bundle
 * versions and every option except `now`; and the lineage of the Services' generation, which
 * no patch may cross: a patch carries results whose lookups only the lineage they were made in
 * recorded (./lookup-generation.ts).
 */
function resolutionInputs(parsed: ParsedSnapshot, options: ReconcileOptions, servicesGeneration: LookupGeneration): unknown[] {
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
    servicesGeneration.lineage,
  ];
  const versions = Object.entries(parsed.crdBundleVersions);
  inputs.push(versions.length);
  for (const [key, value] of versions) inputs.push(key, value);
  inputs.push(...optionsButNow(options));
  return inputs;
}

/** Where resolutionInputs puts the routes. */
const ROUTES_INPUT = 0;

/** Where resolutionInputs puts the Gateways, the Services (list and Map) and the held-back addresses. */
const GATEWAYS_INPUT = 2;
const SERVICES_INPUT = 6;
const SERVICES_BY_KEY_INPUT = 7;
const HELD_BACK_INPUT = 10;

/** The inputs a Gateway added or removed (with its routes and Services) changes. */
const GATEWAY_DELTA_INPUTS: ReadonlySet<number> = new Set([ROUTES_INPUT, GATEWAYS_INPUT, SERVICES_INPUT, SERVICES_BY_KEY_INPUT, HELD_BACK_INPUT]);

function onlyRoutesDiffer(lastInputs: readonly unknown[], inputs: readonly unknown[]): boolean {
  return onlyDiffer(lastInputs, inputs, (i) => i === ROUTES_INPUT);
}

function onlyGatewaysMayDiffer(lastInputs: readonly unknown[], inputs: readonly unknown[]): boolean {
  return onlyDiffer(lastInputs, inputs, (i) => GATEWAY_DELTA_INPUTS.has(i));
}

/** True when the inputs are the same but at the places `mayDiffer` allows. */
function onlyDiffer(lastInputs: readonly unknown[], inputs: readonly unknown[], mayDiffer: (i: number) => boolean): boolean {
  if (lastInputs.length !== inputs.length) return false;
  for (let i = 0; i < inputs.length; i++) if (!mayDiffer(i) && lastInputs[i] !== inputs[i]) return false;
  return true;
}

/** The Gateways, routes and Services the last resolution was made from (resolutionInputs). */
function gatewaysDelta(lastInputs: readonly unknown[]): GatewaysDelta {
  return {
    lastRoutes: lastInputs[ROUTES_INPUT] as readonly ParsedRoute[],
    lastGateways: lastInputs[GATEWAYS_INPUT] as readonly ParsedGateway[],
    lastServices: lastInputs[SERVICES_INPUT] as readonly ParsedService[],
  };
}

/** The last resolution with a few routes replaced (./routes-changed.ts). */
function routesReplaced(
  last: WorkedResolution,
  lastRoutes: readonly ParsedRoute[],
  routes: readonly ParsedRoute[],
  options: ReconcileOptions,
  steps: ResolutionSteps,
): WorkedResolution | undefined {
  const patched = withRoutesReplaced(last.resolution, last.work, lastRoutes, routes, options, steps);
  return patched === undefined ? undefined : { resolution: { ...last.resolution, ...patched.resolved }, work: patched.work };
}
