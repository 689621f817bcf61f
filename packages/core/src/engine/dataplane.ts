// What an engine remembers of the dataplane stage (dataplane/realise.ts): the last result with
// everything it was computed from, so that a converged cluster realises nothing again; the same
// result patched (./dataplane-patch.ts) when only a few Gateways, EndpointSlices or unclaimed
// Services changed; and each Gateway's DP1 objects (./endpoints.ts) for when it is realised again.

import type { ResolvedGraph } from '../model/graph.js';
import { ANNOTATION_UPDATE_ORIGINAL } from '../model/labels.js';
import { recallOrPatch, type MemoSlot } from './memo.js';
import { optionsButNow, type ReconcileOptions } from '../model/options.js';
import type { ParsedService } from '../model/parsed.js';
import { isL4gwService, type ServiceNameClaims } from '../dataplane/claims.js';
import { endpointSliceLookup } from '../dataplane/endpoints.js';
import { realiseDataplaneWork, type DataplaneResult, type DataplaneSteps } from '../dataplane/realise.js';
import { withEndpointsReplaced, type RememberedEndpoints } from './dataplane-patch.js';
import { PatchedMap } from './patched-map.js';
import { endpointsMemory, rememberingDataplaneSteps, type EndpointsMemory } from './endpoints.js';

/**
 * What the dataplane remembers between calls for one cluster (an engine's): the last result with
 * everything it was computed from (the graph's Gateways, the same list while nothing but
 * EndpointSlices changed, gateway/resolve.ts; the observed Services, the foreign class labels,
 * the EndpointSlices by Service, the same index while they are unchanged; every option but
 * `now`); and each Gateway's DP1 objects.
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
  readonly endpoints: RememberedEndpoints;
}

/** `realiseDataplane(graph, options)`, remembering its work in `memory`. */
export function rememberingDataplane(graph: ResolvedGraph, options: ReconcileOptions, memory: DataplaneMemory): DataplaneResult {
  const inputs = dataplaneInputs(graph, options);
  const steps = rememberingDataplaneSteps(memory.endpoints);
  return recallOrPatch(
    memory.result,
    inputs,
    (lastInputs, last) => endpointsReplaced(lastInputs, last, inputs, graph, options, steps),
    () => realiseDataplaneWork(graph, options, steps),
  ).result;
}

function dataplaneInputs(graph: ResolvedGraph, options: ReconcileOptions): unknown[] {
  return [graph.gateways, graph.index.endpointSlicesByService, graph.index.services, graph.foreignClassLabels, ...optionsButNow(options)];
}

/**
 * The last result with the DP1 objects of a few Gateways made again, when only the Gateways'
 * resolutions and the slice index (the first two inputs) changed: feedback and diagnostics come
 * from DP2–DP4 and from name claims, which the patch leaves as they were (./dataplane-patch.ts).
 */
function endpointsReplaced(
  lastInputs: readonly unknown[],
  last: WorkedResult,
  inputs: readonly unknown[],
  graph: ResolvedGraph,
  options: ReconcileOptions,
  steps: DataplaneSteps,
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
  const patched = withEndpointsReplaced(last.result.objects, last.endpoints, graph.gateways, lastIndex, endpointSliceLookup(graph), options, steps);
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
 * True when `services` are `last` with a few Services added, removed or replaced, none read by
 * DP1–DP4: none carries the update-mode original (which DP4 restores from); of the users'
 * Services (a name claim is refused for them; l4gw's own answer a claim as no Service does), no
 * claim asked for an added one's name (so none is told it is foreign now) and none was refused a
 * removed one's (so none would be granted it now); and a replaced one answers claims as before
 * (l4gw's or the user's both times), which is all DP1–DP3 read of it.
 */
function onlyUnclaimedServicesDiffer(last: ReadonlyMap<string, ParsedService>, services: ReadonlyMap<string, ParsedService>, claims: ServiceNameClaims): boolean {
  if (Math.abs(services.size - last.size) > MAX_SERVICES_CHANGED) return false;
  const original = (service: ParsedService): boolean => ANNOTATION_UPDATE_ORIGINAL in service.meta.annotations;
  const unread = (key: string, service: ParsedService, came: boolean): boolean =>
    !original(service) && (isL4gwService(service) || (came ? claims.unasked(key) : !claims.wasRefused(key)));
  const unreadChange = (key: string, before: ParsedService | undefined, after: ParsedService | undefined): boolean => {
    if (before !== undefined && after !== undefined) return !original(before) && !original(after) && isL4gwService(before) === isL4gwService(after);
    return after !== undefined ? unread(key, after, true) : unread(key, before!, false);
  };
  const changedKeys = PatchedMap.changedKeys(last, services);
  if (changedKeys !== undefined) {
    if (changedKeys.size > MAX_SERVICES_CHANGED) return false;
    for (const key of changedKeys) if (!unreadChange(key, last.get(key), services.get(key))) return false;
    return true;
  }
  let changed = 0;
  for (const [key, service] of services) {
    const before = last.get(key);
    if (before === service) continue;
    if (++changed > MAX_SERVICES_CHANGED || !unreadChange(key, before, service)) return false;
  }
  for (const [key, service] of last) {
    if (services.has(key)) continue;
    if (++changed > MAX_SERVICES_CHANGED || !unread(key, service, false)) return false;
  }
  return true;
}
