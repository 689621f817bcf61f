// The dataplane half of reconcile: from the resolved graph to the objects that realise it
// (DP1–DP7). Phases run in a fixed order because names are first come, first served: the
// per-Gateway Services (DP1) claim their names before the selector Services (DP2, DP3), and
// update mode (DP4) runs last because it edits existing Services rather than naming new ones.

import type { Diagnostic } from '../model/desired.js';
import type { RealisedListener, ResolvedGateway, ResolvedGraph, RouteFeedback } from '../model/graph.js';
import type { KubeObject } from '../model/kube.js';
import type { ReconcileOptions } from '../model/options.js';
import { ServiceNameClaims } from './claims.js';
import { claimEndpointsServiceName, endpointSliceLookup, endpointsListeners, endpointsObjects, type EndpointSliceLookup } from './endpoints.js';
import { FeedbackCollector } from './feedback.js';
import { messages } from './messages.js';
import { SelectorServices } from './selector-services.js';
import { UpdateModeServices } from './update-mode.js';
import { sortObjects } from '../model/order.js';

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
export function realiseDataplane(graph: ResolvedGraph, options: ReconcileOptions, steps: DataplaneSteps = PURE_DATAPLANE_STEPS): DataplaneResult {
  return realiseDataplaneWork(graph, options, steps).result;
}

/**
 * The work inside the dataplane that an engine remembers per Gateway (engine/endpoints.ts): each
 * function a function of its arguments alone.
 */
export interface DataplaneSteps {
  /** DP1: the Service `name` and its EndpointSlices for one Gateway (./endpoints.ts). */
  endpointsObjects(gateway: ResolvedGateway, listeners: readonly RealisedListener[], slicesOf: EndpointSliceLookup, name: string, options: ReconcileOptions): readonly KubeObject[];
}

/** The steps as the rules define them: nothing is remembered. */
const PURE_DATAPLANE_STEPS: DataplaneSteps = Object.freeze({
  endpointsObjects: (gateway: ResolvedGateway, listeners: readonly RealisedListener[], slicesOf: EndpointSliceLookup, name: string, options: ReconcileOptions) =>
    endpointsObjects(gateway, listeners, slicesOf, name, options),
});

/** A result and what DP1 gave per Gateway, which an engine derives the next result from (engine/dataplane-patch.ts). */
interface DataplaneWork {
  readonly result: DataplaneResult;
  readonly endpoints: EndpointsWork;
}

/** What realising Gateways in DP1 gave, per Gateway in graph order. */
export interface EndpointsWork {
  readonly gateways: readonly ResolvedGateway[];
  /** The DP1 Service name each was granted; '' when it realises no DP1 listener, undefined when refused. */
  readonly names: readonly (string | undefined)[];
  readonly objects: readonly (readonly KubeObject[])[];
  /** Who got which Service name: what a Gateway added or removed, or a Service come or gone, would change. */
  readonly claims: ServiceNameClaims;
}

/** True when the Gateway has a listener realised through its single backend (DP2, DP3, DP4: phase 2 below). */
export function takesPartInSelectorBehaviours(gateway: ResolvedGateway): boolean {
  return gateway.realisable && gateway.listeners.some((l) => l.winner !== undefined && l.winner.behaviour !== 'endpoints');
}

/** realiseDataplane, and what DP1 gave per Gateway. */
export function realiseDataplaneWork(graph: ResolvedGraph, options: ReconcileOptions, steps: DataplaneSteps): DataplaneWork {
  const feedback = new FeedbackCollector();
  const diagnostics: Diagnostic[] = [];
  const claims = new ServiceNameClaims(graph.index.services);
  const objects: KubeObject[] = [];

  // Phase 1 (DP1): one Service per Gateway for its `endpoints` listeners.
  const slicesOf = endpointSliceLookup(graph);
  const names: (string | undefined)[] = [];
  const perGateway: (readonly KubeObject[])[] = [];
  for (const gateway of graph.gateways) {
    const listeners = endpointsListeners(gateway);
    const name = listeners.length === 0 ? '' : claimEndpointsServiceName(gateway, claims, diagnostics);
    const own = name === undefined || name === '' ? NO_OBJECTS : steps.endpointsObjects(gateway, listeners, slicesOf, name, options);
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

