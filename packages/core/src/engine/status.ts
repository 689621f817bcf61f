// Status building (status/build.ts) with an engine's memory: remembered as a whole and per
// Gateway and route. A graph resolved from unchanged objects is the same instances
// (gateway/resolve.ts, gateway/resolved-gateway.ts, routes/route-resolutions.ts), so a status is
// only built again when what it is built from changed, or when it stamped `now` on a condition
// and `now` moved on.

import type { StatusIntent } from '../model/desired.js';
import type { ResolvedGateway, ResolvedGraph, ResolvedRoute, RouteFeedback } from '../model/graph.js';
import { recall, recallFor, recallOrPatch, ScratchInputs, type MemoByObject, type MemoSlot } from './memo.js';
import type { ReconcileOptions } from '../model/options.js';
import {
  gatewayStatus,
  listenerSetCount,
  PURE_STATUS_STEPS,
  statusAddressesOf,
  statusesOf,
  type Clock,
  type StatusSteps,
} from '../status/build.js';

/** What status building remembers between calls for one cluster (an engine's). */
export interface StatusMemory {
  readonly whole: MemoSlot<Stamped<StatusIntent[]>>;
  readonly gateways: MemoByObject<ResolvedGateway, Stamped<StatusIntent>>;
  readonly routes: MemoByObject<ResolvedRoute, Stamped<StatusIntent>>;
  readonly assigned: MemoSlot<ReadonlySet<string>>;
  readonly gatewayInputs: ScratchInputs;
  readonly routeInputs: ScratchInputs;
}

/** An empty StatusMemory. */
export function statusMemory(): StatusMemory {
  return { whole: {}, gateways: new WeakMap(), routes: new WeakMap(), assigned: {}, gatewayInputs: new ScratchInputs(), routeInputs: new ScratchInputs() };
}

/** `buildStatuses(graph, feedback, options)`, remembering its work in `memory`. */
export function rememberingStatuses(graph: ResolvedGraph, feedback: readonly RouteFeedback[], options: ReconcileOptions, memory: StatusMemory): StatusIntent[] {
  const steps = rememberingSteps(memory);
  const inputs = statusInputs(graph, feedback, options);
  inputs.push(nowInput(memory.whole.last?.result, options.now));
  const result = recallOrPatch(
    memory.whole,
    inputs,
    (lastInputs, last) => withItemsReplaced(lastInputs, last, inputs, graph, feedback, options, steps),
    () => stampedBy(options.now, (clock) => statusesOf(graph, feedback, options.controllerName, clock, steps)),
  );
  return result.value;
}

/** The per-item steps of status building, remembered in `memory`. */
function rememberingSteps(memory: StatusMemory): StatusSteps {
  return {
    assignedAddresses: (addresses) => recall(memory.assigned, [addresses], () => PURE_STATUS_STEPS.assignedAddresses(addresses)),
    // Per resolved Gateway with the addresses it lists.
    gatewayIntent: (g, assigned, clock) => {
      const addresses = statusAddressesOf(g, assigned);
      const inputs = memory.gatewayInputs.start();
      inputs.push(addresses.length, ...addresses);
      return recallStampedFor(memory.gateways, g, inputs, clock, (c) => gatewayStatus(g, addresses, c));
    },
    // Per resolved route with its feedback (by value) and our controller name.
    routeIntent: (r, own, controllerName, clock) => {
      const inputs = memory.routeInputs.start();
      inputs.push(controllerName, own.length);
      for (const f of own) inputs.push(f.gateway, f.condition, f.reason, f.message);
      return recallStampedFor(memory.routes, r, inputs, clock, (c) => PURE_STATUS_STEPS.routeIntent(r, own, controllerName, c));
    },
  };
}

/** Past this many changed Gateways or routes, building every status again is as cheap. */
const MAX_PATCHED_ITEMS = 64;

/**
 * The last statuses with those of a few Gateways and routes built again, when only those changed
 * (the graph's Gateway and route lists hold the same items but at a few places, which a route
 * edited in place gives, ./routes-changed.ts) and everything else read is the same, `now`
 * included if it went into the last statuses. Else undefined.
 */
