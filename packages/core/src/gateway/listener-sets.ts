// LS1–LS3: the ListenerSets of each Gateway of ours, admitted or not, their listeners validated
// as a Gateway's are and merged after the Gateway's own by the spec's precedence.

import type { GatewayContext, ListenerContext, ListenerSetContext } from '../model/context.js';
import { objectKey, type ConditionDraft, type ObjectKey } from '../model/graph.js';
import { compareStrings } from '../model/order.js';
import type { ParsedListenerSet, ParsedNamespace } from '../model/parsed.js';
import { GATEWAY_GROUP, KIND_GATEWAY } from '../parse/api.js';
import { matchesSelector } from '../routes/label-selector.js';
import { namespaceLabels } from '../routes/attach.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ConditionType, ListenerReason, ListenerSetReason } from '../status/reasons.js';
import { isAccepted, listenerValid } from './gateway-conditions.js';
import { markConflicts, validateListener } from './listeners.js';

/** The ListenerSets of our Gateways, by their own key and by their Gateway's (in precedence order, LS2). */
export interface ListenerSets {
  readonly byKey: ReadonlyMap<ObjectKey, ListenerSetContext>;
  readonly byGateway: ReadonlyMap<ObjectKey, readonly ListenerSetContext[]>;
}

const NONE: readonly ListenerSetContext[] = Object.freeze([]);

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
    // LS2: oldest first, then namespace/name (the list is already in that order).
    const ordered = [...list].sort((a, b) => compareStrings(a.meta.creationTimestamp, b.meta.creationTimestamp));
    const contexts = mergeListenerSets(gateway, ordered, namespaces);
    byGateway.set(gatewayKey, contexts);
    for (const c of contexts) byKey.set(c.key, c);
  }
  return { byKey, byGateway };
}

/** LS1, LS2: admits each ListenerSet or not, then marks listeners on a protocol and port already taken. */
function mergeListenerSets(gateway: GatewayContext, ordered: readonly ParsedListenerSet[], namespaces: ReadonlyMap<string, ParsedNamespace>): ListenerSetContext[] {
  const taken = new Set<string>();
  for (const l of gateway.listeners) if (l.accepted) taken.add(protocolPort(l));
  return ordered.map((ls) => {
    const listeners = ls.listeners.map(validateListener);
    const refusal = !admits(gateway, ls, namespaces)
      ? { reason: ListenerSetReason.NotAllowed, message: Message.listenerSetNotAllowed }
      : !isAccepted(gateway.accepted)
        ? { reason: ListenerSetReason.ParentNotAccepted, message: Message.listenerSetParentNotAccepted }
        : undefined;
    if (refusal !== undefined) {
      for (const l of listeners) refuse(l, refusal.reason, refusal.message);
      const accepted = condition(ConditionType.Accepted, false, refusal.reason, refusal.message);
      return { listenerSet: ls, key: objectKey(ls.meta.namespace, ls.meta.name), gateway, accepted, listeners };
    }
    markConflicts(listeners);
    for (const l of listeners) {
      if (!l.accepted) continue;
      const key = protocolPort(l);
      if (!taken.has(key)) {
        taken.add(key);
        continue;
      }
      const message = Message.listenerSetConflict(l.listener.protocol, l.listener.port);
      refuse(l, ListenerReason.ProtocolConflict, message);
      l.conflictedCondition = condition(ConditionType.Conflicted, true, ListenerReason.ProtocolConflict, message);
    }
    return { listenerSet: ls, key: objectKey(ls.meta.namespace, ls.meta.name), gateway, accepted: listenerSetAccepted(listeners), listeners };
  });
}

/** LS1: `spec.allowedListeners.namespaces` of the Gateway admits the ListenerSet's namespace (default None). */
function admits(gateway: GatewayContext, ls: ParsedListenerSet, namespaces: ReadonlyMap<string, ParsedNamespace>): boolean {
  const allowed = gateway.gateway.allowedListeners;
  switch (allowed.from) {
    case 'All':
      return true;
    case 'Same':
      return ls.meta.namespace === gateway.gateway.meta.namespace;
    case 'Selector':
      return allowed.selector !== undefined && matchesSelector(allowed.selector, namespaceLabels(ls.meta.namespace, namespaces));
    default:
      return false;
  }
}

/** A listener that may not be used: Accepted and Programmed False with `reason`, no route kinds. */
function refuse(l: ListenerContext, reason: string, message: string): void {
  l.accepted = false;
  l.acceptedCondition = condition(ConditionType.Accepted, false, reason, message);
  l.notProgrammedCondition = condition(ConditionType.Programmed, false, reason, message);
}

/** LS3 `Accepted` of an admitted ListenerSet: decided by its listeners, as a Gateway's is (GW3). */
function listenerSetAccepted(listeners: readonly ListenerContext[]): ConditionDraft {
  const invalid = listeners.filter((l) => !listenerValid(l)).map((l) => l.listener.name);
  if (listeners.length === 0 || invalid.length === listeners.length) {
    return condition(ConditionType.Accepted, false, ListenerSetReason.ListenersNotValid, Message.listenerSetNoValidListeners);
  }
  if (invalid.length > 0) return condition(ConditionType.Accepted, true, ListenerSetReason.ListenersNotValid, Message.listenerSetSomeListenersInvalid(invalid));
  return condition(ConditionType.Accepted, true, ListenerSetReason.Accepted, Message.listenerSetAccepted);
}

function protocolPort(l: ListenerContext): string {
  return `${l.listener.protocol}/${l.listener.port}`;
}
