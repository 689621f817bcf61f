// The dataplane half of reconcile: from the resolved graph to the objects that realise it
// (DP1–DP7). Phases run in a fixed order because names are first come, first served: the
// per-Gateway Services (DP1) claim their names before the selector Services (DP2, DP3), and
// update mode (DP4) runs last because it edits existing Services rather than naming new ones.

import type { Diagnostic } from '../model/desired.js';
import type { ResolvedGraph, RouteFeedback } from '../model/graph.js';
import type { KubeObject } from '../model/kube.js';
import { optionsButNow, type ReconcileOptions } from '../model/options.js';
import { recallOrPatch, type MemoSlot } from '../model/memory.js';
import type { ParsedEndpointSlice, ParsedService } from '../model/parsed.js';
import { isL4gwService, ServiceNameClaims } from './claims.js';
import { claimEndpointsServiceName, endpointsMemory, endpointsObjects, type EndpointSliceLookup, type EndpointsMemory } from './endpoints.js';
import { endpointsListeners, withEndpointsReplaced, type EndpointsWork } from './changed.js';
import { FeedbackCollector } from './feedback.js';
import { messages } from './messages.js';
import { SelectorServices } from './selector-services.js';
import { UpdateModeServices } from './update-mode.js';
import { sortObjects } from '../model/order.js';
import { ANNOTATION_UPDATE_ORIGINAL } from '../model/labels.js';

const NO_SLICES: readonly ParsedEndpointSlice[] = Object.freeze([]);

