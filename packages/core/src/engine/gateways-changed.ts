// The resolution after a watch event that added, removed or changed a few Gateways, routes and
// Services (a Gateway created or deleted with its own routes and backends, or its status written
// back, the commonest event of all), made from the last one.
// Nothing decided before attachment changes for the other Gateways (classes, their listener
// verdicts, their Accepted), so the last resolution holds but for: the Gateways come, gone or
// changed (a changed one is the old one gone and the new one come);
// the routes come and gone, and those naming such a Gateway or Service (their attachments,
// backends and entries); the Gateways those routes were or are attached to; the Gateways whose
// address assignment changed (IPAM runs, remembered: ./addresses.ts); and what is made of all
// Gateways (diagnostics, events, side objects, address entries). Resolving again walked every
// Gateway and route (~200 ms at 10k Gateways, ~270 ms for a Gateway's status written back). It
// declines (undefined: resolveParsed runs) for a Gateway a ListenerSet names, or more than a few changes.

import type { ObjectKey, ResolvedGateway, ResolvedGraph } from '../model/graph.js';
import { lowerBound } from '../parse/primitives.js';
import { objectKey } from '../model/graph.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ParsedGateway, ParsedRoute, ParsedService } from '../model/parsed.js';
import type { GatewayContext } from '../model/context.js';
import type { ParsedSnapshot } from '../parse/snapshot.js';
import { compareStrings } from '../model/order.js';
import { sharedEnds } from '../model/shared-ends.js';
import { isAccepted } from '../gateway/gateway-conditions.js';
import { addressEvents, assignmentsOf, sideObjects, type ResolutionSteps, type RouteWork, type WorkedResolution } from '../gateway/resolve.js';
import { sameAssignment } from './gateways.js';
import { compareRouteOrder, gatewayPlace, reattached, resolutionDiagnostics, resolveAgain, type RouteChange } from './routes-changed.js';
import { PatchedMap } from './patched-map.js';
import { edited, Pieces } from './list-copies.js';
import type { RoutesNaming } from './routes-naming.js';
import { middlePairs } from './sorted-pairs.js';

/** Past this many Gateways come or gone, resolving again is as cheap. */
const MAX_CHANGED_GATEWAYS = 8;
/** Past this many routes or Services changed, resolving again is as cheap. */
const MAX_CHANGED_ITEMS = 64;

/** The lists that may differ from the last resolution's: the rest are the same instances. */
export interface GatewaysDelta {
  readonly lastGateways: readonly ParsedGateway[];
  readonly lastRoutes: readonly ParsedRoute[];
  readonly lastServices: readonly ParsedService[];
}

/**
 * The resolution for `parsed` when it differs from the one `last` was made from only in its
 * Gateways (a few added, removed or replaced), routes, Services and held-back addresses;
 * or undefined. Like ./routes-changed.ts it must be handed the work of the resolution made last
 * and the remembering steps it was made with, and patches `work`'s listeners and backendsByRoute
 * in place.
 */
