import type { ListenerContext } from '../model/context.js';
import type { ConditionDraft } from '../model/graph.js';
import type { GroupKind, ParsedListener, RouteKind } from '../model/parsed.js';
import { GATEWAY_GROUP, KIND_TCP_ROUTE, KIND_UDP_ROUTE } from '../parse/api.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ConditionType, ListenerReason } from '../status/reasons.js';

/** GW2: the one route kind each supported protocol admits. */
const KIND_FOR_PROTOCOL: Readonly<Record<string, RouteKind>> = { TCP: KIND_TCP_ROUTE, UDP: KIND_UDP_ROUTE };

const FROM_VALUES = new Set(['Same', 'All', 'Selector']);

// The common verdicts are shared, not rebuilt per listener (50k Gateways, GC pressure).
const ACCEPTED = condition(ConditionType.Accepted, true, ListenerReason.Accepted, Message.listenerAccepted);
const RESOLVED = condition(ConditionType.ResolvedRefs, true, ListenerReason.ResolvedRefs, Message.listenerResolvedRefs);
const TCP_KINDS: readonly GroupKind[] = [{ group: GATEWAY_GROUP, kind: KIND_TCP_ROUTE }];
const UDP_KINDS: readonly GroupKind[] = [{ group: GATEWAY_GROUP, kind: KIND_UDP_ROUTE }];
const TCP_ROUTE_KINDS: ReadonlySet<RouteKind> = new Set([KIND_TCP_ROUTE]);
const UDP_ROUTE_KINDS: ReadonlySet<RouteKind> = new Set([KIND_UDP_ROUTE]);
const NO_ROUTE_KINDS: ReadonlySet<RouteKind> = new Set();

/**
 * Validates a Gateway's listeners in two phases, as Envoy Gateway's ProcessListeners does:
 * each listener alone first (protocol, port, kinds, allowedRoutes), then conflicts between the
 * survivors, because a listener already rejected for its protocol must not make another one
 * conflicted.
 */
export function validateListeners(listeners: readonly ParsedListener[]): ListenerContext[] {
  const contexts = listeners.map(validateListener);
  markConflicts(contexts);
  return contexts;
}

/** GW2 for one listener. */
export function validateListener(listener: ParsedListener): ListenerContext {
  const routeKind = Object.hasOwn(KIND_FOR_PROTOCOL, listener.protocol) ? KIND_FOR_PROTOCOL[listener.protocol] : undefined;
  // Kinds are judged even for a rejected listener, so `ResolvedRefs` reports bad kinds whatever
  // else is wrong (the conformance suite checks InvalidRouteKinds on its own).
  const kinds = judgeKinds(listener, routeKind);
  if (listener.problem === 'protocol' || routeKind === undefined) {
    return rejected(listener, kinds.resolvedRefs, ListenerReason.UnsupportedProtocol, Message.listenerUnsupportedProtocol(listener.protocol || '(none)'));
  }
  if (listener.problem === 'port') {
    return rejected(listener, kinds.resolvedRefs, ListenerReason.PortUnavailable, Message.listenerInvalid('port must be between 1 and 65535'));
  }
  if (!FROM_VALUES.has(listener.allowedRoutes.from)) {
    return rejected(listener, kinds.resolvedRefs, ListenerReason.UnsupportedValue, Message.listenerUnsupportedFrom(listener.allowedRoutes.from));
  }
  return {
    listener,
    accepted: true,
    acceptedCondition: ACCEPTED,
    resolvedRefsCondition: kinds.resolvedRefs,
    supportedKinds: kinds.supported,
    routeKinds: kinds.supported.length === 0 ? NO_ROUTE_KINDS : routeKind === KIND_TCP_ROUTE ? TCP_ROUTE_KINDS : UDP_ROUTE_KINDS,
    attached: [],
  };
}

/**
 * GW2: the kinds a listener admits: the protocol's route kind unless `allowedRoutes.kinds`
 * narrows it; kinds that do not fit the protocol (every kind, for an unsupported protocol) make
 * `ResolvedRefs=False/InvalidRouteKinds`.
 */
function judgeKinds(
  listener: ParsedListener,
  routeKind: RouteKind | undefined,
): { supported: readonly GroupKind[]; resolvedRefs: ConditionDraft } {
  const valid = routeKind === undefined ? [] : routeKind === KIND_TCP_ROUTE ? TCP_KINDS : UDP_KINDS;
  const requested = listener.allowedRoutes.kinds;
  if (requested === undefined) return { supported: valid, resolvedRefs: RESOLVED };
  const fits = (k: GroupKind): boolean => routeKind !== undefined && k.group === GATEWAY_GROUP && k.kind === routeKind;
  const invalid = requested.filter((k) => !fits(k));
  const supported = requested.some(fits) ? valid : [];
  if (invalid.length === 0) return { supported, resolvedRefs: RESOLVED };
  const names = invalid.map((k) => (k.group === '' ? k.kind : `${k.group}/${k.kind}`));
  return {
    supported,
    resolvedRefs: condition(ConditionType.ResolvedRefs, false, ListenerReason.InvalidRouteKinds, Message.listenerInvalidKinds(names)),
  };
}

/** A listener that is not accepted admits no route, and an unsupported one lists no kinds (GW2). */
function rejected(listener: ParsedListener, resolvedRefs: ConditionDraft, reason: string, message: string): ListenerContext {
  return {
    listener,
    accepted: false,
    acceptedCondition: condition(ConditionType.Accepted, false, reason, message),
    resolvedRefsCondition: resolvedRefs,
    supportedKinds: [],
    routeKinds: NO_ROUTE_KINDS,
    attached: [],
  };
}

/** What makes two listeners indistinct (GW2, LS2): protocol and port; TCP and UDP on one port differ. */
export function protocolPortKey(l: ListenerContext): string {
  return `${l.listener.protocol}/${l.listener.port}`;
}

/**
 * Two accepted listeners with the same protocol and port are not distinct (spec §2.2): both are
 * Conflicted=True/ProtocolConflict and Accepted=False/PortUnavailable, since the spec forbids picking a
 * winner. TCP and UDP on one port are distinct (GW2).
 */
export function markConflicts(contexts: readonly ListenerContext[]): void {
  const byProtocolPort = new Map<string, ListenerContext[]>();
  for (const c of contexts) {
    if (!c.accepted) continue;
    const key = protocolPortKey(c);
    const list = byProtocolPort.get(key);
    if (list === undefined) byProtocolPort.set(key, [c]);
    else list.push(c);
  }
  for (const list of byProtocolPort.values()) {
    if (list.length < 2) continue;
    for (const c of list) {
      const message = Message.listenerConflict(c.listener.protocol, c.listener.port);
      c.accepted = false;
      c.acceptedCondition = condition(ConditionType.Accepted, false, ListenerReason.PortUnavailable, message);
      c.conflictedCondition = condition(ConditionType.Conflicted, true, ListenerReason.ProtocolConflict, message);
    }
  }
}