function withItemsReplaced(
  lastInputs: readonly unknown[],
  last: Stamped<StatusIntent[]>,
  inputs: readonly unknown[],
  graph: ResolvedGraph,
  feedback: readonly RouteFeedback[],
  options: ReconcileOptions,
  steps: StatusSteps,
): Stamped<StatusIntent[]> | undefined {
  if (lastInputs.length !== inputs.length || inputs[LISTENER_SETS_INPUT] === true) return undefined;
  for (let i = 0; i < inputs.length; i++) if (i !== GATEWAYS_INPUT && i !== ROUTES_INPUT && lastInputs[i] !== inputs[i]) return undefined;
  const gateways = changedPlaces(lastInputs[GATEWAYS_INPUT] as readonly ResolvedGateway[], graph.gateways);
  const routes = changedPlaces(lastInputs[ROUTES_INPUT] as readonly ResolvedRoute[], graph.routes);
  if (gateways === undefined || routes === undefined) return undefined;
  return stampedBy(options.now, (clock) => {
    // statusesOf's layout without ListenerSets: Gateways, classes, routes, one intent each.
    const value = last.value.slice();
    const assigned = steps.assignedAddresses(graph.addresses);
    for (const i of gateways) value[i] = steps.gatewayIntent(graph.gateways[i]!, assigned, clock);
    // The classes are the same, and so are their statuses (a stamped `now` is the same `now`).
    const routesAt = graph.gateways.length + graph.classes.length;
    for (const i of routes) {
      const route = graph.routes[i]!;
      value[routesAt + i] = steps.routeIntent(route, feedback.filter((f) => f.route === route.key), options.controllerName, clock);
    }
    // What was reused may hold `now` too.
    if (last.stamped) clock.used = true;
    return value;
  });
}

/** The places where `items` differ from `last`, when they are as long and differ at few places. */
function changedPlaces<T>(last: readonly T[], items: readonly T[]): number[] | undefined {
  if (last.length !== items.length) return undefined;
  const places: number[] = [];
  for (let i = 0; i < items.length; i++) {
    if (items[i] === last[i]) continue;
    if (places.length === MAX_PATCHED_ITEMS) return undefined;
    places.push(i);
  }
  return places;
}

/** A result and whether `now` went into it. */
interface Stamped<T> {
  readonly value: T;
  readonly stamped: boolean;
}

/** Stands for `now` in the inputs while the remembered result does not contain it. */
const NOW_UNUSED = Symbol('now unused');

// `now` moves on every reconcile of a controller, but a converged cluster's statuses stamp
// nothing, so `now` is an input only of a result that contains it: appended last, as `now` when
// the remembered result was stamped and NOW_UNUSED otherwise, it makes the inputs match only when
// the remembered result did not use it (NOW_UNUSED both times) or used the very same `now` (the
// inputs it was built from then ended with that `now` too). Anything else computes afresh.

/** The last input of a result that may contain `now` (see above), given the one remembered. */
function nowInput(remembered: Stamped<unknown> | undefined, now: string): unknown {
  return remembered?.stamped === true ? now : NOW_UNUSED;
}

/** `recallFor` of a result that may contain `now` (see above); a stamp is reported to `clock`. */
function recallStampedFor<K extends object, T>(memo: MemoByObject<K, Stamped<T>>, key: K, inputs: unknown[], clock: Clock, build: (clock: Clock) => T): T {
  inputs.push(nowInput(memo.get(key)?.result, clock.now));
  const result = recallFor(memo, key, inputs, () => stampedBy(clock.now, build));
  if (result.stamped) clock.used = true;
  return result.value;
}

/** What `build` gives with a clock of its own, and whether it stamped `now`. */
function stampedBy<T>(now: string, build: (clock: Clock) => T): Stamped<T> {
  const own: Clock = { now, used: false };
  const value = build(own);
  return { value, stamped: own.used };
}

/**
 * Everything statusesOf reads: the graph's lists (everything in them is read-only), the
 * feedback by value (today a function of the graph and options, listed so that a dataplane that
 * comes to read more stays covered) and the controller name.
 */
function statusInputs(graph: ResolvedGraph, feedback: readonly RouteFeedback[], options: ReconcileOptions): unknown[] {
  const inputs: unknown[] = [graph.gateways, graph.routes, graph.classes, graph.addresses, options.controllerName, listenerSetCount(graph) > 0, feedback.length];
  for (const f of feedback) inputs.push(f.route, f.gateway, f.condition, f.reason, f.message);
  return inputs;
}

/** Where statusInputs puts the graph's Gateways and routes, which withItemsReplaced compares place by place. */
const GATEWAYS_INPUT = 0;
const ROUTES_INPUT = 1;
/**
 * Where it puts whether any Gateway has ListenerSets. Their statuses are built from the resolved
 * Gateways, so a whole result remembered for the same Gateways holds; but withItemsReplaced keeps
 * no ListenerSet status in place, so it does not patch a result that has some.
 */
const LISTENER_SETS_INPUT = 5;