export function withGatewaysChanged(
  last: WorkedResolution,
  delta: GatewaysDelta,
  parsed: ParsedSnapshot,
  options: ReconcileOptions,
  steps: ResolutionSteps,
  naming: RoutesNaming,
): WorkedResolution | undefined {
  const gateways = changedGateways(delta.lastGateways, parsed.gateways);
  if (gateways === undefined) return undefined;
  const changedKeys = new Set([...gateways.removed, ...gateways.added].map((g) => objectKey(g.meta.namespace, g.meta.name)));
  // A ListenerSet's parent coming or going changes its verdicts: resolveListenerSets runs.
  if (parsed.listenerSets.some((ls) => changedKeys.has(ls.parent.key))) return undefined;
  const serviceKeys = changedServiceKeys(delta.lastServices, parsed.services);
  if (serviceKeys === undefined) return undefined;
  const routeChanges = changedRoutes(delta.lastRoutes, parsed.routes, [...changedKeys, ...serviceKeys], naming);
  if (routeChanges === undefined) return undefined;

  const { resolution, work: lastWork } = last;
  const accepted = new Map(resolution.classes.filter((c) => c.accepted).map((c) => [c.class.meta.name, c]));
  const added: GatewayContext[] = [];
  for (const gw of gateways.added) {
    const resolvedClass = accepted.get(gw.className);
    if (resolvedClass === undefined) continue;
    added.push(steps.gatewayContext(gw, resolvedClass));
  }
  // Patched rather than copied: 10k contexts copied cost more than the rest of this Map's work.
  // A replaced Gateway's key is gone and comes again (nothing iterates this Map, it is looked up).
  const contextByKey = PatchedMap.changed(lastWork.contextByKey, {
    removed: gateways.removed.map((gw) => objectKey(gw.meta.namespace, gw.meta.name)).filter((key) => lastWork.contextByKey.has(key)),
    appended: new Map(added.map((ctx) => [ctx.key, ctx])),
  });
  const contexts = lastWork.contexts.slice();
  for (const gw of gateways.removed) {
    const key = objectKey(gw.meta.namespace, gw.meta.name);
    const at = contextPlace(contexts, key);
    if (contexts[at]?.key === key) contexts.splice(at, 1);
  }
  for (const ctx of added) contexts.splice(contextPlace(contexts, ctx.key), 0, ctx);

  // Phase 6 with the new Gateways and Services: the work's assignment is the new one.
  const addressResult = steps.assignAddresses(
    {
      accepted: contexts.filter((c) => isAccepted(c.accepted)),
      notAccepted: contexts.filter((c) => !isAccepted(c.accepted)).map((c) => c.gateway),
      services: parsed.services,
      configMaps: resolution.index.configMaps,
      heldBack: parsed.heldBackAddresses,
    },
    options,
  );
  const gatewayDiagnostics = new Map(lastWork.gatewayDiagnostics);
  for (const key of changedKeys) gatewayDiagnostics.delete(key);
  const work: RouteWork = {
    ...lastWork,
    contexts,
    contextByKey,
    lookups: steps.backendLookups(parsed.servicesByKey, lastWork.lookups.grants),
    assignmentOf: assignmentsOf(addressResult),
    addressDiagnostics: addressResult.diagnostics,
    gatewayDiagnostics,
  };

  const lastParents = { gateways: lastWork.contextByKey, listenerSets: lastWork.listenerSets.byKey };
  const { routes, affected } = reattached(routeChanges, lastParents, work, resolution.routes, options, steps);
  const again = new Set<GatewayContext>(added);
  for (const ctx of affected) if (contextByKey.get(ctx.key) === ctx) again.add(ctx);
  for (const ctx of contexts) if (!sameAssignment(lastWork.assignmentOf(ctx.key), work.assignmentOf(ctx.key))) again.add(ctx);

  // The changed Gateways leave their places, in one copy (./list-copies.ts): a filter of 50k grows its array a step at a time.
  const gone = [...changedKeys]
    .flatMap((key) => {
      const at = gatewayPlace(resolution.gateways, key);
      return resolution.gateways[at]?.key === key ? [at] : [];
    })
    .sort((a, b) => a - b);
  const resolved: ResolvedGateway[] = edited(resolution.gateways, gone, []);
  resolveAgain(again, resolved, gatewayDiagnostics, work, options, steps);
  return {
    resolution: {
      ...resolution,
      gateways: resolved,
      routes,
      index: { ...resolution.index, services: parsed.servicesByKey },
      objects: sideObjects(resolution.classes, parsed.gateways, resolved, options),
      events: addressEvents(addressResult),
      diagnostics: resolutionDiagnostics(work),
      poolUsage: addressResult.poolUsage,
      addresses: addressesAfter(resolution.addresses, resolution.gateways, resolved, steps),
    },
    work,
  };
}

/**
 * Which Gateway holds which address after some Gateways were resolved again: the entries of the
 * Gateways `resolved` shares at its ends with the last ones are the last entries (a function of
 * the resolved Gateway alone), in Gateway order; only the middle's are asked for. At 50k
 * Gateways asking for every Gateway's was a remembered lookup each, on every delta.
 */
