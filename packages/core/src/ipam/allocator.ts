// The allocator (IP3–IP6): a pure function from "who wants what, who holds what" to assignments.
// Modelled on MetalLB's internal/allocator, without its in-memory state: every run starts from the
// whole truth (held addresses, requests, addresses in use elsewhere), so a restart is just a run.

import { formatAddress, isExcludedAddress, parseAddress, parseCanonical, IP_FAMILIES, type IpAddress, type IpFamily } from './address.js';
import { AddressSpace } from './address-space.js';
import { compareStrings } from '../model/order.js';
import type { Pool } from './config.js';
import type { PoolSelection } from './selection.js';
import {
  DHCP_ADDRESS,
  type AddressOrigin,
  type AddressProblem,
  type AddressProblemReason,
  type AllocationInput,
  type AllocationOutcome,
  type AssignedAddress,
  type GatewayIpamInput,
  type InUseAddress,
} from './allocation.js';

/** One wanted address of a Gateway. */
type Slot =
  | { readonly kind: 'value'; readonly text: string; readonly parsed: IpAddress | undefined; readonly canonical: string | undefined }
  | { readonly kind: 'family'; readonly family: IpFamily }
  | { readonly kind: 'any' };

type SlotResult = { readonly assigned: AssignedAddress; readonly problem?: AddressProblem } | { readonly problem: AddressProblem };

/** Per-Gateway working state of one run. */
interface GatewayWork {
  readonly input: GatewayIpamInput;
  readonly slots: readonly Slot[];
  /** Slot index → its result, once decided. */
  readonly results: (SlotResult | undefined)[];
  /** Held addresses, parsed, deduplicated and sorted (IPv4 first, ascending). */
  readonly held: readonly HeldAddress[];
}

interface HeldAddress {
  readonly address: IpAddress;
  readonly canonical: string;
}

/** Who holds an address among our Gateways in this run. */
interface Claim {
  readonly gateway: string;
  readonly namespace: string;
}

/**
 * Assigns addresses to Gateways (IP3–IP6). Pure and deterministic: the result depends on the
 * content of the input, never on its order, and feeding the result back as `held` changes nothing.
 *
 * Rules, applied in three passes over the Gateways sorted oldest first (creationTimestamp, then
 * `namespace/name`):
 * 1. Held addresses (IP4) are kept when the Gateway still wants one (same requested value, or a
 *    valueless entry) and the address is still in its pool — unless an older Gateway holds it.
 *    A held address beats any request, and beats uses elsewhere (reported as `alsoInUseBy`).
 * 2. Requested values (IP5) must be valid IPs, inside a pool of the Gateway (unless
 *    `allowUnpooled`), not held by another Gateway and not in use elsewhere: else AddressNotUsable.
 * 3. Remaining wanted addresses get the lowest free address of the pool (highest with
 *    `search-order: desc`), pools in order, IPv4 `.0`/`.255` skipped, found by interval arithmetic
 *    (IP6), and never one of `heldBack` (IP8). None: AddressNotAssigned. A DHCP pool yields
 *    `serviceAddress: 0.0.0.0` and, until the lease is read back into `held`, an
 *    AddressNotAssigned problem saying so (DP7).
 *
 * How many addresses: one per `spec.addresses` entry; without entries one address, or one per
 * family of `families`. A valueless entry gets the first wanted family the Gateway does not have
 * yet (so two valueless entries on a dual-stack pool give one IPv4 and one IPv6), falling back to
 * the other family when its pool is exhausted.
 */
export function allocateAddresses(input: AllocationInput): Map<string, AllocationOutcome> {
  return allocation(input).outcomes;
}

