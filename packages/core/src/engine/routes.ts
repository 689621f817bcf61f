// What an engine remembers of each route between reconciles (routes/route-resolutions.ts): its
// attachments, backends and parent drafts, per parsed route. A parsed route is the same instance
// while its object is unchanged (parse/snapshot.ts), so when one object of a 10k-Gateway cluster
// changes, the other 20k routes cost a few lookups instead of being resolved again, and hand out
// the same results, which lets what is built from them (Gateways, statuses) be reused in turn.

import type { ResolvedRoute, RouteKey } from '../model/graph.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ParsedNamespace, ParsedRoute } from '../model/parsed.js';
import { recallFor, ScratchInputs, type MemoByObject } from './memo.js';
import { parentOf, type ParentAttachment, type RouteParents } from '../routes/attach.js';
import { resolveBackends, type BackendLookups, type BackendMode, type BackendResolution } from '../routes/backends.js';
import { buildResolvedRoute, resolvedRefs, routeAttachments, type RouteAttachments, type RouteResolutions } from '../routes/route-resolutions.js';
import type { LookupGeneration } from './lookup-generation.js';

/** Where an engine remembers its routes' attachments, backends and parent drafts, each at the levels they are read. */
export interface RouteMemory {
  readonly attachments: MemoByObject<ParsedRoute, RouteAttachments>;
  readonly attachmentInputs: ScratchInputs;
  readonly backendsByLookups: Record<BackendMode, MemoByObject<ParsedRoute, BackendResolution>>;
  readonly backends: Record<BackendMode, MemoByObject<ParsedRoute, BackendResolution>>;
  readonly lookupInputs: ScratchInputs;
  readonly routesByLookups: MemoByObject<ParsedRoute, ResolvedRoute>;
  readonly routes: MemoByObject<ParsedRoute, ResolvedRoute>;
  readonly routeQuickInputs: ScratchInputs;
}

/** An empty RouteMemory. */
export function routeMemory(): RouteMemory {
  return {
    attachments: new WeakMap(),
    attachmentInputs: new ScratchInputs(),
    backendsByLookups: { reference: new WeakMap(), create: new WeakMap() },
    backends: { reference: new WeakMap(), create: new WeakMap() },
    lookupInputs: new ScratchInputs(),
    routesByLookups: new WeakMap(),
    routes: new WeakMap(),
    routeQuickInputs: new ScratchInputs(),
  };
}

/**
 * routeAttachments, remembered with what it reads besides the route: the context of the Gateway
 * each parentRef names (the same instance while that Gateway and its class's parameters are
 * unchanged, ./gateways.ts) and the namespaces (for Selector listeners).
 */
export function rememberedAttachments(route: ParsedRoute, parents: RouteParents, namespaces: ReadonlyMap<string, ParsedNamespace>, memory: RouteMemory): RouteAttachments {
  const inputs = memory.attachmentInputs.start();
  inputs.push(namespaces, route.parentRefs.length);
  for (const parentRef of route.parentRefs) inputs.push(parentOf(parentRef, parents)?.context);
  return recallFor(memory.attachments, route, inputs, () => routeAttachments(route, parents, namespaces));
}

/**
 * resolveBackends, remembered at two levels: while the grants and the Services' generation
 * (`servicesGeneration`, what `lookups.services` looks up in) are the very same, nothing needs
 * looking up; else the Services the route names are compared one by one.
 */
export function rememberedBackends(route: ParsedRoute, lookups: BackendLookups, mode: BackendMode, servicesGeneration: LookupGeneration, memory: RouteMemory): BackendResolution {
  const quick = memory.lookupInputs.start();
  quick.push(lookups.grants, servicesGeneration);
  return recallFor(memory.backendsByLookups[mode], route, quick, () =>
    recallFor(memory.backends[mode], route, backendInputs(route, lookups), () => resolveBackends(route, lookups, mode)),
  );
}

/**
 * What resolveBackends reads besides the route: the grants (one index instance per grant list,
 * ./resolve.ts) and the Service each backendRef names (the same parsed instance while
 * unchanged).
 */
function backendInputs(route: ParsedRoute, lookups: BackendLookups): unknown[] {
  const refs = route.rules[0]?.backendRefs ?? [];
  const inputs: unknown[] = [lookups.grants, refs.length];
  for (const ref of refs) inputs.push(lookups.services.get(ref.backendKey));
  return inputs;
}

/**
 * resolvedRoute, remembered with what the drafts are made of: each attachment's Gateway and
 * verdict, and the backends' verdict in that mode. Two levels: while the grants and the Services'
 * generation are the very same, the backends' verdicts are too (the modes follow from the route,
 * the classes and the options); else they are compared.
 */
export function rememberedResolvedRoute(
  route: ParsedRoute,
  key: RouteKey,
  attachments: readonly ParentAttachment[],
  resolutions: RouteResolutions,
  options: ReconcileOptions,
  servicesGeneration: LookupGeneration,
  memory: RouteMemory,
): ResolvedRoute {
  const quick = routeInputs(memory.routeQuickInputs.start(), key, attachments, options);
  quick.push(resolutions.lookups.grants, servicesGeneration);
  return recallFor(memory.routesByLookups, route, quick, () => {
    const refs = resolvedRefs(route, attachments, resolutions, options);
    const inputs = routeInputs([], key, attachments, options);
    inputs.push(...refs);
    return recallFor(memory.routes, route, inputs, () => buildResolvedRoute(route, key, attachments, refs));
  });
}

/** What a route's drafts are made of besides its backends' verdicts, pushed onto `inputs`. */
function routeInputs(inputs: unknown[], key: RouteKey, attachments: readonly ParentAttachment[], options: ReconcileOptions): unknown[] {
  inputs.push(key, options.serviceBehaviour, attachments.length);
  for (const a of attachments) inputs.push(a.parentRef, a.gateway.key, a.accepted, a.gateway.resolvedClass.parameters.serviceBehaviour);
  return inputs;
}