function addressesAfter(
  last: ResolvedGraph['addresses'],
  lastGateways: readonly ResolvedGateway[],
  resolved: readonly ResolvedGateway[],
  steps: ResolutionSteps,
): ResolvedGraph['addresses'] {
  const { prefix, suffix } = sharedEnds(lastGateways, resolved);
  // The place of the first entry of the last Gateway at `at` or after it (entries are in Gateway order).
  const entriesFrom = (at: number): number => {
    if (at === lastGateways.length) return last.length;
    const key = lastGateways[at]!.key;
    return lowerBound(last, (e) => objectKey(e.gateway.namespace ?? '', e.gateway.name) < key);
  };
  const out = new Pieces<ResolvedGraph['addresses'][number]>();
  out.copy(last, 0, entriesFrom(prefix));
  for (let i = prefix; i < resolved.length - suffix; i++) for (const entry of steps.addressEntries(resolved[i]!)) out.add(entry);
  out.copy(last, entriesFrom(lastGateways.length - suffix), last.length);
  return out.joined();
}

/** The Gateways gone and come between two sorted lists (a replaced one in both: the old gone, the new come), when few. */
function changedGateways(last: readonly ParsedGateway[], next: readonly ParsedGateway[]): { removed: ParsedGateway[]; added: ParsedGateway[] } | undefined {
  const removed: ParsedGateway[] = [];
  const added: ParsedGateway[] = [];
  const key = (g: ParsedGateway): string => objectKey(g.meta.namespace, g.meta.name);
  const pairs = middlePairs(last, next, (a, b) => compareStrings(key(a), key(b)), MAX_CHANGED_ITEMS);
  if (pairs === undefined) return undefined;
  for (const [before, after] of pairs) {
    if (before !== undefined) removed.push(before);
    if (after !== undefined) added.push(after);
    if (removed.length + added.length > MAX_CHANGED_GATEWAYS) return undefined;
  }
  return { removed, added };
}

/** The keys of the Services between the ends two lists share (a superset of those changed), when few. */
function changedServiceKeys(last: readonly ParsedService[], next: readonly ParsedService[]): Set<string> | undefined {
  const { prefix, suffix } = sharedEnds(last, next);
  const keys = new Set<string>();
  for (const list of [last, next]) {
    if (list.length - prefix - suffix > MAX_CHANGED_ITEMS) return undefined;
    for (let i = prefix; i < list.length - suffix; i++) keys.add(objectKey(list[i]!.meta.namespace, list[i]!.meta.name));
  }
  return keys;
}

/**
 * The routes to attach again, in parsed route order: those come, gone or replaced, and those
 * naming a Gateway or Service of `changedKeys` (as a parent or a backend: `naming` tells which).
 */
function changedRoutes(last: readonly ParsedRoute[], next: readonly ParsedRoute[], changedKeys: Iterable<string>, naming: RoutesNaming): RouteChange[] | undefined {
  const changes: RouteChange[] = [];
  const changed = new Set<ParsedRoute>();
  const pairs = middlePairs(last, next, compareRouteOrder, MAX_CHANGED_ITEMS);
  if (pairs === undefined) return undefined;
  for (const [before, after] of pairs) {
    changes.push({ before, after });
    if (after !== undefined) changed.add(after);
  }
  for (const route of naming.naming(next, changedKeys)) {
    if (!changed.has(route)) changes.push({ before: route, after: route });
  }
  if (changes.length > MAX_CHANGED_ITEMS) return undefined;
  return changes.sort((a, b) => compareRouteOrder((a.after ?? a.before)!, (b.after ?? b.before)!));
}

/** Where the context with `key` belongs in `contexts` (parsed Gateway order, `namespace/name`). */
function contextPlace(contexts: readonly GatewayContext[], key: ObjectKey): number {
  return lowerBound(contexts, (c) => c.key < key);
}