/** A run of the allocator, which can be carried on with a Gateway newer than every one it was given. */
export interface Allocation {
  /** By Gateway key, as allocateAddresses gives them; allocateNewest adds to it, and nothing else may. */
  readonly outcomes: Map<string, AllocationOutcome>;
  /**
   * The outcome `gateway` gets in a run given it too, and the run carried on as that run: when
   * it is newer than every Gateway given (so it comes last in every pass), holds no address,
   * requests no value and no use elsewhere is tagged with it (so passes 1 and 2 have nothing for
   * it, and no older Gateway's outcome can change). Else undefined, and the run is left as it was.
   * Every address it gets was free in the run: no Gateway's outcome and no use elsewhere names it.
   *
   * With `leftOut` (Gateways given that a run without them is wanted for, as outcomesWithout
   * answers for them), the outcome is the one a run without them gives, when every address they
   * claimed is taken without them too (a use elsewhere names it, or it is held back, IP8): then
   * pass 3 finds the same addresses free either way. Its key must not be one of theirs.
   */
  allocateNewest(gateway: GatewayIpamInput, leftOut?: ReadonlySet<string>): AllocationOutcome | undefined;
  /**
   * Undoes the newest Gateway of the run when it claimed only fresh addresses (pass 3, after every
   * other Gateway had its addresses; it held nothing, requested no value, no use is tagged with
   * it): the run is then the one it would have been without it, and carries on as that run. Its
   * outcomes, or undefined (and the run left as it was) when `key` is not such a Gateway.
   */
  withoutNewest(key: string): Map<string, AllocationOutcome> | undefined;
  /** True when a use elsewhere (IP3) names the address: it is used whichever Gateway holds it. */
  usedElsewhere(address: string): boolean;
  /**
   * The outcomes a run without the Gateways `keys` gives, when leaving them out changes no other
   * Gateway's outcome: they are the newest, holding and requesting nothing (they came last in
   * every pass), or every other one had all it wants from what it holds in pass 1, without a
   * problem (so passes 2 and 3 had nothing for it, and held addresses are all it read); and none
   * holds an address a Gateway left out claimed or that a use tagged with one names (without
   * them, such an address is free, or an untagged use that a holder reports). Else undefined.
   * The run is not changed: what it carries on with still counts those Gateways in.
   */
  outcomesWithout(keys: ReadonlySet<string>): Map<string, AllocationOutcome> | undefined;
}

