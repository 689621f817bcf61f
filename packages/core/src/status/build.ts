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
 */
export function buildStatuses(graph: ResolvedGraph, feedback: readonly RouteFeedback[], options: ReconcileOptions): StatusIntent[] {
  return statusesOf(graph, feedback, options.controllerName, { now: options.now, used: false }, PURE_STATUS_STEPS);
}

/**
 * `now`, and whether a condition got it as its lastTransitionTime: a status that did depends on
 * `now`, which is what an engine that remembers statuses must know (engine/status.ts).
 */
export interface Clock extends ClockUse {
  readonly now: string;
}

/**
 * The per-item work of buildStatuses, which an engine remembers per address list, Gateway and
 * route (engine/status.ts). Each is a function of its arguments and reports a stamped `now` to
 * `clock`.
 */
export interface StatusSteps {
  /** Every address some Gateway was assigned (IP4). */
  assignedAddresses(addresses: ResolvedGraph['addresses']): AssignedAddresses;
  /** A Gateway's status. */
  gatewayIntent(g: ResolvedGateway, assigned: AssignedAddresses, clock: Clock): StatusIntent;
  /** A route's status, with the dataplane's feedback about it (`own`). */
  routeIntent(r: ResolvedRoute, own: readonly RouteFeedback[], controllerName: string, clock: Clock): StatusIntent;
}

/** The addresses some Gateway was assigned, asked one at a time (an engine keeps them in a form it can patch). */
export interface AssignedAddresses {
  has(address: string): boolean;
}

/** The steps as the rules define them: nothing is remembered. */
export const PURE_STATUS_STEPS: StatusSteps = Object.freeze<StatusSteps>({
  assignedAddresses: (addresses) => new Set(addresses.map((a) => a.address)),
  gatewayIntent: (g, assigned, clock) => gatewayStatus(g, statusAddressesOf(g, assigned), clock),
  routeIntent: routeStatus,
});

/** How many ListenerSets the Gateways have between them. */
function listenerSetCount(gateways: readonly ResolvedGateway[]): number {
  let count = 0;
  for (const g of gateways) count += g.listenerSets.length;
  return count;
}

/** The dataplane's feedback about each route, by route key, in the order reported. */
export function feedbackByRoute(feedback: readonly RouteFeedback[]): (routeKey: string) => readonly RouteFeedback[] {
  if (feedback.length === 0) return () => NO_FEEDBACK;
  const byRoute = new Map<string, RouteFeedback[]>();
  for (const f of feedback) {
    const list = byRoute.get(f.route);
    if (list === undefined) byRoute.set(f.route, [f]);
    else list.push(f);
  }
  return (routeKey) => byRoute.get(routeKey) ?? NO_FEEDBACK;
}

/** buildStatuses with the per-item work done by `steps`, `now` read from `clock`. */
export function statusesOf(graph: ResolvedGraph, feedback: readonly RouteFeedback[], controllerName: string, clock: Clock, steps: StatusSteps): StatusIntent[] {
  const feedbackOf = feedbackByRoute(feedback);
  const assigned = steps.assignedAddresses(graph.addresses);
  // Each graph list is sorted by namespace/name, and the kinds are concatenated in the order of
  // their names (Gateway < GatewayClass < TCPRoute < UDPRoute, route keys start with the kind),
  // so the result is sorted by kind, namespace and name without sorting 150k intents again.
  // An engine's patch relies on this layout (engine/status.ts): Gateways, classes, ListenerSets
  // (listenerSetsByKey), routes, one intent each.
  return [
    ...graph.gateways.map((g) => steps.gatewayIntent(g, assigned, clock)),
    ...graph.classes.map((c) => classStatus(c, clock)),
    // ListenerSet sorts between GatewayClass and TCPRoute.
    ...listenerSetsByKey(graph.gateways).map((ls) => listenerSetStatus(ls, clock)),
    ...graph.routes.map((r) => steps.routeIntent(r, feedbackOf(r.key), controllerName, clock)),
  ];
}

/** The ListenerSets of every Gateway, by `namespace/name`. */
export function listenerSetsByKey(gateways: readonly ResolvedGateway[]): ResolvedListenerSet[] {
  if (listenerSetCount(gateways) === 0) return [];
  return gateways.flatMap((g) => g.listenerSets).sort((a, b) => compareStrings(a.key, b.key));
}

