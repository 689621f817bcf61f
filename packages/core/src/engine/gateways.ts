// What an engine remembers of each Gateway between reconciles: its context (gateway/gateway-context.ts)
// and its resolution (gateway/resolved-gateway.ts), per parsed Gateway. The parsed Gateway is the
// same instance while its object is unchanged (parse/snapshot.ts), and with it its listeners'
// verdicts and Accepted draft; so when everything else a result is built from is unchanged too,
// the previous one is the result. At 50k Gateways, 150k context objects are not rebuilt, and
// routes can remember their attachments to them (./routes.ts).

import type { AddressAssignment, ResolvedClass } from '../model/graph.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ParsedGateway } from '../model/parsed.js';
import type { Attachment, GatewayContext, ListenerContext, ListenerSetContext } from '../model/context.js';
import { recallFor, sameItems, ScratchInputs, type MemoByObject } from './memo.js';
import type { BackendLookups } from '../routes/backends.js';
import type { RouteResolutions } from '../routes/route-resolutions.js';
import { gatewayContext } from '../gateway/gateway-context.js';
import { buildGateway, sortedListeners, winnersOf, type GatewayResolution } from '../gateway/resolved-gateway.js';
import type { LookupGeneration } from './lookup-generation.js';

/** Where an engine remembers the contexts of its cluster's Gateways. */
export type GatewayContextMemory = MemoByObject<ParsedGateway, GatewayContext>;

/**
 * gatewayContext, remembered per parsed Gateway with its class's parameters. A context handed out
 * again still holds the routes the last resolution attached to its listeners: they are emptied,
 * for this resolution to record its own.
 */
export function rememberedContext(gw: ParsedGateway, resolvedClass: ResolvedClass, memory: GatewayContextMemory): GatewayContext {
  const p = resolvedClass.parameters;
  const ctx = recallFor(memory, gw, [p.serviceBehaviour, p.loadBalancerClass, p.configMap], () => gatewayContext(gw, resolvedClass));
  for (const l of ctx.listeners) l.attached.length = 0;
  return ctx;
}

/** Where an engine remembers its Gateways' resolutions, at the two levels rememberedGateway reads them. */
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
 * resolveGateway, remembered per parsed Gateway. `backendsOf` gives a route's resolutions, which
 * are the same instances while the route and its backends are unchanged (./routes.ts); `lookups`
 * and `servicesGeneration` are what they are resolved with. Two levels: while the grants and the
 * Services' generation are the very same, the winners' backends are too (they are resolved from
 * those and the routes); else they are compared.
 */
export function rememberedGateway(
  ctx: GatewayContext,
  listenerSets: readonly ListenerSetContext[],
  assignment: AddressAssignment,
  lookups: BackendLookups,
  backendsOf: (route: Attachment['route']) => RouteResolutions | undefined,
  options: ReconcileOptions,
  servicesGeneration: LookupGeneration,
  memory: ResolvedGatewayMemory,
): GatewayResolution {
  const all = sortedListeners(ctx, listenerSets);
  const quick = gatewayInputs(memory.quickInputs.start(), ctx, listenerSets, all, assignment, options);
  quick.push(lookups.grants, servicesGeneration);
  return recallFor(memory.byLookups, ctx.gateway, quick, () => {
    const winners = winnersOf(all, ctx, backendsOf, options);
    const inputs = gatewayInputs([], ctx, listenerSets, all, assignment, options);
    for (const w of winners) inputs.push(w?.backends);
    return recallFor(memory.byInputs, ctx.gateway, inputs, () => buildGateway(ctx, listenerSets, assignment, winners, options));
  });
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

/** True when two assignments are the same by value (pushAssignment). */
export function sameAssignment(a: AddressAssignment, b: AddressAssignment): boolean {
  if (a === b) return true;
  const left: unknown[] = [];
  const right: unknown[] = [];
  pushAssignment(left, a);
  pushAssignment(right, b);
  return sameItems(left, right);
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