/** allocateAddresses, as a run that can be carried on (Allocation). */
export function allocation(input: AllocationInput): Allocation {
  // Typed callers always pass arrays; data that came from elsewhere must not make IPAM throw.
  const gateways = sortByAge(Array.isArray(input.gateways) ? input.gateways : []);
  const knownGateways = new Set(gateways.map((g) => g.key));
  // Everything taken before pass 3, built into the interval sets in one go (O(n log n)).
  const taken: IpAddress[] = [];
  // The same address usually shows up twice (a Gateway's status and its generated Service): parse once.
  const parse = memoizedParser();
  const uses = Array.isArray(input.inUse) ? input.inUse : [];
  const inUse = indexInUse(uses, taken, parse);
  const claims = new Map<string, Claim>();
  const work = gateways.map((gateway) => startWork(gateway, parse));
  let space: AddressSpace | undefined;

  const claim = (gateway: GatewayIpamInput, address: IpAddress, canonical: string): void => {
    claims.set(canonical, { gateway: gateway.key, namespace: gateway.namespace });
    if (space === undefined) taken.push(address);
    else space.take(address);
  };

  // Pass 1: held addresses stay (IP4). Oldest first, so the older Gateway wins a clash.
  for (const w of work) keepHeld(w, claims, inUse, knownGateways, input.allowUnpooled, claim);
  // Which Gateways pass 1 gave all they want (outcomesWithout).
  const settledByHeld = work.map((w) => w.results.every((r) => r !== undefined && r.problem === undefined));
  // Pass 2: requested values (IP5), after every held address is known, so a request never steals one.
  for (const w of work) grantRequests(w, claims, inUse, input.allowUnpooled, claim);
  // Pass 3: fresh addresses for what is still wanted (IP6), never one just released (IP8).
  const heldBack = parsedHeldBack(input.heldBack, parse);
  const fresh = (space = AddressSpace.fromAddresses(heldBack.length === 0 ? taken : [...taken, ...heldBack]));
  for (const w of work) allocateFresh(w, fresh, claim, heldBack);

  const outcomes = new Map<string, AllocationOutcome>();
  for (const w of work) outcomes.set(w.input.key, finish(w));
  let tagged: Set<string> | undefined;
  const isTagged = (key: string): boolean => {
    tagged ??= new Set(uses.flatMap((use) => (typeof use?.gateway === 'string' ? [use.gateway] : [])));
    return tagged.has(key);
  };
  const usedElsewhere = (address: string): boolean => {
    const parsed = parse(address);
    return parsed !== undefined && inUse.has(parsed.canonical);
  };
  const heldBackAnyway = (address: string): boolean => {
    const parsed = parse(address);
    return parsed !== undefined && heldBack.some((h) => h.family === parsed.address.family && h.value === parsed.address.value);
  };
  // What a Gateway left out claimed is taken without it too: pass 3 finds the same addresses free.
  const takenWithout = (keys: ReadonlySet<string>): boolean => {
    for (const key of keys) {
      const outcome = outcomes.get(key);
      if (outcome === undefined) return false;
      for (const a of outcome.addresses) if (a.address !== undefined && !usedElsewhere(a.address) && !heldBackAnyway(a.address)) return false;
    }
    return true;
  };
  const allocateNewest = (gateway: GatewayIpamInput, leftOut?: ReadonlySet<string>): AllocationOutcome | undefined => {
    const newest = gateways[gateways.length - 1];
    if (knownGateways.has(gateway.key)) return undefined;
    if (newest !== undefined && compareAge({ gateway: newest, time: timestampOf(newest) }, { gateway, time: timestampOf(gateway) }) >= 0) return undefined;
    if (isTagged(gateway.key)) return undefined;
    if (leftOut !== undefined && leftOut.size > 0 && !takenWithout(leftOut)) return undefined;
    const w = startWork(gateway, parse);
    if (w.held.length > 0 || w.slots.some((slot) => slot.kind === 'value')) return undefined;
    allocateFresh(w, fresh, claim, heldBack);
    gateways.push(gateway);
    knownGateways.add(gateway.key);
    // Its address is fresh (pass 3): a Gateway left out later may have freed what it would take.
    work.push(w);
    settledByHeld.push(false);
    const outcome = finish(w);
    outcomes.set(gateway.key, outcome);
    return outcome;
  };
  const outcomesWithout = (keys: ReadonlySet<string>): Map<string, AllocationOutcome> | undefined => {
    for (const key of keys) if (!knownGateways.has(key)) return undefined;
    // The addresses the Gateways left out claimed, and those their tagged uses name.
    const touched = new Set<string>();
    for (const [canonical, holder] of claims) if (keys.has(holder.gateway)) touched.add(canonical);
    for (const use of uses) {
      if (typeof use?.gateway !== 'string' || !keys.has(use.gateway)) continue;
      const parsed = parse(use.address);
      if (parsed !== undefined) touched.add(parsed.canonical);
    }
    // Newest of all, holding and requesting nothing (as allocateNewest takes them): they came
    // last in every pass and claimed only in pass 3, after every other Gateway had its addresses.
    const newestOnly = work.every((w, i) => (i < work.length - keys.size ? !keys.has(w.input.key) : w.held.length === 0 && !w.slots.some((slot) => slot.kind === 'value')));
    for (let i = 0; i < work.length; i++) {
      const w = work[i]!;
      if (keys.has(w.input.key)) continue;
      if ((!newestOnly && !settledByHeld[i]) || w.held.some((h) => touched.has(h.canonical))) return undefined;
    }
    const without = new Map(outcomes);
    for (const key of keys) without.delete(key);
    return without;
  };
  const withoutNewest = (key: string): Map<string, AllocationOutcome> | undefined => {
    const w = work[work.length - 1];
    if (w === undefined || w.input.key !== key || w.held.length > 0 || w.slots.some((slot) => slot.kind === 'value') || isTagged(key)) return undefined;
    const claimed: { readonly address: IpAddress; readonly canonical: string }[] = [];
    for (const result of w.results) {
      if (result === undefined || !('assigned' in result) || result.assigned.address === undefined) continue;
      // Only an allocated address was found free in the space, so only it can be freed exactly.
      const parsed = result.assigned.origin === 'allocated' ? parse(result.assigned.address) : undefined;
      if (parsed === undefined || claims.get(parsed.canonical)?.gateway !== key) return undefined;
      claimed.push(parsed);
    }
    for (const { address, canonical } of claimed) {
      claims.delete(canonical);
      fresh.release(address);
    }
    work.pop();
    gateways.pop();
    settledByHeld.pop();
    knownGateways.delete(key);
    outcomes.delete(key);
    return outcomes;
  };
  return { outcomes, allocateNewest, outcomesWithout, withoutNewest, usedElsewhere };
}

