import type { Attachment, GatewayContext, ListenerContext, ListenerSetContext } from '../model/context.js';
import type { ConditionDraft, RouteParentDraft } from '../model/graph.js';
import type { LabelSelector, ParsedNamespace, ParsedParentRef, ParsedRoute } from '../model/parsed.js';
import { GATEWAY_GROUP, KIND_GATEWAY, KIND_LISTENER_SET } from '../parse/api.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ConditionType, RouteReason } from '../status/reasons.js';
import { matchesSelector } from './label-selector.js';

/** Label the API server puts on every Namespace; synthesised when a Namespace object is missing (offline runs). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

// Shared verdicts (one per route parent at 50k Gateways adds up).
const ACCEPTED = condition(ConditionType.Accepted, true, RouteReason.Accepted, Message.routeAccepted);
const NO_MATCHING_PARENT = condition(ConditionType.Accepted, false, RouteReason.NoMatchingParent, Message.routeNoMatchingParent);
const NOT_ALLOWED = condition(ConditionType.Accepted, false, RouteReason.NotAllowedByListeners, Message.routeNotAllowed);

/** The outcome of one parentRef that names a Gateway of ours. */
export interface ParentAttachment {
  readonly parentRef: ParsedParentRef;
  readonly gateway: GatewayContext;
  readonly accepted: ConditionDraft;
  /** Listeners the route attached to (empty unless Accepted). */
  readonly listeners: readonly ListenerContext[];
}

/** The parents a route can name: our Gateways and the ListenerSets attached to them, by key. */
export interface RouteParents {
  readonly gateways: ReadonlyMap<string, GatewayContext>;
  readonly listenerSets: ReadonlyMap<string, ListenerSetContext>;
}

/**
 * The parent a parentRef names, if it is ours: a Gateway, with its own listeners, or a ListenerSet
 * (LS4), with its listeners and its namespace for allowedRoutes. A route naming a Gateway attaches
 * to none of its ListenerSets' listeners (GEP-1713).
 */
export function parentOf(parentRef: ParsedParentRef, parents: RouteParents): { gateway: GatewayContext; listeners: readonly ListenerContext[]; namespace: string; context: object } | undefined {
  if (parentRef.group !== GATEWAY_GROUP) return undefined;
  if (parentRef.kind === KIND_GATEWAY) {
    const gateway = parents.gateways.get(parentRef.parentKey);
    return gateway === undefined ? undefined : { gateway, listeners: gateway.listeners, namespace: gateway.gateway.meta.namespace, context: gateway };
  }
  if (parentRef.kind === KIND_LISTENER_SET) {
    const set = parents.listenerSets.get(parentRef.parentKey);
    return set === undefined ? undefined : { gateway: set.gateway, listeners: set.listeners, namespace: set.listenerSet.meta.namespace, context: set };
  }
  return undefined;
}

/**
 * RT1–RT3, LS4: the outcome of each of a route's parentRefs that names a Gateway or ListenerSet of
 * ours, and the listeners that accept it. parentRefs to anything else get no entry (RT2). Pure:
 * the route is recorded on the listeners by recordAttachments.
 */
export function attachRoute(route: ParsedRoute, parents: RouteParents, namespaces: ReadonlyMap<string, ParsedNamespace>): ParentAttachment[] {
  const out: ParentAttachment[] = [];
  // Only a route with several parentRefs can repeat one; most have a single parentRef.
  const seen = route.parentRefs.length > 1 ? new Set<string>() : undefined;
  for (const parentRef of route.parentRefs) {
    const parent = parentOf(parentRef, parents);
    if (parent === undefined) continue;
    const gateway = parent.gateway;
    // The CRD forbids two identical parentRefs; if files contain them anyway, one entry suffices.
    if (seen !== undefined) {
      if (seen.has(parentRef.identity)) continue;
      seen.add(parentRef.identity);
    }
    const matching = parent.listeners.filter(
      (l) =>
        (parentRef.sectionName === undefined || l.listener.name === parentRef.sectionName) &&
        (parentRef.port === undefined || l.listener.port === parentRef.port),
    );
    if (matching.length === 0) {
      out.push({ parentRef, gateway, accepted: NO_MATCHING_PARENT, listeners: [] });
      continue;
    }
    const allowed = matching.filter((l) => listenerAllows(l, route, parent.namespace, namespaces));
    out.push(allowed.length === 0 ? { parentRef, gateway, accepted: NOT_ALLOWED, listeners: [] } : { parentRef, gateway, accepted: ACCEPTED, listeners: allowed });
  }
  return out;
}

/**
 * Records the route on every listener that accepts it (GW6 attachedRoutes, RT5 candidates).
 * Two parentRefs of one route may select the same listener (by name and by port): it counts
 * once. A route's attachments are recorded together, so a repeat can only be the last entry.
 */
export function recordAttachments(attachment: Attachment, attachments: readonly ParentAttachment[]): void {
  for (const a of attachments) {
    for (const l of a.listeners) {
      if (l.attached[l.attached.length - 1] !== attachment) l.attached.push(attachment);
    }
  }
}

/** RT2: the listener is accepted, admits the route's kind, and its allowedRoutes.namespaces admit the route's namespace (`Same`: the parent's, LS4). */
function listenerAllows(l: ListenerContext, route: ParsedRoute, parentNamespace: string, namespaces: ReadonlyMap<string, ParsedNamespace>): boolean {
  if (!l.accepted || !l.routeKinds.has(route.kind)) return false;
  return namespaceAdmitted(l.listener.allowedRoutes, route.meta.namespace, parentNamespace, namespaces);
}

/**
 * RT2, LS1: whether a `namespaces.from` / `selector` pair (a listener's allowedRoutes, a
 * Gateway's allowedListeners) admits an object in `namespace`, `Same` meaning the owner's.
 * Any other `from` (`None`, unknown values) admits nothing, as does `Selector` without a selector
 * (the field is required with Selector).
 */
export function namespaceAdmitted(
  allowed: { readonly from: string; readonly selector?: LabelSelector },
  namespace: string,
  ownerNamespace: string,
  namespaces: ReadonlyMap<string, ParsedNamespace>,
): boolean {
  switch (allowed.from) {
    case 'All':
      return true;
    case 'Same':
      return namespace === ownerNamespace;
    case 'Selector':
      return allowed.selector !== undefined && matchesSelector(allowed.selector, namespaceLabels(namespace, namespaces));
    default:
      return false;
  }
}

function namespaceLabels(
  namespace: string,
  namespaces: ReadonlyMap<string, ParsedNamespace>,
): Readonly<Record<string, string>> {
  const labels = namespaces.get(namespace)?.labels ?? {};
  return Object.hasOwn(labels, NAMESPACE_NAME_LABEL) ? labels : { ...labels, [NAMESPACE_NAME_LABEL]: namespace };
}

/** Builds the parent entry draft of one attachment. */
export function parentDraft(
  a: ParentAttachment,
  resolvedRefs: ConditionDraft,
  partiallyInvalid: ConditionDraft | undefined,
): RouteParentDraft {
  const conditions = [a.accepted, resolvedRefs];
  // PartiallyInvalid MUST NOT be set on a route that is not accepted (spec §3.3).
  if (partiallyInvalid !== undefined && a.accepted.status === 'True') conditions.push(partiallyInvalid);
  return { parentRef: a.parentRef.statusRef, identity: a.parentRef.identity, gateway: a.gateway.key, conditions };
}
