// Phase 7 of resolveGraph for one Gateway: its winners (RT5), realised listeners and status
// drafts (GW4, GW6). The parsed Gateway is the same instance while its object is unchanged
// (parse/snapshot.ts), and with it its listeners' verdicts and Accepted draft, which are computed
// from it alone; so an engine remembers the result per parsed Gateway (engine/gateways.ts) and
// the statuses and generated objects built from it are reused in turn.

import type { Diagnostic } from '../model/desired.js';
import type { AddressAssignment, ConditionDraft, RealisedListener, ResolvedBackend, ResolvedGateway, ResolvedListenerSet } from '../model/graph.js';
import type { ReconcileOptions } from '../model/options.js';
import type { Attachment, GatewayContext, ListenerContext, ListenerSetContext } from '../model/context.js';
import type { RouteResolutions } from '../routes/route-resolutions.js';
import { chooseBehaviour, sortByPrecedence, winningRoute } from '../routes/winner.js';
import { addressProblem, gatewayProgrammed, isAccepted, listenerRealisable, listenerStatus } from './gateway-conditions.js';
import { dns1035Name } from '../dataplane/names.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ConditionType, ListenerSetReason } from '../status/reasons.js';

/** What phase 7 hands back for one Gateway: the Gateway, and warnings about its winners' labels. */
export interface GatewayResolution {
  readonly gateway: ResolvedGateway;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * One Gateway of ours after attachment and address assignment. `backendsOf` gives a route's
 * resolutions (routes/route-resolutions.ts).
 */
export function resolveGateway(
  ctx: GatewayContext,
  listenerSets: readonly ListenerSetContext[],
  assignment: AddressAssignment,
  backendsOf: (route: Attachment['route']) => RouteResolutions | undefined,
  options: ReconcileOptions,
): GatewayResolution {
  const all = sortedListeners(ctx, listenerSets);
  return buildGateway(ctx, listenerSets, assignment, winnersOf(all, ctx, backendsOf, options), options);
}

/**
 * Every listener of the Gateway (allListeners), each with its attached routes sorted by
 * precedence (RT5), in place: winners and realised listeners read them in that order.
 */
export function sortedListeners(ctx: GatewayContext, listenerSets: readonly ListenerSetContext[]): readonly ListenerContext[] {
  const all = allListeners(ctx, listenerSets);
  for (const l of all) sortByPrecedence(l.attached);
  return all;
}

/** Each realised listener's winner (`all` as sortedListeners gives them): the first attachment, its behaviour and its backends. */
export function winnersOf(
  all: readonly ListenerContext[],
  ctx: GatewayContext,
  backendsOf: (route: Attachment['route']) => RouteResolutions | undefined,
  options: ReconcileOptions,
): (Winner | undefined)[] {
  const isGatewayAccepted = isAccepted(ctx.accepted);
  return all.map((l) => (isGatewayAccepted && listenerRealisable(l) ? winnerOf(l, ctx, backendsOf, options) : undefined));
}

/** The Gateway's own listeners, then its ListenerSets' in precedence order (LS2): the order winners and realised listeners follow. */
function allListeners(ctx: GatewayContext, listenerSets: readonly ListenerSetContext[]): readonly ListenerContext[] {
  return listenerSets.length === 0 ? ctx.listeners : [...ctx.listeners, ...listenerSets.flatMap((s) => s.listeners)];
}

/** The winning attachment of a listener, the behaviour it is realised with and its backends in that mode. */
export interface Winner {
  readonly attachment: Attachment;
  readonly behaviour: ReturnType<typeof chooseBehaviour>;
  readonly backends: readonly ResolvedBackend[];
}

function winnerOf(
  l: ListenerContext,
  ctx: GatewayContext,
  backendsOf: (route: Attachment['route']) => RouteResolutions | undefined,
  options: ReconcileOptions,
): Winner | undefined {
  const first = l.attached[0];
  if (first === undefined) return undefined;
  const behaviour = chooseBehaviour(first.route, ctx.resolvedClass.parameters, options);
  return { attachment: first, behaviour, backends: backendsOf(first.route)?.for(behaviour.behaviour).backends ?? [] };
}

/** The Gateway resolved from its context, ListenerSets, assignment and winners (winnersOf). */
export function buildGateway(
  ctx: GatewayContext,
  listenerSets: readonly ListenerSetContext[],
  assignment: AddressAssignment,
  winners: readonly (Winner | undefined)[],
  options: ReconcileOptions,
): GatewayResolution {
  const accepted = ctx.accepted;
  const isGatewayAccepted = isAccepted(accepted);
  const addressReady = addressProblem(assignment) === undefined;
  const realisable = isGatewayAccepted && (assignment.kind === 'dhcp' || (assignment.kind === 'assigned' && assignment.addresses.length > 0));
  const diagnostics: Diagnostic[] = [];
  const listeners: RealisedListener[] = [];
  if (isGatewayAccepted) {
    ctx.listeners.forEach((l, i) => {
      if (listenerRealisable(l)) listeners.push(realise(l, l.listener.name, winners[i], diagnostics));
    });
    let at = ctx.listeners.length;
    for (const set of listenerSets) {
      for (const l of set.listeners) {
        // LS3: names need only be unique within their own object, so a ListenerSet's listener is
        // realised under a name of its own (a Service port name, never shown in a status).
        if (listenerRealisable(l)) listeners.push(realise(l, listenerSetPortName(set, l), winners[at], diagnostics));
        at++;
      }
    }
  }
  const params = ctx.resolvedClass.parameters;
  const loadBalancerClass = params.loadBalancerClass ?? options.loadBalancerClass;
  const gateway: ResolvedGateway = {
    gateway: ctx.gateway,
    key: ctx.key,
    className: ctx.gateway.className,
    accepted: isGatewayAccepted,
    assignment,
    realisable,
    ...(loadBalancerClass !== undefined ? { loadBalancerClass } : {}),
    ...(params.lbAnnotations !== undefined ? { lbAnnotations: params.lbAnnotations } : {}),
    ...(params.externalTrafficPolicy !== undefined ? { externalTrafficPolicy: params.externalTrafficPolicy } : {}),
    listeners,
    conditions: [accepted, gatewayProgrammed(isGatewayAccepted, assignment)],
    listenerStatuses: ctx.listeners.map((l) => listenerStatus(l, isGatewayAccepted, addressReady)),
    listenerSets: listenerSets.map((set) => resolvedListenerSet(set, isGatewayAccepted, addressReady)),
    attachedListenerSets: listenerSets.filter((set) => isAccepted(set.accepted)).length,
  };
  return { gateway, diagnostics };
}

/** The Service port name of a ListenerSet's listener: readable, with a hash of its full identity. */
function listenerSetPortName(set: ListenerSetContext, l: ListenerContext): string {
  return dns1035Name(['ls', set.listenerSet.meta.namespace, set.listenerSet.meta.name, l.listener.name], true);
}

/** LS3: a ListenerSet's `Accepted` and `Programmed`, and its listeners' entries as a Gateway's (GW6). */
function resolvedListenerSet(set: ListenerSetContext, gatewayAccepted: boolean, addressReady: boolean): ResolvedListenerSet {
  const accepted = set.accepted;
  const programmed: ConditionDraft = !isAccepted(accepted)
    ? condition(ConditionType.Programmed, false, accepted.reason, accepted.message)
    : !addressReady
      ? condition(ConditionType.Programmed, false, ListenerSetReason.Pending, Message.listenerSetAddressPending)
      : condition(ConditionType.Programmed, true, ListenerSetReason.Programmed, Message.listenerSetProgrammed);
  return {
    listenerSet: set.listenerSet,
    key: set.key,
    conditions: [accepted, programmed],
    listenerStatuses: set.listeners.map((l) => listenerStatus(l, gatewayAccepted, addressReady)),
  };
}

/** RT5 + DP: the listener as the dataplane realises it. */
function realise(l: ListenerContext, name: string, winner: Winner | undefined, diagnostics: Diagnostic[]): RealisedListener {
  const protocol = l.listener.protocol as 'TCP' | 'UDP';
  const port = l.listener.port;
  const attachedRoutes = l.attached.map((a) => a.key);
  if (winner === undefined) return { name, protocol, port, attachedRoutes };
  const { attachment, behaviour } = winner;
  if (behaviour.labelIgnored !== undefined) {
    const route = attachment.route;
    diagnostics.push({
      severity: 'warning',
      object: { apiVersion: route.apiVersion, kind: route.kind, namespace: route.meta.namespace, name: route.meta.name },
      message: `label serviceBehaviour=${behaviour.labelIgnored} names no behaviour (endpoints, create, duplicate, update); using ${behaviour.behaviour}`,
    });
  }
  return { name, protocol, port, attachedRoutes, winner: winningRoute(attachment, behaviour.behaviour, winner.backends) };
}