type Parser = (text: unknown) => ReturnType<typeof parseCanonical>;

/** IP8: the held-back addresses that parse; anything else in the list is ignored. */
function parsedHeldBack(heldBack: unknown, parse: Parser): IpAddress[] {
  if (!Array.isArray(heldBack)) return [];
  const out: IpAddress[] = [];
  for (const text of heldBack) {
    const parsed = parse(text);
    if (parsed !== undefined) out.push(parsed.address);
  }
  return out;
}

/** `parseCanonical` with a memo for the duration of one run (string → result). */
function memoizedParser(): Parser {
  const memo = new Map<string, ReturnType<typeof parseCanonical> | null>();
  return (text) => {
    if (typeof text !== 'string') return undefined;
    const known = memo.get(text);
    if (known !== undefined) return known ?? undefined;
    const parsed = parseCanonical(text);
    memo.set(text, parsed ?? null);
    return parsed;
  };
}

function sortByAge(gateways: readonly GatewayIpamInput[]): GatewayIpamInput[] {
  const keyed = gateways.map((gateway) => ({ gateway, time: timestampOf(gateway) }));
  keyed.sort(compareAge);
  const seen = new Set<string>();
  const sorted: GatewayIpamInput[] = [];
  for (const { gateway } of keyed) {
    if (seen.has(gateway.key)) continue;
    seen.add(gateway.key);
    sorted.push(gateway);
  }
  return sorted;
}

function compareAge(a: { gateway: GatewayIpamInput; time: number }, b: { gateway: GatewayIpamInput; time: number }): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.gateway.key !== b.gateway.key) return a.gateway.key < b.gateway.key ? -1 : 1;
  // Duplicate keys (a caller error): keep the choice independent of input order anyway.
  const ca = contentKey(a.gateway);
  const cb = contentKey(b.gateway);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

