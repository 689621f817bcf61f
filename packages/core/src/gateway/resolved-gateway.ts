// Phase 7 of resolveGraph for one Gateway: its winners (RT5), realised listeners and status
// drafts (GW4, GW6), remembered per parsed Gateway by an engine (model/memory.ts). The parsed Gateway is the
// same instance while its object is unchanged (parse/cache.ts), and with it its listeners'
// verdicts and Accepted draft, which are computed from it alone; so when everything else the
// result is built from is unchanged too, the previous ResolvedGateway is the result, and the
// statuses and generated objects remembered for it are reused in turn.

import type { Diagnostic } from '../model/desired.js';
import type { AddressAssignment, ConditionDraft, RealisedListener, ResolvedBackend, ResolvedGateway, ResolvedListenerSet } from '../model/graph.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ParsedGateway } from '../model/parsed.js';
import type { Attachment, GatewayContext, ListenerContext, ListenerSetContext } from '../model/context.js';
import { recallFor, ScratchInputs, type MemoByObject } from '../model/memory.js';
import type { RouteResolutions } from '../routes/route-resolutions.js';
import type { BackendLookups } from '../routes/backends.js';
import { chooseBehaviour, sortByPrecedence, winningRoute } from '../routes/winner.js';
import { addressProblem, gatewayProgrammed, isAccepted, listenerRealisable, listenerStatus } from './gateway-conditions.js';
import { dns1035Name } from '../dataplane/names.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ConditionType, ListenerSetReason } from '../status/reasons.js';

/** What phase 7 hands back for one Gateway: the Gateway, and warnings about its winners' labels. */
interface GatewayResolution {
  readonly gateway: ResolvedGateway;
  readonly diagnostics: readonly Diagnostic[];
}

/** Where an engine remembers its Gateways' resolutions, at the two levels resolveGateway reads them. */
export interface ResolvedGatewayMemory {
  readonly byLookups: MemoByObject<ParsedGateway, GatewayResolution>;
  readonly byInputs: MemoByObject<ParsedGateway, GatewayResolution>;
  readonly quickInputs: ScratchInputs;
}

/** An empty ResolvedGatewayMemory. */
export function resolvedGatewayMemory(): ResolvedGatewayMemory {
  return { byLookups: new WeakMap(), byInputs: new WeakMap(), quickInputs: new ScratchInputs() };
}

/**
 * One Gateway of ours after attachment and address assignment. `backendsOf` gives a route's
 * resolutions, which are the same instances while the route and its backends are unchanged
 * (routes/route-resolutions.ts); `lookups` are what they are resolved with.
 */
export function resolveGateway(
  ctx: GatewayContext,
  listenerSets: readonly ListenerSetContext[],
  assignment: AddressAssignment,
  lookups: BackendLookups,
  backendsOf: (route: Attachment['route']) => RouteResolutions | undefined,
  options: ReconcileOptions,
  diagnostics: Diagnostic[],
  memory: ResolvedGatewayMemory | undefined,
): ResolvedGateway {
  const all = allListeners(ctx, listenerSets);
  for (const l of all) sortByPrecedence(l.attached);
  const isGatewayAccepted = isAccepted(ctx.accepted);
  // Each realised listener's winner: the first attachment, its behaviour and its backends.
  const winnersNow = (): (Winner | undefined)[] =>
    all.map((l) => (isGatewayAccepted && listenerRealisable(l) ? winnerOf(l, ctx, backendsOf, options) : undefined));
  const resolution = memory === undefined ? buildGateway(ctx, listenerSets, assignment, winnersNow(), options) : rememberedResolution(memory);
  for (const d of resolution.diagnostics) diagnostics.push(d);
  return resolution.gateway;

  function rememberedResolution(memo: ResolvedGatewayMemory): GatewayResolution {
    // Two levels: while the grants and the Services' generation are the very same, the winners'
    // backends are too (they are resolved from those and the routes); else they are compared.
    const quick = gatewayInputs(memo.quickInputs.start(), ctx, listenerSets, all, assignment, options);
    quick.push(lookups.grants, lookups.servicesGeneration);
    return recallFor(memo.byLookups, ctx.gateway, quick, () => {
      const winners = winnersNow();
      const inputs = gatewayInputs([], ctx, listenerSets, all, assignment, options);
      for (const w of winners) inputs.push(w?.backends);
      return recallFor(memo.byInputs, ctx.gateway, inputs, () => buildGateway(ctx, listenerSets, assignment, winners, options));
    });
  }
}


/** The Gateway's own listeners, then its ListenerSets' in precedence order (LS2): the order winners and realised listeners follow. */
function allListeners(ctx: GatewayContext, listenerSets: readonly ListenerSetContext[]): readonly ListenerContext[] {
  return listenerSets.length === 0 ? ctx.listeners : [...ctx.listeners, ...listenerSets.flatMap((s) => s.listeners)];
}

/**
 * What phase 7 reads besides the Gateway (and its context, a function of it) and the winners'
 * backends, pushed onto `inputs`: the class's and options' behaviour and load-balancer class, the
 * class's announcer style and traffic policy, the assignment by value, the ListenerSet contexts
 * (new with every resolution that has them) and the routes attached to each listener.
 */
function gatewayInputs(
  inputs: unknown[],
  ctx: GatewayContext,
  listenerSets: readonly ListenerSetContext[],
  all: readonly ListenerContext[],
  assignment: AddressAssignment,
  options: ReconcileOptions,
): unknown[] {
  const params = ctx.resolvedClass.parameters;
  inputs.push(params.serviceBehaviour, params.loadBalancerClass, params.lbAnnotations, params.externalTrafficPolicy, options.serviceBehaviour, options.loadBalancerClass);
  pushAssignment(inputs, assignment);
  inputs.push(listenerSets.length, ...listenerSets);
  for (const l of all) {
    inputs.push(l.attached.length);
    for (const a of l.attached) inputs.push(a.route);
  }
  return inputs;
}

/** The winning attachment of a listener, the behaviour it is realised with and its backends in that mode. */
interface Winner {
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

/** The assignment by value (a new assignment is computed whenever any Gateway or Service changes). */
function pushAssignment(inputs: unknown[], assignment: AddressAssignment): void {
  inputs.push(assignment.kind);
  if (assignment.kind === 'none') {
    inputs.push(assignment.reason, assignment.message);
    return;
  }
  inputs.push(assignment.addresses.length, ...assignment.addresses);
  if (assignment.kind === 'assigned') inputs.push(assignment.problem?.reason, assignment.problem?.message);
}

function buildGateway(
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
