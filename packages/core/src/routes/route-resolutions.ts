// A route's attachments (RT1–RT3), backends (RT4, RT6) and parent entry drafts (RT3), remembered
// per parsed route by an engine (model/memory.ts). A parsed route is the same instance while its object is unchanged
// (parse/cache.ts), so when one object of a 10k-Gateway cluster changes, the other 20k routes
// cost a few lookups instead of being resolved again, and hand out the same results, which lets
// what is built from them (Gateways, statuses) be reused in turn.

import type { ConditionDraft, ResolvedRoute, RouteKey } from '../model/graph.js';
import type { ObjectRef } from '../model/kube.js';
import type { ReconcileOptions, ServiceBehaviour } from '../model/options.js';
import type { ParsedNamespace, ParsedRoute } from '../model/parsed.js';
import type { Attachment, GatewayContext } from '../model/context.js';
import { routeKey } from '../model/graph.js';
import { recallFor, ScratchInputs, type MemoByObject } from '../model/memory.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ConditionType, RouteReason } from '../status/reasons.js';
import { attachRoute, parentDraft, parentOf, type ParentAttachment, type RouteParents } from './attach.js';
import { resolveBackends, type BackendLookups, type BackendMode, type BackendResolution } from './backends.js';
import { chooseBehaviour } from './winner.js';

/** A route's attachment record, and the outcome of each of its parentRefs that names a Gateway of ours (RT1–RT3). */
export interface RouteAttachments {
  readonly attachment: Attachment;
  readonly attachments: readonly ParentAttachment[];
}

/**
 * attachRoute, remembered with what it reads besides the route: the context of the Gateway each
 * parentRef names (the same instance while that Gateway and its class's parameters are
 * unchanged, gateway/gateway-context.ts) and the namespaces (for Selector listeners).
 */
export function routeAttachments(route: ParsedRoute, parents: RouteParents, namespaces: ReadonlyMap<string, ParsedNamespace>, memory: RouteMemory | undefined): RouteAttachments {
  const inputs = memory?.attachmentInputs.start() ?? [];
  inputs.push(namespaces, route.parentRefs.length);
  for (const parentRef of route.parentRefs) inputs.push(parentOf(parentRef, parents)?.context);
  return recallFor(memory?.attachments, route, inputs, () => ({
    attachment: { route, key: routeKey(route.kind, route.meta.namespace, route.meta.name) },
    attachments: attachRoute(route, parents, namespaces),
  }));
}

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
 * A route's backends resolved once per mode (RT4, DP2), on demand: nearly every route needs only
 * one mode, a route whose parents' classes choose different behaviours needs both.
 */
export class RouteResolutions {
  // Two fields rather than a Map: there is one of these per route (100k at 50k Gateways).
  private reference: BackendResolution | undefined;
  private create: BackendResolution | undefined;

  constructor(
    private readonly route: ParsedRoute,
    readonly lookups: BackendLookups,
    private readonly memory: RouteMemory | undefined,
  ) {}

  for(behaviour: ServiceBehaviour): BackendResolution {
    if (behaviour === 'create') return (this.create ??= this.resolve('create'));
    return (this.reference ??= this.resolve('reference'));
  }

  private resolve(mode: BackendMode): BackendResolution {
    const { route, lookups, memory } = this;
    // Two levels: while the grants and the Services' generation are the very same, nothing needs
    // looking up; else the Services the route names are compared one by one.
    const quick = memory?.lookupInputs.start() ?? [];
    quick.push(lookups.grants, lookups.servicesGeneration);
    return recallFor(memory?.backendsByLookups[mode], route, quick, () =>
      recallFor(memory?.backends[mode], route, backendInputs(route, lookups), () => resolveBackends(route, lookups, mode)),
    );
  }
}


/**
 * What resolveBackends reads besides the route: the grants (one index instance per grant list,
 * gateway/resolve.ts) and the Service each backendRef names (the same parsed instance while
 * unchanged).
 */
function backendInputs(route: ParsedRoute, lookups: BackendLookups): unknown[] {
  const refs = route.rules[0]?.backendRefs ?? [];
  const inputs: unknown[] = [lookups.grants, refs.length];
  for (const ref of refs) inputs.push(lookups.services.get(ref.backendKey));
  return inputs;
}

/**
 * RT3: the route with a parent entry draft per attachment, each judged in the mode its Gateway's
 * class realises the route with (DP2). Remembered with what the drafts are made of: each
 * attachment's Gateway and verdict, and the backends' verdict in that mode.
 */
export function resolvedRoute(
  route: ParsedRoute,
  key: RouteKey,
  attachments: readonly ParentAttachment[],
  resolutions: RouteResolutions,
  options: ReconcileOptions,
  memory: RouteMemory | undefined,
): ResolvedRoute {
  const resolvedRefsNow = (): ConditionDraft[] =>
    attachments.map((a) => resolutions.for(chooseBehaviour(route, a.gateway.resolvedClass.parameters, options).behaviour).resolvedRefs);
  if (memory === undefined) return buildResolvedRoute(route, key, attachments, resolvedRefsNow());
  // Two levels: while the grants and the Services' generation are the very same, the backends'
  // verdicts are too (the modes follow from the route, the classes and the options); else they
  // are compared.
  const lookups = resolutions.lookups;
  const quick = routeInputs(memory.routeQuickInputs.start(), key, attachments, options);
  quick.push(lookups.grants, lookups.servicesGeneration);
  return recallFor(memory.routesByLookups, route, quick, () => {
    const resolvedRefs = resolvedRefsNow();
    const inputs = routeInputs([], key, attachments, options);
    inputs.push(...resolvedRefs);
    return recallFor(memory.routes, route, inputs, () => buildResolvedRoute(route, key, attachments, resolvedRefs));
  });
}

/** What a route's drafts are made of besides its backends' verdicts, pushed onto `inputs`. */
function routeInputs(inputs: unknown[], key: RouteKey, attachments: readonly ParentAttachment[], options: ReconcileOptions): unknown[] {
  inputs.push(key, options.serviceBehaviour, attachments.length);
  for (const a of attachments) inputs.push(a.parentRef, a.gateway.key, a.accepted, a.gateway.resolvedClass.parameters.serviceBehaviour);
  return inputs;
}


function buildResolvedRoute(route: ParsedRoute, key: RouteKey, attachments: readonly ParentAttachment[], resolvedRefs: readonly ConditionDraft[]): ResolvedRoute {
  const partiallyInvalid =
    route.rules.length > 1
      ? condition(ConditionType.PartiallyInvalid, true, RouteReason.UnsupportedValue, Message.rulesDropped(route.rules.length - 1))
      : undefined;
  const parents = attachments.map((a, i) => parentDraft(a, resolvedRefs[i]!, partiallyInvalid));
  const target: ObjectRef = { apiVersion: route.apiVersion, kind: route.kind, namespace: route.meta.namespace, name: route.meta.name };
  return { route, key, target, parents };
}