function contentKey(gateway: GatewayIpamInput): string {
  return JSON.stringify([gateway.held, gateway.requests, gateway.families ?? null], (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
}

function timestampOf(gateway: GatewayIpamInput): number {
  const parsed = typeof gateway.creationTimestamp === 'string' ? Date.parse(gateway.creationTimestamp) : Number.NaN;
  return Number.isNaN(parsed) ? Number.POSITIVE_INFINITY : parsed;
}

/** Canonical address → its uses elsewhere (sorted by holder); every parseable one is blocked. */
function indexInUse(inUse: readonly InUseAddress[], taken: IpAddress[], parse: Parser): Map<string, InUseAddress[]> {
  const index = new Map<string, InUseAddress[]>();
  for (const use of inUse) {
    const parsed = parse(use?.address);
    if (parsed === undefined) continue;
    taken.push(parsed.address);
    const canonical = parsed.canonical;
    const list = index.get(canonical);
    if (list === undefined) index.set(canonical, [use]);
    else list.push(use);
  }
  for (const list of index.values()) if (list.length > 1) list.sort((a, b) => compareStrings(`${a.holder}\u0000${a.namespace ?? ''}\u0000${a.gateway ?? ''}`, `${b.holder}\u0000${b.namespace ?? ''}\u0000${b.gateway ?? ''}`));
  return index;
}

function startWork(gateway: GatewayIpamInput, parse: Parser): GatewayWork {
  const slots: Slot[] = [];
  const seenValues = new Set<string>();
  const requests = Array.isArray(gateway.requests) ? gateway.requests : [];
  for (const request of requests) {
    if (typeof request?.value === 'string' && request.value !== '') {
      const canonicalized = parse(request.value.trim());
      const parsed = canonicalized?.address;
      const canonical = canonicalized?.canonical;
      // Gateway API forbids duplicate values; if one slips through it is one address, not two.
      const dedupeKey = canonical ?? `invalid:${request.value}`;
      if (seenValues.has(dedupeKey)) continue;
      seenValues.add(dedupeKey);
      slots.push({ kind: 'value', text: request.value, parsed, canonical });
    } else {
      slots.push({ kind: 'any' });
    }
  }
  if (requests.length === 0) {
    const families = uniqueFamilies(gateway.families);
    if (families.length === 0) slots.push({ kind: 'any' });
    else for (const family of families) slots.push({ kind: 'family', family });
  }
  const held: HeldAddress[] = [];
  for (const text of Array.isArray(gateway.held) ? gateway.held : []) {
    const parsed = parse(text);
    if (parsed === undefined) continue;
    if (!held.some((h) => h.canonical === parsed.canonical)) held.push(parsed);
  }
  if (held.length > 1) held.sort((a, b) => compareAddresses(a.address, b.address));
  return { input: gateway, slots, results: new Array<SlotResult | undefined>(slots.length).fill(undefined), held };
}

function uniqueFamilies(families: readonly IpFamily[] | undefined): IpFamily[] {
  if (!Array.isArray(families)) return [];
  const unique: IpFamily[] = [];
  for (const family of families) if (IP_FAMILIES.includes(family) && !unique.includes(family)) unique.push(family);
  return unique;
}

type ClaimFn = (gateway: GatewayIpamInput, address: IpAddress, canonical: string) => void;

/** Pass 1 for one Gateway: match held addresses to wanted slots (IP4). */
function keepHeld(
  w: GatewayWork,
  claims: Map<string, Claim>,
  inUse: Map<string, InUseAddress[]>,
  knownGateways: ReadonlySet<string>,
  allowUnpooled: boolean,
  claim: ClaimFn,
): void {
  if (w.held.length === 0) return;
  const gateway = w.input;
  const selection = gateway.pools;
  const brokenConfig = selection.pools.length === 0 && selection.unavailable?.keepHeld === true;
  // A malformed key was skipped for a later one: what the Gateway holds stays, even outside the
  // later key's pool (it may come from the malformed key), but never a `.0`/`.255` address.
  const keepOutsidePools = brokenConfig || selection.skippedMalformed !== undefined;
  /** Canonical held addresses already placed in a slot. */
  const placed = new Set<string>();
  /** Canonical requested values (a held one whose request failed validation must not sneak back). */
  const requested = new Set<string>();

  // A requested value the Gateway already holds: kept when the request itself is valid.
  for (let index = 0; index < w.slots.length; index++) {
    const slot = w.slots[index]!;
    if (slot.kind !== 'value' || slot.parsed === undefined || slot.canonical === undefined) continue;
    requested.add(slot.canonical);
    if (!w.held.some((h) => h.canonical === slot.canonical)) continue;
    if (claims.has(slot.canonical)) continue; // an older Gateway holds it; pass 2 reports the clash
    const pool = findPool(selection.pools, slot.parsed);
    if (pool === undefined) {
      // Outside the pools: kept only when allowed unpooled, or when a broken configuration
      // cannot tell (but never a `.0`/`.255` address); otherwise pass 2 reports it.
      const keep = allowUnpooled || (keepOutsidePools && !isExcludedAddress(slot.parsed.family, slot.parsed.value));
      if (!keep) continue;
    }
    claim(gateway, slot.parsed, slot.canonical);
    placed.add(slot.canonical);
    w.results[index] = { assigned: assigned(slot.parsed, slot.canonical, 'requested', pool?.id, alsoInUseBy(inUse, knownGateways, slot.canonical)) };
  }

  // Held addresses fill family slots of their family first, then valueless slots.
  for (const { address, canonical } of w.held) {
    if (placed.has(canonical) || requested.has(canonical) || claims.has(canonical)) continue;
    let pool: Pool | undefined;
    let origin: AddressOrigin = 'held';
    if (brokenConfig) {
      if (isExcludedAddress(address.family, address.value)) continue; // never handed out (IP2)
    } else {
      pool = findPool(selection.pools, address);
      if (pool === undefined && address.family === 'IPv4') {
        pool = selection.pools.find((p) => p.dhcp);
        if (pool !== undefined) origin = 'dhcp';
      }
      // No longer in its pool: released (IP4), unless the pool may be the malformed key's.
      if (pool === undefined && !(keepOutsidePools && !isExcludedAddress(address.family, address.value))) continue;
    }
    const index = freeSlotFor(w, address.family);
    if (index === undefined) continue;
    claim(gateway, address, canonical);
    placed.add(canonical);
    const kept = assigned(address, canonical, origin, pool?.id, alsoInUseBy(inUse, knownGateways, canonical));
    w.results[index] = { assigned: origin === 'dhcp' ? { ...kept, serviceAddress: DHCP_ADDRESS } : kept };
  }
}

/** The first use elsewhere of an address by something that is not one of our Gateways' Services. */
function alsoInUseBy(inUse: Map<string, InUseAddress[]>, knownGateways: ReadonlySet<string>, canonical: string): string | undefined {
  const uses = inUse.get(canonical);
  if (uses === undefined) return undefined;
  return uses.find((use) => use.gateway === undefined || !knownGateways.has(use.gateway))?.holder;
}

/** The first undecided slot that can take an address of the family. */
function freeSlotFor(w: GatewayWork, family: IpFamily): number | undefined {
  let anySlot: number | undefined;
  for (let i = 0; i < w.slots.length; i++) {
    if (w.results[i] !== undefined) continue;
    const slot = w.slots[i]!;
    if (slot.kind === 'family' && slot.family === family) return i;
    if (slot.kind === 'any' && anySlot === undefined) anySlot = i;
  }
  return anySlot;
}

/** Pass 2 for one Gateway: validate and grant requested values (IP5). */
function grantRequests(w: GatewayWork, claims: Map<string, Claim>, inUse: Map<string, InUseAddress[]>, allowUnpooled: boolean, claim: ClaimFn): void {
  const gateway = w.input;
  w.slots.forEach((slot, index) => {
    if (slot.kind !== 'value' || w.results[index] !== undefined) return;
    const notUsable = (message: string, clashWith?: string): void => {
      w.results[index] = {
        problem: { reason: 'AddressNotUsable', message, requested: slot.text, ...(clashWith === undefined ? {} : { clashWith }) },
      };
    };
    if (slot.parsed === undefined || slot.canonical === undefined) {
      notUsable(`requested address "${slot.text}" is not a valid IP address`);
      return;
    }
    const address = slot.canonical;
    const pool = findPool(gateway.pools.pools, slot.parsed);
    if (pool === undefined && !allowUnpooled) {
      const unavailable = gateway.pools.unavailable;
      if (gateway.pools.pools.length === 0 && unavailable?.keepHeld === true) {
        w.results[index] = { problem: { reason: 'AddressNotAssigned', message: `requested address ${address} cannot be checked: ${unavailable.message}`, requested: slot.text } };
        return;
      }
      const containing = gateway.pools.pools.find((p) => inRanges(p, slot.parsed!));
      if (containing !== undefined) {
        notUsable(`requested address ${address} ends in .0 or .255, which pool ${containing.id} never hands out`);
      } else if (gateway.pools.pools.length === 0) {
        notUsable(`requested address ${address} is outside the pools of namespace "${gateway.namespace}": ${unavailable?.message ?? 'it has none'}`);
      } else {
        notUsable(`requested address ${address} is outside the pools namespace "${gateway.namespace}" may use (${gateway.pools.pools.map((p) => p.id).join(', ')})`);
      }
      return;
    }
    const holder = claims.get(address);
    if (holder !== undefined) {
      notUsable(
        holder.namespace === gateway.namespace
          ? `requested address ${address} is already assigned to Gateway ${holder.gateway}`
          : `requested address ${address} is already assigned to a Gateway in another namespace`,
        `Gateway ${holder.gateway}`,
      );
      return;
    }
    const use = inUse.get(address)?.find((u) => u.gateway !== gateway.key);
    if (use !== undefined) {
      notUsable(
        use.namespace === gateway.namespace
          ? `requested address ${address} is already in use by ${use.holder}`
          : `requested address ${address} is already in use in another namespace`,
        use.holder,
      );
      return;
    }
    claim(gateway, slot.parsed, address);
    w.results[index] = { assigned: assigned(slot.parsed, address, 'requested', pool?.id) };
  });
}

/** Pass 3 for one Gateway: fresh addresses for the slots still undecided (IP6). */
function allocateFresh(w: GatewayWork, space: AddressSpace, claim: ClaimFn, heldBack: readonly IpAddress[]): void {
  const gateway = w.input;
  const selection = gateway.pools;
  const offered = offeredFamilies(selection);
  const wanted = uniqueFamilies(gateway.families);
  const preference = wanted.length > 0 ? wanted : offered.length > 0 ? offered : ['IPv4' as const];

  w.slots.forEach((slot, index) => {
    if (slot.kind === 'value' || w.results[index] !== undefined) return;
    if (selection.pools.length === 0) {
      const message = selection.unavailable?.message ?? `no IPAM pool for namespace "${gateway.namespace}"`;
      w.results[index] = { problem: { reason: 'AddressNotAssigned', message } };
      return;
    }
    const families = slot.kind === 'family' ? [slot.family] : spreadOrder(preference, familiesHeld(w));
    let firstFailure: SlotResult | undefined;
    for (const family of families) {
      const result = allocateFromPools(gateway, selection.pools, family, space, claim, heldBack);
      if ('assigned' in result) {
        w.results[index] = result;
        return;
      }
      firstFailure ??= result;
    }
    w.results[index] = firstFailure!;
  });
}

/** Families of the addresses a Gateway has so far in this run. */
function familiesHeld(w: GatewayWork): Set<IpFamily> {
  const families = new Set<IpFamily>();
  for (const result of w.results) if (result !== undefined && 'assigned' in result) families.add(result.assigned.family);
  return families;
}

/** Families a valueless slot tries: the ones the Gateway lacks first, then the others. */
function spreadOrder(preference: readonly IpFamily[], have: ReadonlySet<IpFamily>): IpFamily[] {
  return [...preference.filter((f) => !have.has(f)), ...preference.filter((f) => have.has(f))];
}

function allocateFromPools(
  gateway: GatewayIpamInput,
  pools: readonly Pool[],
  family: IpFamily,
  space: AddressSpace,
  claim: ClaimFn,
  heldBack: readonly IpAddress[],
): SlotResult {
  let exhausted: Pool | undefined;
  for (const pool of pools) {
    if (family === 'IPv4' && pool.dhcp) {
      return {
        assigned: { family, serviceAddress: DHCP_ADDRESS, pool: pool.id, origin: 'dhcp' },
        problem: { reason: 'AddressNotAssigned', message: `waiting for the DHCP lease of pool ${pool.id}: the Service requests ${DHCP_ADDRESS} and the announcer reports the address` },
      };
    }
    if (pool.ranges[family].length === 0) continue;
    const address = space.findFree(pool, family);
    if (address === undefined) {
      exhausted ??= pool;
      continue;
    }
    const canonical = formatAddress(address);
    claim(gateway, address, canonical);
    return { assigned: assigned(address, canonical, 'allocated', pool.id) };
  }
  const message = exhausted !== undefined
    ? `pool ${exhausted.id} has no free ${family} address left${heldBackNote(exhausted, heldBack)}`
    : `no ${family} addresses in the pools of namespace "${gateway.namespace}" (${pools.map((p) => p.id).join(', ')})`;
  return { problem: { reason: 'AddressNotAssigned', message } };
}

/** IP8: why an exhausted pool may soon have an address again. */
function heldBackNote(pool: Pool, heldBack: readonly IpAddress[]): string {
  const count = heldBack.filter((address) => findPool([pool], address) !== undefined).length;
  if (count === 0) return '';
  return count === 1 ? ' (1 address released a moment ago is held back briefly)' : ` (${count} addresses released a moment ago are held back briefly)`;
}

/** The first pool that can hand out this address (in its ranges and not `.0`/`.255`). */
export function findPool(pools: readonly Pool[], address: IpAddress): Pool | undefined {
  if (isExcludedAddress(address.family, address.value)) return undefined;
  return pools.find((pool) => inRanges(pool, address));
}

function inRanges(pool: Pool, address: IpAddress): boolean {
  const ranges = pool.ranges[address.family];
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid]!.last < address.value) lo = mid + 1;
    else hi = mid;
  }
  return lo < ranges.length && ranges[lo]!.first <= address.value;
}

