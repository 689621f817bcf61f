// What an engine remembers of address assignment (gateway/addresses.ts) between reconciles of
// one cluster: the last assignment with what it was computed from, returned again while all of
// that is identical. Most watch events (EndpointSlices, routes) change none of it, and
// re-validating every held address of 10k Gateways was a quarter of a reconcile. When the only
// change is one Gateway added (newest of all) or removed, the allocator's last run answers for it
// (withNewestGateway, withoutGateway) if nothing else IPAM reads changed; when only a few
// Services were replaced by versions it reads the same of (a load balancer announcing the address
// a generated Service asks for: one event per generated Service), the last work stands. What
// changed is found by comparing the request's lists with the last ones item by item, by
// identity, where they differ at all: no list of every input is built (flattening 10k Gateways
// and their Services into one array cost ~4 ms a reconcile).

import type { ReconcileOptions } from '../model/options.js';
import type { ParsedService } from '../model/parsed.js';
import type { GatewayContext } from '../model/context.js';
import { sameItems } from './memo.js';
import { PatchedMap } from './patched-map.js';
import { sharedEnds } from '../model/shared-ends.js';
import {
  addressWork,
  generatedLabelKey,
  serviceAddresses,
  sameIpamReads,
  sameServiceIpamReads,
  withNewestGateway,
  withoutGateway,
  type AddressRequest,
  type AddressResult,
  type AddressWork,
} from '../gateway/addresses.js';

/**
 * Where an engine remembers the last assignment; the work holds what it was made from (the
 * request's lists and settings), which is all the next request is compared with.
 */
export interface AddressMemory {
  last?: AddressWork;
}

/** assignAddresses, remembering its work in `memory`. */
export function rememberedAddresses(request: AddressRequest, options: ReconcileOptions, memory: AddressMemory): AddressResult {
  const last = memory.last;
  if (last !== undefined && sameRequest(last, request, options)) return last.result;
  const work = (last !== undefined ? patched(last, request, options) : undefined) ?? addressWork(request, options);
  memory.last = work;
  return work.result;
}

/**
 * The work of `last` carried over a few Services replaced by versions IPAM reads the same of, or
 * over one Gateway added or removed, when nothing else IPAM reads changed; else undefined.
 */
function patched(last: AddressWork, request: AddressRequest, options: ReconcileOptions): AddressWork | undefined {
  const { accepted, services } = request;
  if (!sameSettings(last, request, options)) return undefined;
  if (accepted.length === last.accepted.length) {
    // Nothing IPAM reads changed: its work stands, compared from now on with these lists.
    return sameListBy(accepted, last.accepted, sameAssignmentInputs) && onlyServicesReadAlikeReplaced(last, services) ? { ...last, accepted, services } : undefined;
  }
  if (!onlyUnreadServicesDiffer(last.services, services)) return undefined;
  if (accepted.length > last.accepted.length) {
    const added = oneMore(accepted, last.accepted);
    return added === undefined ? undefined : withNewestGateway(last, added, request, PatchedMap.changed);
  }
  const removed = oneMore(last.accepted, accepted);
  return removed === undefined ? undefined : withoutGateway(last, removed, request, PatchedMap.changed);
}

/** Past this many Services come or gone, comparing them costs more than it saves. */
const MAX_CHANGED_SERVICES = 64;

/**
 * True when the request reads exactly what `last` was computed from (everything addressWork reads,
 * gateway/addresses.ts): the same settings, held-back list and ConfigMaps, and the same
 * Gateways (with their class pools) and Services, each the same instance in the same place.
 */
function sameRequest(last: AddressWork, request: AddressRequest, options: ReconcileOptions): boolean {
  return sameSettings(last, request, options) && sameItems(request.services, last.services) && sameListBy(request.accepted, last.accepted, sameAssignmentInputs);
}

/** True when both maps hold the same ConfigMap instances under the same keys, in the same order. */
function sameConfigMaps(last: AddressRequest['configMaps'], next: AddressRequest['configMaps']): boolean {
  if (last === next) return true;
  if (last.size !== next.size) return false;
  const lastEntries = last.entries();
  for (const [key, cm] of next) {
    const entry = lastEntries.next();
    if (entry.done === true || entry.value[0] !== key || entry.value[1] !== cm) return false;
  }
  return true;
}

/**
 * True when everything IPAM reads but the accepted Gateways and the Services is as in the last
 * run: the options, ConfigMaps, held-back addresses (IP8) and Gateways not accepted.
 */
function sameSettings(last: AddressWork, request: AddressRequest, options: ReconcileOptions): boolean {
  const { notAccepted, configMaps, heldBack } = request;
  if (options.ipamConfigMap !== last.ipamConfigMap || options.allowUnpooledAddresses !== last.allowUnpooled || heldBack !== last.heldBack) return false;
  return sameConfigMaps(last.configMaps, configMaps) && sameListBy(notAccepted, last.notAccepted, sameIpamReads);
}

/**
 * The one Gateway `longer` has beyond `shorter` when every other is the same, with the same
 * class pools, in the same order; else undefined.
 */
function oneMore(longer: readonly GatewayContext[], shorter: readonly GatewayContext[]): GatewayContext | undefined {
  if (longer.length !== shorter.length + 1) return undefined;
  // An engine's contexts are remembered per Gateway: the same instances, but the one added or removed.
  const { prefix, suffix } = sharedEnds(shorter, longer);
  if (prefix + suffix === shorter.length) return longer[prefix];
  let at = 0;
  while (at < shorter.length && sameAssignmentInputs(longer[at]!, shorter[at]!)) at++;
  for (let i = at; i < shorter.length; i++) if (!sameAssignmentInputs(longer[i + 1]!, shorter[i]!)) return undefined;
  return longer[at];
}

/** True when the Gateway's address assignment reads the same as the other's (sameRequest). */
function sameAssignmentInputs(a: GatewayContext, b: GatewayContext): boolean {
  return sameIpamReads(a.gateway, b.gateway) && a.resolvedClass.parameters.configMap === b.resolvedClass.parameters.configMap;
}

/** True when both lists hold items alike by `same`, in the same order. */
function sameListBy<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}


/**
 * True when `services` are the Services of `last` with a few replaced in place by versions IPAM
 * reads the same of (sameServiceIpamReads): the load balancer announcing a generated Service.
 */
function onlyServicesReadAlikeReplaced(last: AddressWork, services: readonly ParsedService[]): boolean {
  if (services.length !== last.services.length) return false;
  const { prefix, suffix } = sharedEnds(last.services, services);
  const end = services.length - suffix;
  if (end - prefix > MAX_CHANGED_SERVICES) return false;
  const leasesRead = last.pools.some((pool) => pool.dhcp);
  for (let i = prefix; i < end; i++) if (!sameServiceIpamReads(last.services[i]!, services[i]!, leasesRead)) return false;
  return true;
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

