// The resolution after a watch event that changed routes only, made from the last one. Most
// events on a converged cluster are a route edited in place: a user's edit, or l4gw's own status
// write coming back. Routes change nothing that is decided before attachment (classes, listener
// verdicts, Gateway Accepted, addresses: phases 2, 3, 5, 6 of resolveParsed in
// gateway/resolve.ts), so the last resolution holds but for the Gateways the route was or is
// attached to and the route's own entry. Resolving again cost ~580 ms at 50k Gateways, where every Gateway and route was looked
// up in its memo (most of it cache misses); this costs a few lookups per changed route.
//
// It gives exactly what resolveParsed gives (the property tests compare with a resolution made
// without memory), or undefined when it cannot: then resolveParsed runs.

import type { Diagnostic } from '../model/desired.js';
import type { ObjectKey, ResolvedGateway, ResolvedRoute } from '../model/graph.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ParsedRoute } from '../model/parsed.js';
import type { GatewayContext } from '../model/context.js';
import { compareStrings } from '../model/order.js';
import { lowerBound } from '../parse/primitives.js';
import { recordAttachments, type RouteParents } from '../routes/attach.js';
import { RouteResolutions } from '../routes/route-resolutions.js';
import { listenerSetsOf } from '../gateway/listener-sets.js';
import { needsStatus, type ResolutionSteps, type RouteWork } from '../gateway/resolve.js';