function assigned(address: IpAddress, canonical: string, origin: AddressOrigin, pool: string | undefined, alsoInUseBy?: string): AssignedAddress {
  // Optional fields are left out rather than set to undefined, so outcomes compare and print cleanly.
  if (pool === undefined && alsoInUseBy === undefined) return { family: address.family, address: canonical, serviceAddress: canonical, origin };
  if (alsoInUseBy === undefined) return { family: address.family, address: canonical, serviceAddress: canonical, pool: pool!, origin };
  return { family: address.family, address: canonical, serviceAddress: canonical, ...(pool === undefined ? {} : { pool }), origin, alsoInUseBy };
}

/** The families a selection's pools offer, IPv4 first. */
function offeredFamilies(selection: PoolSelection): IpFamily[] {
  let v4 = false;
  let v6 = false;
  for (const pool of selection.pools) {
    v4 ||= pool.dhcp || pool.ranges.IPv4.length > 0;
    v6 ||= pool.ranges.IPv6.length > 0;
  }
  return v4 && v6 ? ['IPv4', 'IPv6'] : v4 ? ['IPv4'] : v6 ? ['IPv6'] : [];
}

function finish(w: GatewayWork): AllocationOutcome {
  const addresses: AssignedAddress[] = [];
  const problems: AddressProblem[] = [];
  for (const result of canonicalSlotOrder(w)) {
    if (result === undefined) continue;
    if ('assigned' in result) addresses.push(result.assigned);
    if (result.problem !== undefined) problems.push(result.problem);
  }
  if (problems.length === 0) return { gateway: w.input.key, addresses, problems };
  const reason: AddressProblemReason = problems.some((p) => p.reason === 'AddressNotUsable') ? 'AddressNotUsable' : 'AddressNotAssigned';
  return { gateway: w.input.key, addresses, problems, reason, message: problems.map((p) => p.message).join('; ') };
}

