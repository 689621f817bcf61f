// LS1–LS3: the ListenerSets of each Gateway of ours, admitted or not, their listeners validated
// as a Gateway's are and merged after the Gateway's own by the spec's precedence.

import type { GatewayContext, ListenerContext, ListenerSetContext } from '../model/context.js';
import { objectKey, type ObjectKey } from '../model/graph.js';
import { compareStrings } from '../model/order.js';
import type { ParsedListenerSet, ParsedNamespace } from '../model/parsed.js';
import { GATEWAY_GROUP, KIND_GATEWAY } from '../parse/api.js';
import { namespaceAdmitted } from '../routes/attach.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ConditionType, ListenerReason, ListenerSetReason } from '../status/reasons.js';
import { acceptedByListeners, isAccepted } from './gateway-conditions.js';
import { markConflicts, protocolPortKey, validateListener } from './listeners.js';

/** The ListenerSets of our Gateways, by their own key and by their Gateway's (in precedence order, LS2). */
export interface ListenerSets {
  readonly byKey: ReadonlyMap<ObjectKey, ListenerSetContext>;
  readonly byGateway: ReadonlyMap<ObjectKey, readonly ListenerSetContext[]>;
}

const NONE: readonly ListenerSetContext[] = Object.freeze([]);

const LISTENER_SET_ACCEPTED = condition(ConditionType.Accepted, true, ListenerSetReason.Accepted, Message.listenerSetAccepted);

/** The ListenerSets of `gateway` (none for most Gateways). */
export function listenerSetsOf(sets: ListenerSets, gateway: ObjectKey): readonly ListenerSetContext[] {
  return sets.byGateway.get(gateway) ?? NONE;
}

/**
 * Every ListenerSet whose parentRef names a Gateway of ours; others are some other controller's
 * and get no status from l4gw. `listenerSets` are sorted by `namespace/name`.
 */
export function resolveListenerSets(
  listenerSets: readonly ParsedListenerSet[],
  gateways: ReadonlyMap<ObjectKey, GatewayContext>,
  namespaces: ReadonlyMap<string, ParsedNamespace>,
): ListenerSets {
  const grouped = new Map<ObjectKey, ParsedListenerSet[]>();
  for (const ls of listenerSets) {
    if (ls.parent.group !== GATEWAY_GROUP || ls.parent.kind !== KIND_GATEWAY || !gateways.has(ls.parent.key)) continue;
    const list = grouped.get(ls.parent.key);
    if (list === undefined) grouped.set(ls.parent.key, [ls]);
    else list.push(ls);
  }
  const byKey = new Map<ObjectKey, ListenerSetContext>();
  const byGateway = new Map<ObjectKey, readonly ListenerSetContext[]>();
  for (const [gatewayKey, list] of grouped) {
    const gateway = gateways.get(gatewayKey) as GatewayContext;
    // LS2: oldest first, then namespace/name (the order the list was built in; sort is stable).
    list.sort((a, b) => compareStrings(a.meta.creationTimestamp, b.meta.creationTimestamp));
    const contexts = mergeListenerSets(gateway, list, namespaces);
    byGateway.set(gatewayKey, contexts);
    for (const c of contexts) byKey.set(c.key, c);
  }
  return { byKey, byGateway };
}

/** LS1, LS2: admits each ListenerSet or not, then marks listeners on a protocol and port already taken. */
function mergeListenerSets(gateway: GatewayContext, ordered: readonly ParsedListenerSet[], namespaces: ReadonlyMap<string, ParsedNamespace>): ListenerSetContext[] {
  const taken = new Set<string>();
  for (const l of gateway.listeners) if (l.accepted) taken.add(protocolPortKey(l));
  return ordered.map((ls) => {
    const listeners = ls.listeners.map(validateListener);
    // LS1: `spec.allowedListeners.namespaces` of the Gateway, `None` unless it says otherwise.
    const admitted = namespaceAdmitted(gateway.gateway.allowedListeners, ls.meta.namespace, gateway.gateway.meta.namespace, namespaces);
    const key = objectKey(ls.meta.namespace, ls.meta.name);
    const refusal = !admitted
      ? { reason: ListenerSetReason.NotAllowed, message: Message.listenerSetNotAllowed }
      : !isAccepted(gateway.accepted)
        ? { reason: ListenerSetReason.ParentNotAccepted, message: Message.listenerSetParentNotAccepted }
        : undefined;
    if (refusal !== undefined) {
      for (const l of listeners) refuse(l, refusal.reason, refusal.message);
      const accepted = condition(ConditionType.Accepted, false, refusal.reason, refusal.message);
      return { listenerSet: ls, key, gateway, accepted, listeners };
    }
    markConflicts(listeners);
    for (const l of listeners) {
      if (!l.accepted) continue;
      const port = protocolPortKey(l);
      if (!taken.has(port)) {
        taken.add(port);
        continue;
      }
      const message = Message.listenerSetConflict(l.listener.protocol, l.listener.port);
      refuse(l, ListenerReason.ProtocolConflict, message);
      l.conflictedCondition = condition(ConditionType.Conflicted, true, ListenerReason.ProtocolConflict, message);
    }
    return { listenerSet: ls, key, gateway, accepted: acceptedByListeners(listeners, LISTENER_SET_ACCEPTED), listeners };
  });
}

/** A listener that may not be used: Accepted and Programmed False with `reason`, no route kinds. */
function refuse(l: ListenerContext, reason: string, message: string): void {
  l.accepted = false;
  l.acceptedCondition = condition(ConditionType.Accepted, false, reason, message);
  l.notProgrammedCondition = condition(ConditionType.Programmed, false, reason, message);
}

