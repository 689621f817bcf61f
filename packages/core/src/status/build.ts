import type { StatusIntent } from '../model/desired.js';
import type {
  ConditionDraft,
  ListenerStatusDraft,
  ResolvedClass,
  ResolvedGateway,
  ResolvedGraph,
  ResolvedListenerSet,
  ResolvedRoute,
  RouteFeedback,
  RouteParentDraft,
} from '../model/graph.js';
import type { ReconcileOptions } from '../model/options.js';
import type { Condition } from '../model/kube.js';
import type { ParsedParentRef } from '../model/parsed.js';
import { compareStrings } from '../model/order.js';
import { fieldCount, isRecord } from '../parse/primitives.js';
import { parseParentRef } from '../parse/route.js';
import { mergeConditions, type ClockUse } from './conditions.js';
import { statusAddresses } from '../model/graph.js';
import { recall, recallFor, recallOrPatch, ScratchInputs, type MemoByObject, type MemoSlot, sameItems } from '../model/memory.js';
import { ConditionType } from './reasons.js';

/** Condition types each object kind's rules manage; others on the object are preserved (GW7). */
const CLASS_TYPES: ReadonlySet<string> = new Set([ConditionType.Accepted, ConditionType.SupportedVersion]);
const GATEWAY_TYPES: ReadonlySet<string> = new Set([ConditionType.Accepted, ConditionType.Programmed]);
const LISTENER_TYPES: ReadonlySet<string> = new Set([
  ConditionType.Accepted,
  ConditionType.ResolvedRefs,
  ConditionType.Programmed,
  ConditionType.Conflicted,
]);
const ROUTE_TYPES: ReadonlySet<string> = new Set([
  ConditionType.Accepted,
  ConditionType.ResolvedRefs,
  ConditionType.PartiallyInvalid,
]);

const NO_FEEDBACK: readonly RouteFeedback[] = Object.freeze([]);

/**
 * Builds the final status of every class, Gateway, ListenerSet and route of ours from the resolved graph and
 * the dataplane's feedback, merged with each object's current status (GW7: lastTransitionTime
 * kept when a condition's status is unchanged, other condition types and other controllers'
 * route parent entries preserved, RT3). Sorted by target kind, namespace and name.
 *
 * With an engine's `memory`, remembered as a whole and per Gateway and route: a graph resolved from
 * unchanged objects is the same instances (gateway/resolve.ts, gateway/resolved-gateway.ts,
 * routes/route-resolutions.ts), so a status is only built again when what it is built from
 * changed, or when it stamped `now` on a condition and `now` moved on.
 */
export function buildStatuses(
  graph: ResolvedGraph,
  feedback: readonly RouteFeedback[],
  options: ReconcileOptions,
  memory?: StatusMemory,
): StatusIntent[] {
  const clock: Clock = { now: options.now, used: false };
  if (memory === undefined) return statusesOf(graph, feedback, options.controllerName, clock, undefined);
  const inputs = statusInputs(graph, feedback, options);
  inputs.push(nowInput(memory.whole.last?.result, clock));
  const result = recallOrPatch(
    memory.whole,
    inputs,
    (lastInputs, last) => withItemsReplaced(lastInputs, last, inputs, graph, feedback, options, memory),
    () => stampedBy(clock.now, (c) => statusesOf(graph, feedback, options.controllerName, c, memory)),
  );
  return reported(clock, result);
}

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

/** Past this many changed Gateways or routes, building every status again is as cheap. */
const MAX_PATCHED_ITEMS = 64;

/**
 * The last statuses with those of a few Gateways and routes built again, when only those changed
 * (the graph's Gateway and route lists hold the same items but at a few places, which a route
 * edited in place gives, gateway/routes-changed.ts) and everything else read is the same, `now`
 * included if it went into the last statuses. Else undefined.
 */
