// What an engine remembers of address assignment (gateway/addresses.ts) between reconciles of
// one cluster: the last assignment with what it was computed from, returned again while all of
// that is identical. Most watch events (EndpointSlices, routes) change none of it, and
// re-validating every held address of 10k Gateways was a quarter of a reconcile. When the only
// change is one Gateway added (newest of all) or removed, the allocator's last run answers for it
// (withNewestGateway, withoutGateway) if nothing else IPAM reads changed.

import type { ReconcileOptions } from '../model/options.js';
import type { ParsedService } from '../model/parsed.js';
import type { GatewayContext } from '../model/context.js';
import { recallOrPatch, sameItems, type MemoSlot } from './memo.js';
import { sharedEnds } from '../model/shared-ends.js';
import {
  addressWork,
  generatedLabelKey,
  serviceAddresses,
  withNewestGateway,
  withoutGateway,
  type AddressRequest,
  type AddressResult,
  type AddressWork,
} from '../gateway/addresses.js';

/** Where an engine remembers the last assignment and what it was made from. */
export type AddressMemory = MemoSlot<AddressWork>;

/** assignAddresses, remembering its work in `memory`. */
export function rememberedAddresses(request: AddressRequest, options: ReconcileOptions, memory: AddressMemory): AddressResult {
  const { accepted } = request;
  return recallOrPatch(
    memory,
    addressInputs(request, options),
    (_lastInputs, last) => {
      // The allocator's run answers for one Gateway more or less only when nothing else it read changed.
      if (!sameSettings(last, request, options)) return undefined;
      if (accepted.length > last.accepted.length) {
        const added = oneMore(accepted, last.accepted);
        return added === undefined ? undefined : withNewestGateway(last, added, request);
      }
      const removed = oneMore(last.accepted, accepted);
      return removed === undefined ? undefined : withoutGateway(last, removed, request);
    },
    () => addressWork(request, options),
  ).result;
}

/** Past this many Services come or gone, comparing them costs more than it saves. */
const MAX_CHANGED_SERVICES = 64;

/**
 * Everything addressWork reads (gateway/addresses.ts), flattened: each list is preceded by its length, so two
 * different inputs never flatten alike.
 */
function addressInputs(request: AddressRequest, options: ReconcileOptions): unknown[] {
  const { accepted, notAccepted, services, configMaps, heldBack } = request;
  const inputs: unknown[] = [options.ipamConfigMap, options.allowUnpooledAddresses, heldBack, accepted.length];
  for (const ctx of accepted) inputs.push(ctx.gateway, ctx.resolvedClass.parameters.configMap);
  inputs.push(notAccepted.length);
  for (const gw of notAccepted) inputs.push(gw);
  inputs.push(services.length);
  for (const s of services) inputs.push(s);
  inputs.push(configMaps.size);
  for (const [key, cm] of configMaps) inputs.push(key, cm);
  return inputs;
}

/**
 * True when everything IPAM reads but the accepted Gateways is as in the last run: the options,
 * ConfigMaps, held-back addresses (IP8) and Gateways not accepted, and Services but a few it
 * never reads.
 */
function sameSettings(last: AddressWork, request: AddressRequest, options: ReconcileOptions): boolean {
  const { notAccepted, services, configMaps, heldBack } = request;
  if (options.ipamConfigMap !== last.ipamConfigMap || options.allowUnpooledAddresses !== last.allowUnpooled || configMaps !== last.configMaps) return false;
  return heldBack === last.heldBack && sameItems(notAccepted, last.notAccepted) && onlyUnreadServicesDiffer(last.services, services);
}

/**
 * The one Gateway `longer` has beyond `shorter` when every other is the same, with the same
 * class pools, in the same order; else undefined.
 */
function oneMore(longer: readonly GatewayContext[], shorter: readonly GatewayContext[]): GatewayContext | undefined {
  if (longer.length !== shorter.length + 1) return undefined;
  let at = 0;
  while (at < shorter.length && sameAssignmentInputs(longer[at]!, shorter[at]!)) at++;
  for (let i = at; i < shorter.length; i++) if (!sameAssignmentInputs(longer[i + 1]!, shorter[i]!)) return undefined;
  return longer[at];
}

/** True when the Gateway's address assignment reads the same as the other's (addressInputs). */
function sameAssignmentInputs(a: GatewayContext, b: GatewayContext): boolean {
  return a.gateway === b.gateway && a.resolvedClass.parameters.configMap === b.resolvedClass.parameters.configMap;
}

/**
 * True when `services` are `last` with one run of a few Services added or removed, each carrying
 * no address and generated for no Gateway: IPAM reads nothing of them (addressesInUse,
 * indexGeneratedServices).
 */
function onlyUnreadServicesDiffer(last: readonly ParsedService[], services: readonly ParsedService[]): boolean {
  const shorter = Math.min(last.length, services.length);
  const { prefix, suffix } = sharedEnds(last, services);
  if (prefix + suffix !== shorter) return false;
  const longer = services.length > last.length ? services : last;
  if (longer.length - shorter > MAX_CHANGED_SERVICES) return false;
  for (let i = prefix; i < longer.length - suffix; i++) {
    const s = longer[i]!;
    if (serviceAddresses(s).length > 0 || generatedLabelKey(s) !== undefined) return false;
  }
  return true;
}

