// Context wrappers (as in Envoy Gateway's GatewayContext/ListenerContext): derived state kept next
// to the parsed object so that no phase searches a list twice.

import type { ConditionDraft, ObjectKey, ResolvedClass, RouteKey } from './graph.js';
import type { GroupKind, ParsedGateway, ParsedListener, ParsedListenerSet, ParsedRoute, RouteKind } from './parsed.js';

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
  /** `Programmed=False` with the reason the listener was rejected for, when that is more telling than `Invalid` (LS2, LS3). */
  notProgrammedCondition?: ConditionDraft;
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

/** A ListenerSet whose parentRef names a Gateway of ours (LS1–LS4), its listeners validated and merged (LS2). */
export interface ListenerSetContext {
  readonly listenerSet: ParsedListenerSet;
  readonly key: ObjectKey;
  readonly gateway: GatewayContext;
  /** LS1, LS3 `Accepted`. */
  readonly accepted: ConditionDraft;
  /** In spec order; each listener's namespace for allowedRoutes is the ListenerSet's (LS4). */
  readonly listeners: readonly ListenerContext[];
}
