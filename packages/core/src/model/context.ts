// Context wrappers (as in Envoy Gateway's GatewayContext/ListenerContext): derived state kept next
// to the parsed object so that no phase searches a list twice.

import type { ConditionDraft, ObjectKey, ResolvedClass, RouteKey } from './graph.js';
import type { GroupKind, ParsedGateway, ParsedListener, ParsedRoute, RouteKind } from './parsed.js';

/** A route attached (Accepted) on a listener. */
export interface Attachment {
  readonly route: ParsedRoute;
  readonly key: RouteKey;
}

export interface ListenerContext {
  readonly listener: ParsedListener;
  /** Listener `Accepted` (GW2, conflicts). */
  accepted: boolean;
  acceptedCondition: ConditionDraft;
  resolvedRefsCondition: ConditionDraft;
  /** Set only when the listener conflicts with another (GW6: Conflicted only when true). */
  conflictedCondition?: ConditionDraft;
  readonly supportedKinds: readonly GroupKind[];
  /** The route kinds this listener admits (subset of supportedKinds, as RouteKind). */
  readonly routeKinds: ReadonlySet<RouteKind>;
  /** Routes Accepted on this listener, in attachment order (sorted later, RT5). */
  readonly attached: Attachment[];
}

export interface GatewayContext {
  readonly gateway: ParsedGateway;
  readonly key: ObjectKey;
  readonly resolvedClass: ResolvedClass;
  /** GW3 `Accepted`, decided from the Gateway and its listeners' verdicts alone. */
  readonly accepted: ConditionDraft;
  /** In spec order; at most 64, so a parentRef's sectionName is matched by a scan. */
  readonly listeners: readonly ListenerContext[];
}
