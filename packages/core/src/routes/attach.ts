import type { Attachment, GatewayContext, ListenerContext } from '../model/context.js';
import type { ConditionDraft, RouteParentDraft } from '../model/graph.js';
import type { ParsedNamespace, ParsedParentRef, ParsedRoute } from '../model/parsed.js';
import { GATEWAY_GROUP, KIND_GATEWAY } from '../parse/api.js';
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

/**
 * RT1–RT3: the outcome of each of a route's parentRefs that names a Gateway of ours, and the
 * listeners that accept it. parentRefs to anything else get no entry (RT2). Pure: the route is
 * recorded on the listeners by recordAttachments.
 */
export function attachRoute(
  route: ParsedRoute,
  gateways: ReadonlyMap<string, GatewayContext>,
  namespaces: ReadonlyMap<string, ParsedNamespace>,
): ParentAttachment[] {
  const out: ParentAttachment[] = [];
  // Only a route with several parentRefs can repeat one; most have a single parentRef.
  const seen = route.parentRefs.length > 1 ? new Set<string>() : undefined;
  for (const parentRef of route.parentRefs) {
    if (parentRef.group !== GATEWAY_GROUP || parentRef.kind !== KIND_GATEWAY) continue;
    const gateway = gateways.get(parentRef.parentKey);
    if (gateway === undefined) continue;
    // The CRD forbids two identical parentRefs; if files contain them anyway, one entry suffices.
    if (seen !== undefined) {
      if (seen.has(parentRef.identity)) continue;
      seen.add(parentRef.identity);
    }
    const matching = gateway.listeners.filter(
      (l) =>
        (parentRef.sectionName === undefined || l.listener.name === parentRef.sectionName) &&
        (parentRef.port === undefined || l.listener.port === parentRef.port),
    );
    if (matching.length === 0) {
      out.push({ parentRef, gateway, accepted: NO_MATCHING_PARENT, listeners: [] });
      continue;
    }
    const allowed = matching.filter((l) => listenerAllows(l, route, gateway, namespaces));
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

/** RT2: the listener is accepted, admits the route's kind, and its allowedRoutes.namespaces admit the route's namespace. */
function listenerAllows(
  l: ListenerContext,
  route: ParsedRoute,
  gateway: GatewayContext,
  namespaces: ReadonlyMap<string, ParsedNamespace>,
): boolean {
  if (!l.accepted || !l.routeKinds.has(route.kind)) return false;
  const allowed = l.listener.allowedRoutes;
  switch (allowed.from) {
    case 'All':
      return true;
    case 'Same':
      return route.meta.namespace === gateway.gateway.meta.namespace;
    case 'Selector': {
      // A Selector listener without a selector admits nothing: the field is required with Selector.
      if (allowed.selector === undefined) return false;
      return matchesSelector(allowed.selector, namespaceLabels(route.meta.namespace, namespaces));
    }
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