/** The part of a resolution routes decide. */
interface RoutesResolved {
  readonly gateways: readonly ResolvedGateway[];
  readonly routes: readonly ResolvedRoute[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Past this many changed routes, resolving again is as cheap. */
const MAX_CHANGED_ROUTES = 64;

/**
 * The resolution for `routes` when they are `lastRoutes` with a few routes replaced by another
 * version of themselves (same kind, namespace and name) and nothing else changed: `last` and
 * `work` patched, or undefined. It records the changed routes on the listeners of the Gateway
 * contexts, which every resolution shares (./gateways.ts); so it must be handed the work of the
 * resolution made last, and the remembering steps it was made with. It patches `work`'s
 * backendsByRoute in place (a copy would cost as much as resolving again).
 */
export function withRoutesReplaced(
  last: RoutesResolved,
  work: RouteWork,
  lastRoutes: readonly ParsedRoute[],
  routes: readonly ParsedRoute[],
  options: ReconcileOptions,
  steps: ResolutionSteps,
): { resolved: RoutesResolved; work: RouteWork } | undefined {
  const changed = replacedRoutes(lastRoutes, routes);
  if (changed === undefined) return undefined;
  const parents: RouteParents = { gateways: work.contextByKey, listenerSets: work.listenerSets.byKey };
  const { routes: routeList, affected } = reattached(changed, parents, work, last.routes, options, steps);
  const gateways = last.gateways.slice();
  const gatewayDiagnostics = new Map(work.gatewayDiagnostics);
  const diagnosticsChanged = resolveAgain(affected, gateways, gatewayDiagnostics, work, options, steps);
  const next: RouteWork = { ...work, gatewayDiagnostics };
  const diagnostics = diagnosticsChanged ? resolutionDiagnostics(next) : last.diagnostics;
  return { resolved: { gateways, routes: routeList, diagnostics }, work: next };
}

/** A route before and after a delta: `before` absent when it came, `after` when it went. */
export interface RouteChange {
  readonly before?: ParsedRoute;
  readonly after?: ParsedRoute;
}

/**
 * The route entries after `changes`, in parsed route order, and the Gateways whose listeners
 * gained or lost a route. Each `before` is detached from the listeners it was attached to with
 * `lastParents` (the parents the last resolution attached it to: its remembered attachments),
 * each `after` attached with `work`'s parents and recorded on the listeners (at their end, as
 * ./routes-changed.ts has always done: winners do not depend on the order, ./gateways.ts compares
 * it). `work.backendsByRoute` is patched in place.
 */
export function reattached(
  changes: readonly RouteChange[],
  lastParents: RouteParents,
  work: RouteWork,
  lastEntries: readonly ResolvedRoute[],
  options: ReconcileOptions,
  steps: ResolutionSteps,
): { routes: ResolvedRoute[]; affected: Set<GatewayContext> } {
  const parents: RouteParents = { gateways: work.contextByKey, listenerSets: work.listenerSets.byKey };
  const backendsByRoute = work.backendsByRoute;
  const affected = new Set<GatewayContext>();
  // Copied at its first edit, at its new length, and edited in place after: a copy and then an
  // insertion into it is two long arrays, ~0.5 ms each at 20k routes (./list-copies.ts).
  let routeList: ResolvedRoute[] | undefined;
  const edit = (at: number, deleteCount: number, ...entry: ResolvedRoute[]): void => {
    if (routeList === undefined) routeList = lastEntries.toSpliced(at, deleteCount, ...entry);
    else routeList.splice(at, deleteCount, ...entry);
  };
  for (const { before, after } of changes) {
    if (before !== undefined) {
      const was = steps.routeAttachments(before, lastParents, work.namespaces);
      for (const a of was.attachments) {
        for (const l of a.listeners) {
          const at = l.attached.findIndex((x) => x.route === before);
          if (at !== -1) l.attached.splice(at, 1);
          affected.add(a.gateway);
        }
      }
      backendsByRoute.delete(before);
    }
    const route = after ?? before!;
    const list = routeList ?? lastEntries;
    const at = placeOf(list, route);
    const present = at < list.length && compareRouteOrder(list[at]!.route, route) === 0;
    if (after === undefined) {
      if (present) edit(at, 1);
      continue;
    }
    const now = steps.routeAttachments(after, parents, work.namespaces);
    recordAttachments(now.attachment, now.attachments);
    for (const a of now.attachments) if (a.listeners.length > 0) affected.add(a.gateway);
    if (!needsStatus(after, now.attachments, options)) {
      if (present) edit(at, 1);
      continue;
    }
    const resolutions = new RouteResolutions(after, work.lookups, steps.routeBackends);
    backendsByRoute.set(after, resolutions);
    const entry = steps.resolvedRoute(after, now.attachment.key, now.attachments, resolutions, options);
    edit(at, present ? 1 : 0, entry);
  }
  return { routes: routeList ?? lastEntries.slice(), affected };
}

/**
 * Resolves each of `contexts` again (phase 7) into its place in `gateways` (in parsed Gateway
 * order; inserted when not there), its diagnostics into `gatewayDiagnostics`; true when those changed.
 */
export function resolveAgain(
  contexts: Iterable<GatewayContext>,
  gateways: ResolvedGateway[],
  gatewayDiagnostics: Map<ObjectKey, readonly Diagnostic[]>,
  work: RouteWork,
  options: ReconcileOptions,
  steps: ResolutionSteps,
): boolean {
  let diagnosticsChanged = false;
  const backendsOf = (route: ParsedRoute): RouteResolutions | undefined => work.backendsByRoute.get(route);
  for (const ctx of contexts) {
    const resolution = steps.resolveGateway(ctx, listenerSetsOf(work.listenerSets, ctx.key), work.assignmentOf(ctx.key), work.lookups, backendsOf, options);
    const at = gatewayPlace(gateways, ctx.key);
    if (gateways[at]?.key === ctx.key) gateways[at] = resolution.gateway;
    else gateways.splice(at, 0, resolution.gateway);
    const own = resolution.diagnostics;
    if (own.length === 0 && !gatewayDiagnostics.has(ctx.key)) continue;
    diagnosticsChanged = true;
    if (own.length === 0) gatewayDiagnostics.delete(ctx.key);
    else gatewayDiagnostics.set(ctx.key, own);
  }
  return diagnosticsChanged;
}

/** IPAM's diagnostics, then each Gateway's in Gateway order (as phase 7 pushes them). */
export function resolutionDiagnostics(work: RouteWork): Diagnostic[] {
  const perGateway = [...work.gatewayDiagnostics].sort(([a], [b]) => compareStrings(a, b));
  return [...work.addressDiagnostics, ...perGateway.flatMap(([, d]) => d)];
}

/** The place of the Gateway with `key` in `gateways`, or where it belongs (parsed Gateway order, `namespace/name`). */
export function gatewayPlace(gateways: readonly ResolvedGateway[], key: ObjectKey): number {
  return lowerBound(gateways, (g) => g.key < key);
}

/** The pairs (last, now) of routes that differ, when all are another version of the same route and few. */
function replacedRoutes(lastRoutes: readonly ParsedRoute[], routes: readonly ParsedRoute[]): RouteChange[] | undefined {
  if (lastRoutes.length !== routes.length) return undefined;
  const changed: RouteChange[] = [];
  for (let i = 0; i < routes.length; i++) {
    const before = lastRoutes[i]!;
    const after = routes[i]!;
    if (before === after) continue;
    if (compareRouteOrder(before, after) !== 0 || changed.length === MAX_CHANGED_ROUTES) return undefined;
    changed.push({ before, after });
  }
  return changed;
}

/** Where `route` is or belongs in `list`, which is in parsed route order (parse/snapshot.ts). */
function placeOf(list: readonly ResolvedRoute[], route: ParsedRoute): number {
  return lowerBound(list, (r) => compareRouteOrder(r.route, route) < 0);
}

/** Parsed route order: TCPRoutes then UDPRoutes, each by `namespace/name` (UTF-16 code units). */
export function compareRouteOrder(a: ParsedRoute, b: ParsedRoute): number {
  if (a.kind !== b.kind) return a.kind === 'TCPRoute' ? -1 : 1;
  return compareStrings(`${a.meta.namespace}/${a.meta.name}`, `${b.meta.namespace}/${b.meta.name}`);
}