/**
 * The results in slot order, except that valueless slots, which are interchangeable, list their
 * addresses in canonical order (IPv4 first, ascending; problems last). So the outcome depends only
 * on the set of held addresses, and feeding it back as `held` reproduces it exactly (R1: the
 * status order never flips).
 */
function canonicalSlotOrder(w: GatewayWork): (SlotResult | undefined)[] {
  const anyIndexes = w.slots.flatMap((slot, index) => (slot.kind === 'any' ? [index] : []));
  if (anyIndexes.length < 2) return w.results;
  const sortKey = (result: SlotResult | undefined): [number, bigint] => {
    if (result === undefined || !('assigned' in result)) return [3, 0n];
    const parsed = parseAddress(result.assigned.address);
    return [result.assigned.family === 'IPv4' ? 0 : 1, parsed?.value ?? -1n];
  };
  const sorted = anyIndexes.map((i) => w.results[i]).sort((a, b) => {
    const [fa, va] = sortKey(a);
    const [fb, vb] = sortKey(b);
    return fa !== fb ? fa - fb : va < vb ? -1 : va > vb ? 1 : 0;
  });
  const results = [...w.results];
  anyIndexes.forEach((slotIndex, i) => {
    results[slotIndex] = sorted[i];
  });
  return results;
}

function compareAddresses(a: IpAddress, b: IpAddress): number {
  if (a.family !== b.family) return a.family === 'IPv4' ? -1 : 1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
