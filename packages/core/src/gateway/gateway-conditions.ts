// GW3, GW4, GW6: a Gateway's own conditions and its listener status entries, decided from the
// listener contexts (after route attachment) and the address assignment.

import { statusAddresses, type AddressAssignment, type ConditionDraft, type ListenerStatusDraft } from '../model/graph.js';
import type { ParsedGateway } from '../model/parsed.js';
import type { ListenerContext } from '../model/context.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ConditionType, GatewayReason, ListenerReason } from '../status/reasons.js';

/** The address types l4gw can assign (GW3). */
const SUPPORTED_ADDRESS_TYPE = 'IPAddress';

// Shared verdicts for the common cases (50k Gateways, GC pressure).
const GATEWAY_ACCEPTED = condition(ConditionType.Accepted, true, GatewayReason.Accepted, Message.gatewayAccepted);
const LISTENER_PROGRAMMED = condition(ConditionType.Programmed, true, ListenerReason.Programmed, Message.listenerProgrammed);
const LISTENER_PENDING = condition(ConditionType.Programmed, false, ListenerReason.Pending, Message.listenerAddressPending);
const LISTENER_GATEWAY_INVALID = condition(ConditionType.Programmed, false, ListenerReason.Invalid, Message.listenerNotProgrammedGatewayNotAccepted);
const LISTENER_INVALID = condition(ConditionType.Programmed, false, ListenerReason.Invalid, Message.listenerNotProgrammedNotAccepted);
// An Accepted listener whose allowedRoutes.kinds are all invalid (GW2): nothing to program, and
// saying "not accepted" next to Accepted=True would contradict the entry.
const LISTENER_NO_ROUTE_KINDS = condition(ConditionType.Programmed, false, ListenerReason.Invalid, Message.listenerNotProgrammedNoRouteKinds);

/** A listener is valid when it is Accepted and all its references resolve (GW3 counts these). */
export function listenerValid(l: ListenerContext): boolean {
  return l.accepted && l.resolvedRefsCondition.status === 'True';
}

/** A listener is realised when it is Accepted and admits at least one route kind. */
export function listenerRealisable(l: ListenerContext): boolean {
  return l.accepted && l.supportedKinds.length > 0;
}

/**
 * GW3: `Accepted`. Checked in the order the conformance suite pins (spec §2.4): parameters and
 * address types make the whole Gateway unacceptable; listeners decide the reason otherwise.
 */
export function gatewayAccepted(gw: ParsedGateway, listeners: readonly ListenerContext[]): ConditionDraft {
  const ref = gw.infrastructure.parametersRef;
  if (ref !== undefined) {
    // l4gw has no Gateway-level parameters kind, so any reference is unsupported.
    return condition(
      ConditionType.Accepted,
      false,
      GatewayReason.InvalidParameters,
      Message.gatewayInvalidInfrastructureParameters(ref.group, ref.kind, ref.name),
    );
  }
  const badAddress = gw.addresses.find((a) => a.type !== SUPPORTED_ADDRESS_TYPE);
  if (badAddress !== undefined) {
    return condition(
      ConditionType.Accepted,
      false,
      GatewayReason.UnsupportedAddress,
      Message.gatewayUnsupportedAddressType(badAddress.type),
    );
  }
  return acceptedByListeners(listeners, GATEWAY_ACCEPTED);
}

/**
 * GW3, LS3: `Accepted` as a Gateway's or ListenerSet's listeners decide it: `False/ListenersNotValid`
 * when none is valid, `True/ListenersNotValid` naming the invalid ones when some are, else `accepted`.
 */
export function acceptedByListeners(listeners: readonly ListenerContext[], accepted: ConditionDraft): ConditionDraft {
  const invalid = listeners.filter((l) => !listenerValid(l)).map((l) => l.listener.name);
  if (listeners.length === 0 || invalid.length === listeners.length) {
    return condition(ConditionType.Accepted, false, GatewayReason.ListenersNotValid, Message.gatewayNoValidListeners);
  }
  if (invalid.length > 0) {
    return condition(ConditionType.Accepted, true, GatewayReason.ListenersNotValid, Message.gatewaySomeListenersInvalid(invalid));
  }
  return accepted;
}

/** Whether the Gateway may be Accepted=True given its Accepted draft. */
export function isAccepted(accepted: ConditionDraft): boolean {
  return accepted.status === 'True';
}

/** Why the address is not (fully) ready, or undefined when it is (GW4). */
export function addressProblem(assignment: AddressAssignment): { reason: string; message: string } | undefined {
  switch (assignment.kind) {
    case 'none':
      return { reason: assignment.reason, message: assignment.message };
    case 'assigned':
      return assignment.problem;
    case 'dhcp':
      return assignment.addresses.length > 0
        ? undefined
        : { reason: GatewayReason.AddressNotAssigned, message: Message.dhcpPending };
  }
}

/** GW4: `Programmed`. */
export function gatewayProgrammed(accepted: boolean, assignment: AddressAssignment): ConditionDraft {
  if (!accepted) return condition(ConditionType.Programmed, false, GatewayReason.Invalid, Message.gatewayNotAccepted);
  const problem = addressProblem(assignment);
  if (problem !== undefined) return condition(ConditionType.Programmed, false, problem.reason, problem.message);
  return condition(ConditionType.Programmed, true, GatewayReason.Programmed, Message.gatewayProgrammed(statusAddresses(assignment)));
}

/** GW6: one listener's status entry. */
export function listenerStatus(
  l: ListenerContext,
  gatewayAccepted: boolean,
  addressReady: boolean,
): ListenerStatusDraft {
  const programmed = l.notProgrammedCondition
    ? l.notProgrammedCondition
    : !gatewayAccepted
    ? LISTENER_GATEWAY_INVALID
    : !l.accepted
      ? LISTENER_INVALID
      : !listenerRealisable(l)
        ? LISTENER_NO_ROUTE_KINDS
        : !addressReady
          ? LISTENER_PENDING
          : LISTENER_PROGRAMMED;
  const conditions = [l.acceptedCondition, l.resolvedRefsCondition, programmed];
  if (l.conflictedCondition !== undefined) conditions.push(l.conflictedCondition);
  return {
    name: l.listener.name,
    supportedKinds: l.supportedKinds,
    attachedRoutes: l.attached.length,
    conditions,
  };
}