/** What the dataplane hands back to reconcile. */
export interface DataplaneResult {
  /** Generated Services and EndpointSlices, and update-mode Services changed or restored, sorted. */
  readonly objects: readonly KubeObject[];
  /** Route problems for the status builder (DP2, DP5). */
  readonly feedback: readonly RouteFeedback[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Realises every listener of every realisable Gateway by its winning route's behaviour:
 * `endpoints` (DP1), `create` (DP2), `duplicate` (DP3) or `update` (DP4). Selector behaviours
 * serve the first backendRef only and report the rest as dropped (DP5); a weight-0 first backend
 * realises nothing (RT6). Observed Services that update mode no longer needs are restored.
 * Objects of Gateways that are gone or no longer realisable are simply not desired, which is how
 * plan knows to delete them (DP8).
 */
export function realiseDataplane(graph: ResolvedGraph, options: ReconcileOptions, memory?: DataplaneMemory): DataplaneResult {
  if (memory === undefined) return realiseNow(graph, options, undefined).result;
  const inputs = dataplaneInputs(graph, options);
  return recallOrPatch(
    memory.result,
    inputs,
    (lastInputs, last) => endpointsReplaced(lastInputs, last, inputs, graph, options, memory.endpoints),
    () => realiseNow(graph, options, memory.endpoints),
  ).result;
}

/**
 * What the dataplane remembers between calls for one cluster (an engine's): the last result with
 * everything it was computed from (the graph's Gateways, the same list while nothing but
 * EndpointSlices changed, gateway/resolve.ts; the observed Services, the foreign class labels,
 * the EndpointSlices by Service, the same index while they are unchanged; every option but
 * `now`), so that a converged cluster realises nothing again; and each Gateway's DP1 objects.
 */
export interface DataplaneMemory {
  readonly result: MemoSlot<WorkedResult>;
  readonly endpoints: EndpointsMemory;
}

/** An empty DataplaneMemory. */
export function dataplaneMemory(): DataplaneMemory {
  return { result: {}, endpoints: endpointsMemory() };
}

/** A result and what DP1 gave per Gateway, which the next result may start from (endpointsReplaced). */
interface WorkedResult {
  readonly result: DataplaneResult;
  readonly endpoints: EndpointsWork;
}

function dataplaneInputs(graph: ResolvedGraph, options: ReconcileOptions): unknown[] {
  return [graph.gateways, graph.index.endpointSlicesByService, graph.index.services, graph.foreignClassLabels, ...optionsButNow(options)];
}

/**
 * The last result with the DP1 objects of a few Gateways made again, when only the Gateways'
 * resolutions and the slice index (the first two inputs) changed: feedback and diagnostics come
 * from DP2–DP4 and from name claims, which the patch leaves as they were (./changed.ts).
 */
function endpointsReplaced(
  lastInputs: readonly unknown[],
  last: WorkedResult,
  inputs: readonly unknown[],
  graph: ResolvedGraph,
  options: ReconcileOptions,
  memory: EndpointsMemory,
): WorkedResult | undefined {
  if (lastInputs.length !== inputs.length) return undefined;
  // The foreign class labels are a new Set whenever the graph was resolved again: the same labels do.
  if (!sameLabels(lastInputs[FOREIGN_LABELS_INPUT] as ReadonlySet<string>, graph.foreignClassLabels)) return undefined;
  for (let i = FOREIGN_LABELS_INPUT + 1; i < inputs.length; i++) if (lastInputs[i] !== inputs[i]) return undefined;
  const services = graph.index.services;
  if (lastInputs[SERVICES_INPUT] !== services) {
    if (!onlyUnclaimedServicesDiffer(lastInputs[SERVICES_INPUT] as ResolvedGraph['index']['services'], services, last.endpoints.claims)) return undefined;
    last.endpoints.claims.observe(services);
  }
  const lastIndex = lastInputs[1] as ResolvedGraph['index']['endpointSlicesByService'];
  const patched = withEndpointsReplaced(last.result.objects, last.endpoints, graph.gateways, lastIndex, sliceLookup(graph), options, memory);
  if (patched === undefined) return undefined;
  return { result: { ...last.result, objects: patched.objects }, endpoints: patched.work };
}

/** Where dataplaneInputs puts the observed Services and the foreign class labels. */
const SERVICES_INPUT = 2;
const FOREIGN_LABELS_INPUT = 3;

function sameLabels(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const label of a) if (!b.has(label)) return false;
  return true;
}

/** Past this many Services come or gone, realising again is as cheap as comparing them. */
const MAX_SERVICES_CHANGED = 64;

/**
 * True when `services` are `last` with a few Services added or removed, none replaced, and none
 * read by DP1–DP4: none carries the update-mode original (which DP4 restores from), and of the
 * users' Services (a name claim is refused for them; l4gw's own answer a claim as no Service
 * does), no claim asked for an added one's name (so none is told it is foreign now) and none
 * was refused a removed one's (so none would be granted it now).
 */
function onlyUnclaimedServicesDiffer(last: ReadonlyMap<string, ParsedService>, services: ReadonlyMap<string, ParsedService>, claims: ServiceNameClaims): boolean {
  if (Math.abs(services.size - last.size) > MAX_SERVICES_CHANGED) return false;
  const unread = (key: string, service: ParsedService, came: boolean): boolean =>
    !(ANNOTATION_UPDATE_ORIGINAL in service.meta.annotations) && (isL4gwService(service) || (came ? claims.unasked(key) : !claims.wasRefused(key)));
  let changed = 0;
  for (const [key, service] of services) {
    const before = last.get(key);
    if (before === service) continue;
    if (before !== undefined || ++changed > MAX_SERVICES_CHANGED || !unread(key, service, true)) return false;
  }
  for (const [key, service] of last) {
    if (services.has(key)) continue;
    if (++changed > MAX_SERVICES_CHANGED || !unread(key, service, false)) return false;
  }
  return true;
}

function sliceLookup(graph: ResolvedGraph): EndpointSliceLookup {
  const slicesByService = graph.index.endpointSlicesByService;
  return {
    index: slicesByService,
    of: (service: ParsedService): readonly ParsedEndpointSlice[] => slicesByService.get(service.meta.namespace)?.get(service.meta.name) ?? NO_SLICES,
  };
}

function realiseNow(graph: ResolvedGraph, options: ReconcileOptions, memory: EndpointsMemory | undefined): WorkedResult {
  const feedback = new FeedbackCollector();
  const diagnostics: Diagnostic[] = [];
  const claims = new ServiceNameClaims(graph.index.services);
  const objects: KubeObject[] = [];

  // Phase 1 (DP1): one Service per Gateway for its `endpoints` listeners.
  const slicesOf = sliceLookup(graph);
  const names: (string | undefined)[] = [];
  const perGateway: (readonly KubeObject[])[] = [];
  for (const gateway of graph.gateways) {
    const listeners = endpointsListeners(gateway);
    const name = listeners.length === 0 ? '' : claimEndpointsServiceName(gateway, claims, diagnostics);
    const own = name === undefined || name === '' ? NO_OBJECTS : endpointsObjects(gateway, listeners, slicesOf, name, options, memory);
    names.push(name);
    perGateway.push(own);
    for (const object of own) objects.push(object);
  }

  // Phase 2 (DP2, DP3, DP4): listeners realised through their single backend.
  const selectorServices = new SelectorServices(claims, feedback);
  const updateMode = new UpdateModeServices(feedback, diagnostics);
  for (const gateway of graph.gateways) {
    if (!gateway.realisable) continue;
    for (const listener of gateway.listeners) {
      const winner = listener.winner;
      if (winner === undefined || winner.behaviour === 'endpoints') continue;
      if (winner.backends.length > 1) {
        feedback.add({
          route: winner.key,
          gateway: gateway.key,
          condition: 'PartiallyInvalid',
          reason: 'UnsupportedValue',
          message: messages.extraBackendsDropped(winner.behaviour, winner.backends.length - 1),
        });
      }
      const backend = winner.backends[0];
      if (backend === undefined || backend.weight <= 0) continue;
      if (winner.behaviour === 'update') updateMode.add(gateway, listener, winner, backend);
      else selectorServices.add(gateway, listener, winner, backend);
    }
  }
  objects.push(...selectorServices.objects(options));
  objects.push(...updateMode.objects(graph.index.services.values(), graph.foreignClassLabels, options));

  return {
    result: { objects: sortObjects(objects), feedback: feedback.items, diagnostics },
    endpoints: { gateways: graph.gateways, names, objects: perGateway, claims },
  };
}

const NO_OBJECTS: readonly KubeObject[] = Object.freeze([]);

