// A route's attachments (RT1–RT3), backends (RT4, RT6) and parent entry drafts (RT3). Each is a
// function of the route and what is named as its arguments, so that an engine can remember them
// per parsed route (engine/routes.ts): a parsed route is the same instance while its object is
// unchanged (parse/snapshot.ts).

import type { ConditionDraft, ResolvedRoute, RouteKey } from '../model/graph.js';
import type { ObjectRef } from '../model/kube.js';
import type { ReconcileOptions, ServiceBehaviour } from '../model/options.js';
import type { ParsedNamespace, ParsedRoute } from '../model/parsed.js';
import type { Attachment } from '../model/context.js';
import { routeKey } from '../model/graph.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ConditionType, RouteReason } from '../status/reasons.js';
import { attachRoute, parentDraft, type ParentAttachment, type RouteParents } from './attach.js';
import { resolveBackends, type BackendLookups, type BackendMode, type BackendResolution } from './backends.js';
import { chooseBehaviour } from './winner.js';

/** A route's attachment record, and the outcome of each of its parentRefs that names a Gateway of ours (RT1–RT3). */
export interface RouteAttachments {
  readonly attachment: Attachment;
  readonly attachments: readonly ParentAttachment[];
}

/** RT1–RT3: the route's attachment record and its attachments (attachRoute). */
export function routeAttachments(route: ParsedRoute, parents: RouteParents, namespaces: ReadonlyMap<string, ParsedNamespace>): RouteAttachments {
  return {
    attachment: { route, key: routeKey(route.kind, route.meta.namespace, route.meta.name) },
    attachments: attachRoute(route, parents, namespaces),
  };
}

/** How a route's backends are resolved in one mode: resolveBackends, or an engine's remembering it. */
export type BackendsStep = (route: ParsedRoute, lookups: BackendLookups, mode: BackendMode) => BackendResolution;

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
    private readonly resolve: BackendsStep = resolveBackends,
  ) {}

  for(behaviour: ServiceBehaviour): BackendResolution {
    if (behaviour === 'create') return (this.create ??= this.resolve(this.route, this.lookups, 'create'));
    return (this.reference ??= this.resolve(this.route, this.lookups, 'reference'));
  }
}

/** RT3: the route with a parent entry draft per attachment (resolvedRefs, buildResolvedRoute). */
export function resolvedRoute(route: ParsedRoute, key: RouteKey, attachments: readonly ParentAttachment[], resolutions: RouteResolutions, options: ReconcileOptions): ResolvedRoute {
  return buildResolvedRoute(route, key, attachments, resolvedRefs(route, attachments, resolutions, options));
}

/** Each attachment's backends' verdict, in the mode its Gateway's class realises the route with (DP2). */
export function resolvedRefs(route: ParsedRoute, attachments: readonly ParentAttachment[], resolutions: RouteResolutions, options: ReconcileOptions): ConditionDraft[] {
  return attachments.map((a) => resolutions.for(chooseBehaviour(route, a.gateway.resolvedClass.parameters, options).behaviour).resolvedRefs);
}

/** The route's drafts, one per attachment, from what they are made of: each attachment's Gateway and verdict, and its backends' verdict. */
export function buildResolvedRoute(route: ParsedRoute, key: RouteKey, attachments: readonly ParentAttachment[], resolvedRefs: readonly ConditionDraft[]): ResolvedRoute {
  const partiallyInvalid =
    route.rules.length > 1
      ? condition(ConditionType.PartiallyInvalid, true, RouteReason.UnsupportedValue, Message.rulesDropped(route.rules.length - 1))
      : undefined;
  const parents = attachments.map((a, i) => parentDraft(a, resolvedRefs[i]!, partiallyInvalid));
  const target: ObjectRef = { apiVersion: route.apiVersion, kind: route.kind, namespace: route.meta.namespace, name: route.meta.name };
  return { route, key, target, parents };
}