/** LS3: a ListenerSet's conditions and listener entries, merged with its current status as a Gateway's are (GW7). */
export function listenerSetStatus(ls: ResolvedListenerSet, clock: Clock): StatusIntent {
  const set = ls.listenerSet;
  const meta = set.meta;
  const existing = existingStatus(set.raw);
  const conditions = mergeConditions(set.conditions, ls.conditions, GATEWAY_TYPES, meta.generation, clock.now, clock);
  const listeners = listenerEntries(set.listenerStatuses, existing, ls.listenerStatuses, meta.generation, clock);
  const target = { apiVersion: set.apiVersion, kind: 'ListenerSet', namespace: meta.namespace, name: meta.name };
  if (conditions === existing['conditions'] && listeners === existing['listeners']) {
    return { target, status: existing };
  }
  return { target, status: { ...existing, conditions, listeners } };
}

/**
 * GW5: the addresses a Gateway's status lists. IP4: a Gateway that is not Accepted keeps the
 * addresses it holds reserved (gateway/addresses.ts), so its status keeps listing them (dropping
 * them would free them one reconcile later), except those an Accepted Gateway was assigned.
 */
export function statusAddressesOf(g: ResolvedGateway, assigned: AssignedAddresses): readonly string[] {
  if (!g.accepted) return g.gateway.statusAddresses.filter((a) => !assigned.has(a));
  return statusAddresses(g.assignment);
}

function existingStatus(raw: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const status = raw['status'];
  return isRecord(status) ? status : {};
}

/** GC2–GC4. */
export function classStatus(c: ResolvedClass, clock: Clock): StatusIntent {
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
export function gatewayStatus(g: ResolvedGateway, addresses: readonly string[], clock: Clock): StatusIntent {
  const gw = g.gateway;
  const meta = gw.meta;
  const existing = existingStatus(gw.raw);
  const conditions = mergeConditions(gw.conditions, g.conditions, GATEWAY_TYPES, meta.generation, clock.now, clock);
  const listeners = listenerEntries(gw.listenerStatuses, existing, g.listenerStatuses, meta.generation, clock);
  // LS3: written once a ListenerSet attached, kept (and counted down) from then on.
  const writesAttached = g.attachedListenerSets > 0 || existing['attachedListenerSets'] !== undefined;
  const target = { apiVersion: gw.apiVersion, kind: 'Gateway', namespace: meta.namespace, name: meta.name };
  // Nothing changed: the existing status is the result (plan then compares by identity).
  if (
    conditions === existing['conditions'] &&
    hasAddresses(existing['addresses'], addresses) &&
    listeners === existing['listeners'] &&
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
 * current conditions of its name (GW7); an unchanged entry is the existing one itself, and when
 * every entry is, the existing list itself (so callers tell an unchanged list by identity).
 */
function listenerEntries(
  current: ResolvedGateway['gateway']['listenerStatuses'],
  existing: Readonly<Record<string, unknown>>,
  drafts: readonly ListenerStatusDraft[],
  generation: number,
  clock: Clock,
): readonly Readonly<Record<string, unknown>>[] {
  const oldListeners = listenerConditionsByName(current);
  const existingListeners = Array.isArray(existing['listeners']) ? (existing['listeners'] as readonly unknown[]) : undefined;
  let unchanged = existingListeners !== undefined && existingListeners.length === drafts.length;
  const entries = drafts.map((l, i) => {
    const merged = mergeConditions(oldListeners(l.name), l.conditions, LISTENER_TYPES, generation, clock.now, clock);
    const entry = existingListeners?.[i];
    if (isListenerEntry(entry, l, merged)) return entry;
    unchanged = false;
    return {
      name: l.name,
      supportedKinds: l.supportedKinds.map((k) => ({ group: k.group, kind: k.kind })),
      attachedRoutes: l.attachedRoutes,
      conditions: merged,
    };
  });
  // Every entry is the existing one at its place, and there are no others.
  return unchanged ? (existingListeners as readonly Readonly<Record<string, unknown>>[]) : entries;
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
export function routeStatus(r: ResolvedRoute, feedback: readonly RouteFeedback[], ours: string, clock: Clock): StatusIntent {
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