function withItemsReplaced(
  lastInputs: readonly unknown[],
  last: Stamped<StatusIntent[]>,
  inputs: readonly unknown[],
  graph: ResolvedGraph,
  feedback: readonly RouteFeedback[],
  options: ReconcileOptions,
  memory: StatusMemory,
): Stamped<StatusIntent[]> | undefined {
  if (lastInputs.length !== inputs.length || inputs[LISTENER_SETS_INPUT] === true) return undefined;
  for (let i = 0; i < inputs.length; i++) if (i !== GATEWAYS_INPUT && i !== ROUTES_INPUT && lastInputs[i] !== inputs[i]) return undefined;
  const gateways = changedPlaces(lastInputs[GATEWAYS_INPUT] as readonly ResolvedGateway[], graph.gateways);
  const routes = changedPlaces(lastInputs[ROUTES_INPUT] as readonly ResolvedRoute[], graph.routes);
  if (gateways === undefined || routes === undefined) return undefined;
  return stampedBy(options.now, (clock) => {
    const value = last.value.slice();
    const assigned = assignedAddresses(graph.addresses, memory);
    for (const i of gateways) value[i] = gatewayIntent(graph.gateways[i]!, assigned, clock, memory);
    // The classes are the same, and so are their statuses (a stamped `now` is the same `now`).
    const routesAt = graph.gateways.length + graph.classes.length;
    for (const i of routes) {
      const route = graph.routes[i]!;
      value[routesAt + i] = routeIntent(route, feedback.filter((f) => f.route === route.key), options.controllerName, clock, memory);
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

/** `now`, and whether a condition got it as its lastTransitionTime. */
interface Clock extends ClockUse {
  readonly now: string;
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
function nowInput(remembered: Stamped<unknown> | undefined, clock: Clock): unknown {
  return remembered?.stamped === true ? clock.now : NOW_UNUSED;
}

/** `recallFor` of a result that may contain `now` (see above); a stamp is reported to `clock`. */
function recallStampedFor<K extends object, T>(memo: MemoByObject<K, Stamped<T>> | undefined, key: K, inputs: unknown[], clock: Clock, build: (clock: Clock) => T): T {
  if (memo === undefined) return build(clock);
  inputs.push(nowInput(memo.get(key)?.result, clock));
  return reported(clock, recallFor(memo, key, inputs, () => stampedBy(clock.now, build)));
}

function stampedBy<T>(now: string, build: (clock: Clock) => T): Stamped<T> {
  const own: Clock = { now, used: false };
  const value = build(own);
  return { value, stamped: own.used };
}

function reported<T>(clock: Clock, result: Stamped<T>): T {
  if (result.stamped) clock.used = true;
  return result.value;
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

function listenerSetCount(graph: ResolvedGraph): number {
  let count = 0;
  for (const g of graph.gateways) count += g.listenerSets.length;
  return count;
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

function statusesOf(graph: ResolvedGraph, feedback: readonly RouteFeedback[], controllerName: string, clock: Clock, memory: StatusMemory | undefined): StatusIntent[] {
  const feedbackByRoute = new Map<string, RouteFeedback[]>();
  for (const f of feedback) {
    const list = feedbackByRoute.get(f.route);
    if (list === undefined) feedbackByRoute.set(f.route, [f]);
    else list.push(f);
  }
  const assigned = assignedAddresses(graph.addresses, memory);
  // Each graph list is sorted by namespace/name, and the kinds are concatenated in the order of
  // their names (Gateway < GatewayClass < TCPRoute < UDPRoute, route keys start with the kind),
  // so the result is sorted by kind, namespace and name without sorting 150k intents again.
  // withItemsReplaced relies on this layout: Gateways, classes, routes, one intent each.
  return [
    ...graph.gateways.map((g) => gatewayIntent(g, assigned, clock, memory)),
    ...graph.classes.map((c) => classStatus(c, clock)),
    // ListenerSet sorts between GatewayClass and TCPRoute.
    ...listenerSetsByKey(graph).map((ls) => listenerSetStatus(ls, clock)),
    ...graph.routes.map((r) => routeIntent(r, feedbackByRoute.get(r.key) ?? NO_FEEDBACK, controllerName, clock, memory)),
  ];
}

/** The ListenerSets of every Gateway, by `namespace/name`. */
function listenerSetsByKey(graph: ResolvedGraph): ResolvedListenerSet[] {
  if (listenerSetCount(graph) === 0) return [];
  return graph.gateways.flatMap((g) => g.listenerSets).sort((a, b) => compareStrings(a.key, b.key));
}

/** LS3: a ListenerSet's conditions and listener entries, merged with its current status as a Gateway's are (GW7). */
function listenerSetStatus(ls: ResolvedListenerSet, clock: Clock): StatusIntent {
  const set = ls.listenerSet;
  const meta = set.meta;
  const existing = existingStatus(set.raw);
  const conditions = mergeConditions(set.conditions, ls.conditions, GATEWAY_TYPES, meta.generation, clock.now, clock);
  const listeners = listenerEntries(set.listenerStatuses, existing, ls.listenerStatuses, meta.generation, clock);
  const target = { apiVersion: set.apiVersion, kind: 'ListenerSet', namespace: meta.namespace, name: meta.name };
  if (conditions === existing['conditions'] && Array.isArray(existing['listeners']) && sameItems(existing['listeners'] as readonly unknown[], listeners)) {
    return { target, status: existing };
  }
  return { target, status: { ...existing, conditions, listeners } };
}

/** Every address some Gateway was assigned (IP4), one Set per address list. */
function assignedAddresses(addresses: ResolvedGraph['addresses'], memory: StatusMemory | undefined): ReadonlySet<string> {
  return recall(memory?.assigned, [addresses], () => new Set(addresses.map((a) => a.address)));
}


/** A Gateway's status, remembered per resolved Gateway with the addresses it lists. */
function gatewayIntent(g: ResolvedGateway, assigned: ReadonlySet<string>, clock: Clock, memory: StatusMemory | undefined): StatusIntent {
  const addresses = statusAddressesOf(g, assigned);
  const inputs = memory?.gatewayInputs.start() ?? [];
  inputs.push(addresses.length, ...addresses);
  return recallStampedFor(memory?.gateways, g, inputs, clock, (c) => gatewayStatus(g, addresses, c));
}

/** A route's status, remembered per resolved route with its feedback (by value) and our controller name. */
function routeIntent(r: ResolvedRoute, own: readonly RouteFeedback[], controllerName: string, clock: Clock, memory: StatusMemory | undefined): StatusIntent {
  const inputs = memory?.routeInputs.start() ?? [];
  inputs.push(controllerName, own.length);
  for (const f of own) inputs.push(f.gateway, f.condition, f.reason, f.message);
  return recallStampedFor(memory?.routes, r, inputs, clock, (c) => routeStatus(r, own, controllerName, c));
}

/**
 * GW5: the addresses a Gateway's status lists. IP4: a Gateway that is not Accepted keeps the
 * addresses it holds reserved (gateway/addresses.ts), so its status keeps listing them (dropping
 * them would free them one reconcile later), except those an Accepted Gateway was assigned.
 */
function statusAddressesOf(g: ResolvedGateway, assigned: ReadonlySet<string>): readonly string[] {
  if (!g.accepted) return g.gateway.statusAddresses.filter((a) => !assigned.has(a));
  return statusAddresses(g.assignment);
}

function existingStatus(raw: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const status = raw['status'];
  return isRecord(status) ? status : {};
}

/** GC2–GC4. */
function classStatus(c: ResolvedClass, clock: Clock): StatusIntent {
  const meta = c.class.meta;
  return {
    target: { apiVersion: c.class.apiVersion, kind: 'GatewayClass', name: meta.name },
    status: {
      ...existingStatus(c.class.raw),
      conditions: mergeConditions(c.class.conditions, c.conditions, CLASS_TYPES, meta.generation, clock.now, clock),
      supportedFeatures: c.supportedFeatures.map((name) => ({ name })),
    },
  };
}

/** GW3–GW7, with the status addresses already chosen (statusAddressesOf). */
function gatewayStatus(g: ResolvedGateway, addresses: readonly string[], clock: Clock): StatusIntent {
  const gw = g.gateway;
  const meta = gw.meta;
  const existing = existingStatus(gw.raw);
  const existingListeners = Array.isArray(existing['listeners']) ? (existing['listeners'] as readonly unknown[]) : [];
  const conditions = mergeConditions(gw.conditions, g.conditions, GATEWAY_TYPES, meta.generation, clock.now, clock);
  const listeners = listenerEntries(gw.listenerStatuses, existing, g.listenerStatuses, meta.generation, clock);
  // LS3: written once a ListenerSet attached, kept (and counted down) from then on.
  const writesAttached = g.attachedListenerSets > 0 || existing['attachedListenerSets'] !== undefined;
  const target = { apiVersion: gw.apiVersion, kind: 'Gateway', namespace: meta.namespace, name: meta.name };
  // Nothing changed: the existing status is the result (plan then compares by identity).
  if (
    conditions === existing['conditions'] &&
    hasAddresses(existing['addresses'], addresses) &&
    Array.isArray(existing['listeners']) &&
    sameItems(existingListeners, listeners) &&
    (!writesAttached || existing['attachedListenerSets'] === g.attachedListenerSets)
  ) {
    return { target, status: existing };
  }
  return {
    target,
    status: {
      ...existing,
      // GW5: an explicit type on every entry (the conformance suite ignores untyped ones).
      addresses: addresses.map((value) => ({ type: 'IPAddress', value })),
      conditions,
      listeners,
      ...(writesAttached ? { attachedListenerSets: g.attachedListenerSets } : {}),
    },
  };
}

/**
 * GW6, LS3: the `status.listeners` entries of a Gateway or ListenerSet, each merged with the
 * current conditions of its name (GW7); an unchanged entry is the existing one itself.
 */
function listenerEntries(
  current: ResolvedGateway['gateway']['listenerStatuses'],
  existing: Readonly<Record<string, unknown>>,
  drafts: readonly ListenerStatusDraft[],
  generation: number,
  clock: Clock,
): Readonly<Record<string, unknown>>[] {
  const oldListeners = listenerConditionsByName(current);
  const existingListeners = Array.isArray(existing['listeners']) ? (existing['listeners'] as readonly unknown[]) : [];
  return drafts.map((l, i) => {
    const merged = mergeConditions(oldListeners(l.name), l.conditions, LISTENER_TYPES, generation, clock.now, clock);
    const entry = existingListeners[i];
    if (isListenerEntry(entry, l, merged)) return entry;
    return {
      name: l.name,
      supportedKinds: l.supportedKinds.map((k) => ({ group: k.group, kind: k.kind })),
      attachedRoutes: l.attachedRoutes,
      conditions: merged,
    };
  });
}

// Reuse checks: an existing entry stands for the one gatewayStatus or routeStatus would build
// only when it has exactly the fields that one would have, with equal values.

/** True when `entry` is the listener entry that would be built: same name, kinds, count, the merged conditions. */
function isListenerEntry(entry: unknown, l: ListenerStatusDraft, conditions: readonly Condition[]): entry is Readonly<Record<string, unknown>> {
  return (
    isRecord(entry) &&
    entry['conditions'] === conditions &&
    entry['name'] === l.name &&
    entry['attachedRoutes'] === l.attachedRoutes &&
    fieldCount(entry) === 4 &&
    sameKinds(entry['supportedKinds'], l.supportedKinds)
  );
}

function sameKinds(value: unknown, kinds: ListenerStatusDraft['supportedKinds']): boolean {
  if (!Array.isArray(value) || value.length !== kinds.length) return false;
  return kinds.every((k, i) => {
    const v: unknown = value[i];
    return isRecord(v) && v['group'] === k.group && v['kind'] === k.kind && fieldCount(v) === 2;
  });
}

/** True when `value` is the `status.addresses` list GW5 writes for `addresses`. */
function hasAddresses(value: unknown, addresses: readonly string[]): boolean {
  if (!Array.isArray(value) || value.length !== addresses.length) return false;
  return addresses.every((address, i) => {
    const v: unknown = value[i];
    return isRecord(v) && v['type'] === 'IPAddress' && v['value'] === address && fieldCount(v) === 2;
  });
}

/** True when a route's existing parent entry is the one parentEntry would build. */
function isParentEntry(entry: Readonly<Record<string, unknown>>, draft: RouteParentDraft, controllerName: string, conditions: readonly Condition[]): boolean {
  const ref = entry['parentRef'];
  return (
    entry['conditions'] === conditions &&
    entry['controllerName'] === controllerName &&
    fieldCount(entry) === 3 &&
    isRecord(ref) &&
    fieldCount(ref) === fieldCount(draft.parentRef) &&
    hasValuesOf(ref, draft.parentRef)
  );
}

/** True when `record` has every field of `expected` with the same value (one level deep, no key list built). */
function hasValuesOf(record: Readonly<Record<string, unknown>>, expected: Readonly<Record<string, unknown>>): boolean {
  for (const key in expected) if (Object.hasOwn(expected, key) && record[key] !== expected[key]) return false;
  return true;
}

/** Past this many listeners (the CRD allows 64) a Map beats scanning the list per listener. */
const LISTENER_SCAN_LIMIT = 64;

/**
 * Finds the current conditions of a listener by name (the last entry of that name, as a Map built
 * from the list keeps). Scanned in place for the usual few listeners rather than building a Map
 * per Gateway; a Map for longer (invalid) lists, so arbitrary input stays linear.
 */
function listenerConditionsByName(statuses: ResolvedGateway['gateway']['listenerStatuses']): (name: string) => readonly Condition[] {
  if (statuses.length > LISTENER_SCAN_LIMIT) {
    const byName = new Map(statuses.map((l) => [l.name, l.conditions]));
    return (name) => byName.get(name) ?? [];
  }
  return (name) => {
    for (let i = statuses.length - 1; i >= 0; i--) {
      const status = statuses[i];
      if (status !== undefined && status.name === name) return status.conditions;
    }
    return [];
  };
}

/**
 * RT3: our entries are rebuilt from the drafts (with feedback merged); other controllers'
 * entries stay exactly as they were, in place; our stale entries are dropped. Entries keep
 * their positions so that an unchanged status serialises identically (R1).
 */
function routeStatus(r: ResolvedRoute, feedback: readonly RouteFeedback[], ours: string, clock: Clock): StatusIntent {
  const route = r.route;
  // One draft per identity, the first one winning; `written[i]` marks drafts already placed.
  const drafts: RouteParentDraft[] = [];
  const identities = new IdentityList();
  for (const parent of r.parents) {
    const draft = feedback.length === 0 ? parent : applyFeedback(parent, feedback);
    const identity = draftIdentity(draft, route.meta.namespace);
    if (identity === undefined || identities.indexOf(identity) >= 0) continue;
    drafts.push(draft);
    identities.push(identity);
  }
  const written: boolean[] = drafts.map(() => false);
  const parents: Readonly<Record<string, unknown>>[] = [];
  for (const existing of route.statusParents) {
    if (existing.controllerName !== ours) {
      parents.push(existing.raw);
      continue;
    }
    const identity = existing.parentRef?.identity;
    const i = identity === undefined ? -1 : identities.indexOf(identity);
    if (i < 0 || written[i] === true) continue; // stale entry of ours (RT3), or a repeat
    written[i] = true;
    const draft = drafts[i] as RouteParentDraft;
    const conditions = mergeConditions(existing.conditions, draft.conditions, ROUTE_TYPES, route.meta.generation, clock.now, clock);
    // Unchanged: the existing entry itself, so plan compares it by identity.
    parents.push(isParentEntry(existing.raw, draft, ours, conditions) ? existing.raw : parentEntry(draft, conditions, ours));
  }
  for (let i = 0; i < drafts.length; i++) {
    if (written[i] !== true) {
      const draft = drafts[i] as RouteParentDraft;
      parents.push(parentEntry(draft, mergeConditions([], draft.conditions, ROUTE_TYPES, route.meta.generation, clock.now, clock), ours));
    }
  }
  return { target: r.target, status: { parents } };
}

/** Past this many parents (the CRD allows 32 parentRefs) a Map beats scanning per lookup. */
const PARENT_SCAN_LIMIT = 32;

/**
 * Distinct parent identities in insertion order, and their positions. A route has a parentRef or
 * two and this runs for every route, so the list is scanned in place; a Map takes over past the
 * CRD's limit so that arbitrary input stays linear.
 */
class IdentityList {
  private readonly items: string[] = [];
  private positions: Map<string, number> | undefined;

  indexOf(identity: string): number {
    return this.positions === undefined ? this.items.indexOf(identity) : (this.positions.get(identity) ?? -1);
  }

  /** Appends an identity not in the list yet. */
  push(identity: string): void {
    this.items.push(identity);
    if (this.positions !== undefined) this.positions.set(identity, this.items.length - 1);
    else if (this.items.length > PARENT_SCAN_LIMIT) this.positions = new Map(this.items.map((item, i) => [item, i]));
  }
}

function draftIdentity(d: RouteParentDraft, routeNamespace: string): string | undefined {
  if (d.identity !== undefined) return d.identity;
  const ref: ParsedParentRef | undefined = parseParentRef(d.parentRef, routeNamespace);
  return ref?.identity;
}

function parentEntry(draft: RouteParentDraft, conditions: readonly Condition[], controllerName: string): Readonly<Record<string, unknown>> {
  return { parentRef: draft.parentRef, controllerName, conditions };
}

/**
 * Merges dataplane feedback (DP2, DP5) into the drafts of the parent entries for its Gateway.
 * Only Accepted entries are touched: a route not accepted there was not realised there, and
 * PartiallyInvalid must not appear on a route that is not accepted (spec §3.3).
 */
function applyFeedback(draft: RouteParentDraft, feedback: readonly RouteFeedback[]): RouteParentDraft {
  const relevant = feedback.filter((f) => f.gateway === draft.gateway);
  if (relevant.length === 0) return draft;
  const accepted = draft.conditions.find((c) => c.type === ConditionType.Accepted);
  if (accepted?.status !== 'True') return draft;
  let conditions = [...draft.conditions];
  // Sorted so the merged message does not depend on the order the dataplane reported in.
  const sorted = [...relevant].sort((a, b) =>
    compareStrings(`${a.condition}/${a.reason}/${a.message}`, `${b.condition}/${b.reason}/${b.message}`),
  );
  for (const f of sorted) {
    const status = f.condition === 'ResolvedRefs' ? 'False' : 'True';
    const current = conditions.find((c) => c.type === f.condition);
    let next: ConditionDraft;
    if (current === undefined || current.status !== status) {
      next = { type: f.condition, status, reason: f.reason, message: f.message };
    } else if (current.message.includes(f.message)) {
      continue;
    } else {
      next = { ...current, message: `${current.message}; ${f.message}` };
    }
    conditions = current === undefined ? [...conditions, next] : conditions.map((c) => (c === current ? next : c));
  }
  return { ...draft, conditions };
}
