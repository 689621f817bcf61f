// Gateway addresses through IPAM (IP1–IP7, GW4, GW5, DP7). This module only gathers the
// allocator's inputs from the snapshot and maps its verdicts back; the rules live in ../ipam.
// An assignment comes with the allocator's run (AddressWork), which can answer for one Gateway
// more or less without running again (withNewestGateway, withoutGateway): an engine does so when
// nothing else changed (engine/addresses.ts).

import type { Diagnostic, EventRecord, PoolUsage } from '../model/desired.js';
import type { AddressAssignment, ObjectKey } from '../model/graph.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ParsedConfigMap, ParsedGateway, ParsedService } from '../model/parsed.js';
import type { GatewayContext } from '../model/context.js';
import {
  parseIpamConfigMap,
  poolUsage,
  poolUsageChanged,
  poolsForNamespace,
  type AllocationOutcome,
  type GatewayIpamInput,
  type InUseAddress,
  type IpamConfig,
  type Pool,
  type PoolSelection,
} from '../ipam/index.js';
import {
  ANNOTATION_CILIUM_IPS,
  ANNOTATION_KUBE_VIP_IPS,
  ANNOTATION_METALLB_IPS,
  LABEL_GATEWAY_NAME,
  LABEL_GATEWAY_NAMESPACE,
} from '../model/labels.js';
import { labelValueFor } from '../dataplane/names.js';
import { compareStrings } from '../model/order.js';
import { GatewayReason } from '../status/reasons.js';
import { allocation, type Allocation } from '../ipam/allocator.js';
import { objectKey } from '../model/graph.js';
import { lowerBound } from '../parse/primitives.js';

const NO_ADDRESSES: readonly string[] = Object.freeze([]);
const NO_SERVICES: readonly ParsedService[] = Object.freeze([]);
const NO_REQUESTS: readonly { readonly value?: string }[] = Object.freeze([]);
const NOTHING_LEFT_OUT: ReadonlySet<ObjectKey> = new Set();

/** The address a DHCP Service requests; never a real holder's address (DP7). */
const UNSPECIFIED_IPV4 = '0.0.0.0';

export interface AddressResult {
  /** By Gateway key; every Gateway given to `assignAddresses` has an entry. */
  readonly assignments: ReadonlyMap<ObjectKey, AddressAssignment>;
  readonly poolUsage: readonly PoolUsage[];
  readonly diagnostics: readonly Diagnostic[];
  readonly events: readonly EventRecord[];
}

/**
 * Assigns addresses to every Accepted Gateway of ours. Gateways that are ours but not Accepted
 * keep what they hold reserved (as uses elsewhere), so a transient mistake in a spec never lets
 * another Gateway take their address (IP4).
 *
 * The result depends only on the parsed Gateways, Services and ConfigMaps given (and two
 * options), and parsed objects are the same instances while their objects are unchanged
 * (parse/snapshot.ts); an engine reuses it while all of that is identical (engine/addresses.ts).
 */
export function assignAddresses(request: AddressRequest, options: ReconcileOptions): AddressResult {
  return addressWork(request, options).result;
}

/** What IPAM is asked about: our Gateways, Accepted or not, and what it reads besides them. */
export interface AddressRequest {
  readonly accepted: readonly GatewayContext[];
  readonly notAccepted: readonly ParsedGateway[];
  readonly services: readonly ParsedService[];
  readonly configMaps: ReadonlyMap<string, ParsedConfigMap>;
  /** IP8: what the allocator's run holds back. */
  readonly heldBack: readonly string[];
}

/** An assignment, what it was computed from, and the allocator's run, which a newer Gateway may carry on. */
export interface AddressWork extends AddressRequest {
  readonly result: AddressResult;
  readonly ipamConfigMap: string;
  readonly allowUnpooled: boolean;
  readonly allocation: Allocation;
  /**
   * Gateways the allocator's run was given that have been removed since (withoutGateway) and that
   * its run still counts: it carries on only as a run with them (allocateNewest is told of them).
   */
  readonly leftOut: ReadonlySet<ObjectKey>;
  /** The pools of each (class pools, namespace), by selectionKey. */
  readonly selections: ReadonlyMap<string, PoolSelection>;
  /** The generatedKey of every Gateway some Service was generated for. */
  readonly generatedFor: ReadonlySet<string>;
  readonly pools: readonly Pool[];
  /**
   * The uses elsewhere the run was given, for recounting pool usage, which reads only their
   * addresses: a removed Gateway's tag on them is left as it was.
   */
  readonly inUse: readonly InUseAddress[];
}

/**
 * A map that is `map` with the `removed` keys dropped and the `appended` ones added (keys it does
 * not hold), never changing `map`: how a patch below makes one Gateway's assignment more or less
 * without copying 10k entries (an engine's engine/patched-map.ts). Only looked up by key, so the
 * order it iterates in is free.
 */
export type MapChange = <V>(map: ReadonlyMap<string, V>, changes: { readonly removed?: Iterable<string>; readonly appended?: ReadonlyMap<string, V> }) => ReadonlyMap<string, V>;

/** assignAddresses, with the allocator's run and what it was computed from. */
export function addressWork(request: AddressRequest, options: ReconcileOptions): AddressWork {
  const { accepted, notAccepted, services, configMaps, heldBack } = request;
  const diagnostics: Diagnostic[] = [];
  const configs = new IpamConfigCache(diagnostics);
  // A `namespace/name` ConfigMap is parsed even with no Gateway, so pool usage is always reported (IP7).
  if (options.ipamConfigMap.includes('/')) {
    const global = configMaps.get(options.ipamConfigMap);
    if (global !== undefined) configs.get(global);
  }
  const generated = indexGeneratedServices(services);

  const inputs: GatewayIpamInput[] = [];
  // Gateways of one class in one namespace share their pools: select once per (class pools, namespace).
  const selections = new Map<string, PoolSelection>();
  const keyByLabel = new Map<string, string>();
  for (const ctx of accepted) {
    const gw = ctx.gateway;
    const classConfigMap = ctx.resolvedClass.parameters.configMap;
    const global = globalConfigMap(options.ipamConfigMap, gw.meta.namespace, configMaps);
    const key = selectionKey(ctx);
    let pools = selections.get(key);
    if (pools === undefined) {
      const sources: IpamConfig[] = [];
      if (classConfigMap !== undefined) sources.push(configs.get(classConfigMap));
      if (global !== undefined) sources.push(configs.get(global));
      pools = poolsForNamespace(sources, gw.meta.namespace);
      selections.set(key, pools);
    }
    const labelKey = generatedKey(gw.meta.namespace, gw.meta.name);
    keyByLabel.set(labelKey, ctx.key);
    inputs.push(ipamInput(ctx, pools, generated.get(labelKey) ?? NO_SERVICES));
  }

  const inUse = addressesInUse(services, notAccepted, keyByLabel);
  const run = allocation({ gateways: inputs, inUse, allowUnpooled: options.allowUnpooledAddresses, heldBack });
  const outcomes = run.outcomes;

  const assignments = new Map<ObjectKey, AddressAssignment>();
  const events: EventRecord[] = [];
  for (const ctx of accepted) {
    const outcome = outcomes.get(ctx.key);
    const assignment = toAssignment(outcome);
    assignments.set(ctx.key, assignment);
    const event = addressEvent(ctx, assignment);
    if (event !== undefined) events.push(event);
    for (const a of outcome?.addresses ?? []) {
      if (a.alsoInUseBy !== undefined && a.address !== undefined) {
        diagnostics.push({
          severity: 'warning',
          object: { apiVersion: ctx.gateway.apiVersion, kind: 'Gateway', namespace: ctx.gateway.meta.namespace, name: ctx.gateway.meta.name },
          message: `address ${a.address} held by this Gateway is also used by ${a.alsoInUseBy}`,
        });
      }
    }
  }
  const pools = configs.allPools();
  return {
    result: { assignments, poolUsage: poolUsage({ pools, outcomes: outcomes.values(), inUse }), diagnostics, events },
    accepted,
    notAccepted,
    services,
    configMaps,
    ipamConfigMap: options.ipamConfigMap,
    allowUnpooled: options.allowUnpooledAddresses,
    heldBack,
    allocation: run,
    leftOut: NOTHING_LEFT_OUT,
    selections,
    generatedFor: new Set(generated.keys()),
    pools,
    inUse,
  };
}

/** Gateways of one class in one namespace share their pools: the key they share them by. */
function selectionKey(ctx: GatewayContext): string {
  const classConfigMap = ctx.resolvedClass.parameters.configMap;
  return `${classConfigMap?.meta.namespace ?? ''}/${classConfigMap?.meta.name ?? ''}|${ctx.gateway.meta.namespace}`;
}

/**
 * True when IPAM reads the same of both Gateways (ipamInput, addressesInUse, and the events and
 * diagnostics that name them): the very same one, or a new version of it with the same identity,
 * age, requested and written addresses. A Gateway's status written back (its conditions, its
 * listeners) is a new version IPAM reads nothing new of, so an engine keeps its assignment
 * (engine/addresses.ts); kept beside the code that reads these fields so the two change together.
 */
export function sameIpamReads(a: ParsedGateway, b: ParsedGateway): boolean {
  if (a === b) return true;
  if (a.apiVersion !== b.apiVersion || a.meta.namespace !== b.meta.namespace || a.meta.name !== b.meta.name || a.meta.creationTimestamp !== b.meta.creationTimestamp) return false;
  if (!sameStrings(a.statusAddresses, b.statusAddresses)) return false;
  return a.addresses.length === b.addresses.length && a.addresses.every((address, i) => address.type === b.addresses[i]!.type && address.value === b.addresses[i]!.value);
}

/** What the allocator is told about one Gateway: its age, what it holds (IP4) and requests (IP5), its pools. */
function ipamInput(ctx: GatewayContext, pools: PoolSelection, own: readonly ParsedService[]): GatewayIpamInput {
  const gw = ctx.gateway;
  const dhcp = pools.pools.some((p) => p.dhcp);
  return {
    key: ctx.key,
    namespace: gw.meta.namespace,
    ...(gw.meta.creationTimestamp !== '' ? { creationTimestamp: gw.meta.creationTimestamp } : {}),
    held: heldAddresses(gw, own, dhcp),
    requests: gw.addresses.length === 0 ? NO_REQUESTS : gw.addresses.filter((a) => a.type === 'IPAddress').map((a) => (a.value ? { value: a.value } : {})),
    pools,
  };
}

/** The Warning event of a Gateway whose assignment has a problem (GW4). */
function addressEvent(ctx: GatewayContext, assignment: AddressAssignment): EventRecord | undefined {
  const problem = assignment.kind === 'none' ? assignment : assignment.kind === 'assigned' ? assignment.problem : undefined;
  if (problem === undefined) return undefined;
  return {
    regarding: { apiVersion: ctx.gateway.apiVersion, kind: 'Gateway', namespace: ctx.gateway.meta.namespace, name: ctx.gateway.meta.name },
    type: 'Warning',
    reason: problem.reason,
    message: problem.message,
  };
}

/**
 * The assignment of `last` with `added` added, newest of all (the request's accepted Gateways are
 * the last ones and `added`, its Services the last ones but a few IPAM never reads, the rest as
 * in `last`), when the
 * allocator can carry its run on with the Gateway (Allocation.allocateNewest: newer than all,
 * holding and requesting nothing), which then changes no other Gateway's outcome: the commonest
 * case of a Gateway created with its routes and backends. Its pools must be those of a Gateway
 * already assigned (the same ConfigMaps consulted: the same pool usage rows and diagnostics).
 * After a removal the run may still count the removed Gateway's claims (`leftOut`): the allocator
 * then carries on only when they are taken either way. Else undefined. It carries the run of
 * `last` on, which must be its latest use.
 */
export function withNewestGateway(last: AddressWork, added: GatewayContext, request: AddressRequest, changed: MapChange): AddressWork | undefined {
  const { accepted, services } = request;
  const pools = last.selections.get(selectionKey(added));
  const gw = added.gateway;
  if (pools === undefined || last.generatedFor.has(generatedKey(gw.meta.namespace, gw.meta.name))) return undefined;
  const outcome = last.allocation.allocateNewest(ipamInput(added, pools, NO_SERVICES), last.leftOut);
  if (outcome === undefined) return undefined;

  const assignment = toAssignment(outcome);
  // The key is new: the allocator's run, which every Gateway of `last` was given, did not know it.
  const assignments = changed(last.result.assignments, { appended: new Map([[added.key, assignment]]) });
  const event = addressEvent(added, assignment);
  const events = last.result.events.slice();
  // Events follow the accepted Gateways' order, `namespace/name`, as their keys do.
  if (event !== undefined) events.splice(lowerBound(events, (e) => objectKey(e.regarding.namespace ?? '', e.regarding.name) < added.key), 0, event);
  return {
    ...last,
    result: { ...last.result, assignments, events, poolUsage: usageWith(last, addressesOf(outcome), [], last.leftOut) },
    accepted,
    services,
  };
}

/**
 * The pool usage of `last` with `gained` newly used and `lost` no longer used, carried over from
 * its rows; recounted from the run's outcomes without `leftOut` when the rows cannot be carried.
 */
function usageWith(last: AddressWork, gained: readonly string[], lost: readonly string[], leftOut: ReadonlySet<ObjectKey>): readonly PoolUsage[] {
  const carried = poolUsageChanged(last.result.poolUsage, last.pools, gained, lost);
  if (carried !== undefined) return carried;
  const outcomes = [...last.allocation.outcomes.values()].filter((o) => !leftOut.has(o.gateway));
  return poolUsage({ pools: last.pools, outcomes, inUse: last.inUse });
}

/** The addresses an outcome holds (a DHCP one waiting for its lease holds none). */
function addressesOf(outcome: AllocationOutcome | undefined): string[] {
  const out: string[] = [];
  for (const a of outcome?.addresses ?? []) if (a.address !== undefined) out.push(a.address);
  return out;
}

/**
 * The assignment of `last` with `removed` removed (the request's accepted Gateways are the
 * last ones but it, its Services the last ones but a few IPAM never reads, the rest as in `last`), when leaving it out of the
 * allocator's run changes no other Gateway's outcome (Allocation.outcomesWithout: every other one
 * kept what it holds, and holds nothing the removed one claimed or tagged): the commonest case of
 * a Gateway deleted with its routes and backends, where every other Gateway holds its address in
 * its status; or when it is the run's newest and took only fresh addresses (Allocation.withoutNewest:
 * the run is then undone to the one without it, which carries on as if it never came, the
 * commonest case of a Gateway created and soon deleted). Another Gateway must share its pools (the
 * same ConfigMaps consulted: the same pool usage rows and diagnostics) and no other may share its
 * generated-Service label (it would tag those uses in its place). Else undefined. It may carry the
 * run of `last` on, which must be its latest use.
 */
export function withoutGateway(last: AddressWork, removed: GatewayContext, request: AddressRequest, changed: MapChange): AddressWork | undefined {
  const { accepted, services } = request;
  const selection = selectionKey(removed);
  if (!accepted.some((ctx) => selectionKey(ctx) === selection)) return undefined;
  const { namespace, name } = removed.gateway.meta;
  const label = generatedKey(namespace, name);
  if (accepted.some((ctx) => ctx.gateway.meta.namespace === namespace && generatedKey(namespace, ctx.gateway.meta.name) === label)) return undefined;
  // What it held stops counting as used unless a use elsewhere (its generated Services, say) names it.
  const lost = addressesOf(last.allocation.outcomes.get(removed.key)).filter((a) => !last.allocation.usedElsewhere(a));
  let leftOut = last.leftOut;
  let outcomes = last.allocation.withoutNewest(removed.key);
  if (outcomes === undefined) {
    leftOut = new Set(last.leftOut).add(removed.key);
    outcomes = last.allocation.outcomesWithout(leftOut);
    if (outcomes === undefined) return undefined;
  }

  const assignments = changed(last.result.assignments, { removed: [removed.key] });
  const isRemoved = (object: { readonly kind: string; readonly namespace?: string; readonly name: string } | undefined): boolean =>
    object !== undefined && object.kind === 'Gateway' && object.namespace === namespace && object.name === name;
  return {
    ...last,
    result: {
      assignments,
      events: last.result.events.filter((e) => !isRemoved(e.regarding)),
      diagnostics: last.result.diagnostics.filter((d) => !isRemoved(d.object)),
      poolUsage: usageWith(last, [], lost, leftOut),
    },
    accepted,
    services,
    leftOut,
  };
}

/** Maps the allocator's verdict to the graph's assignment (GW4, DP7). */
function toAssignment(outcome: AllocationOutcome | undefined): AddressAssignment {
  if (outcome === undefined) {
    return { kind: 'none', reason: GatewayReason.AddressNotAssigned, message: 'no address was assigned' };
  }
  const addresses = outcome.addresses
    .map((a) => a.address)
    .filter((a): a is string => a !== undefined && a !== '');
  const problem =
    outcome.reason !== undefined ? { reason: outcome.reason, message: outcome.message ?? outcome.reason } : undefined;
  if (outcome.addresses.some((a) => a.origin === 'dhcp')) return { kind: 'dhcp', addresses };
  if (addresses.length > 0) return { kind: 'assigned', addresses, ...(problem !== undefined ? { problem } : {}) };
  return {
    kind: 'none',
    reason: problem?.reason ?? GatewayReason.AddressNotAssigned,
    message: problem?.message ?? 'no address was assigned',
  };
}

/**
 * IP4: what the Gateway holds: its `status.addresses`, or when the status was lost, the
 * addresses on the Services generated for it. For a DHCP pool the lease is read back from the
 * Services' `status.loadBalancer.ingress` first (DP7), because the announcer may renew it.
 */
function heldAddresses(gw: ParsedGateway, own: readonly ParsedService[], dhcp: boolean): readonly string[] {
  if (dhcp) {
    const leases = uniqueSorted(own.flatMap((s) => s.ingressIPs));
    if (leases.length > 0) return leases;
  }
  if (gw.statusAddresses.length > 0) return gw.statusAddresses;
  return own.length === 0 ? NO_ADDRESSES : uniqueSorted(own.flatMap(serviceAddresses));
}

/** IP3: every address a Service carries, wherever an announcer may read it, each once. */
export function serviceAddresses(s: ParsedService): readonly string[] {
  const annotations = s.meta.annotations;
  // Most Services carry no address at all: answer without allocating.
  if (s.loadBalancerIP === undefined && s.ingressIPs.length === 0 && !hasAddressAnnotation(annotations)) return NO_ADDRESSES;
  const out: string[] = [];
  for (const key of [ANNOTATION_KUBE_VIP_IPS, ANNOTATION_METALLB_IPS, ANNOTATION_CILIUM_IPS]) {
    const v = Object.hasOwn(annotations, key) ? annotations[key] : undefined;
    if (v !== undefined) out.push(...v.split(',').map((x) => x.trim()));
  }
  if (s.loadBalancerIP !== undefined) out.push(s.loadBalancerIP);
  out.push(...s.ingressIPs);
  // A generated Service names its VIP up to three times (annotation, loadBalancerIP, ingress):
  // one use per address, so IPAM does not sort a list of duplicates for every Gateway.
  const unique: string[] = [];
  for (const a of out) if (a !== '' && a !== UNSPECIFIED_IPV4 && !unique.includes(a)) unique.push(a);
  return unique;
}

/**
 * True when IPAM reads the same of both Services (addressesInUse, indexGeneratedServices,
 * heldAddresses): the same namespace and name, generated for the same Gateway, carrying the same
 * addresses in the same order (serviceAddresses) and, where a DHCP lease may be read back from
 * them (`leasesRead`), the same ingress addresses. The load balancer writing the address a
 * generated Service asks for into its status is such a new version: an engine keeps its
 * assignment (engine/addresses.ts). Kept beside the code that reads these fields so the two
 * change together.
 */
export function sameServiceIpamReads(a: ParsedService, b: ParsedService, leasesRead: boolean): boolean {
  if (a === b) return true;
  if (a.meta.namespace !== b.meta.namespace || a.meta.name !== b.meta.name || generatedLabelKey(a) !== generatedLabelKey(b)) return false;
  if (leasesRead && !sameStrings(a.ingressIPs, b.ingressIPs)) return false;
  return sameStrings(serviceAddresses(a), serviceAddresses(b));
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function hasAddressAnnotation(annotations: Readonly<Record<string, string>>): boolean {
  return (
    Object.hasOwn(annotations, ANNOTATION_KUBE_VIP_IPS) ||
    Object.hasOwn(annotations, ANNOTATION_METALLB_IPS) ||
    Object.hasOwn(annotations, ANNOTATION_CILIUM_IPS)
  );
}

/**
 * IP3: addresses on every Service, tagged with the Gateway they were generated for (so they do
 * not block that Gateway), plus what Gateways that are ours but not Accepted hold.
 */
function addressesInUse(
  services: readonly ParsedService[],
  notAccepted: readonly ParsedGateway[],
  keyByLabel: ReadonlyMap<string, string>,
): InUseAddress[] {
  const out: InUseAddress[] = [];
  for (const s of services) {
    const addresses = serviceAddresses(s);
    if (addresses.length === 0) continue;
    const labelKey = generatedLabelKey(s);
    const gateway = labelKey === undefined ? undefined : keyByLabel.get(labelKey);
    for (const address of addresses) {
      out.push({
        address,
        holder: `Service ${s.meta.namespace}/${s.meta.name}`,
        namespace: s.meta.namespace,
        ...(gateway !== undefined ? { gateway } : {}),
      });
    }
  }
  for (const gw of notAccepted) {
    for (const address of gw.statusAddresses) {
      out.push({ address, holder: `Gateway ${gw.meta.namespace}/${gw.meta.name}`, namespace: gw.meta.namespace });
    }
  }
  return out;
}

/** `gatewayNamespace/labelValue(gatewayName)`: how generated objects point back at their Gateway (GW8). */
function generatedKey(namespace: string, name: string): string {
  return `${namespace}/${labelValueFor(name)}`;
}

/** The Gateway a Service was generated for (its labels), as a generatedKey; undefined for a Service of no Gateway. */
export function generatedLabelKey(s: ParsedService): string | undefined {
  const labels = s.meta.labels;
  if (!Object.hasOwn(labels, LABEL_GATEWAY_NAME)) return undefined;
  const namespace = Object.hasOwn(labels, LABEL_GATEWAY_NAMESPACE) ? labels[LABEL_GATEWAY_NAMESPACE] : s.meta.namespace;
  return `${namespace}/${labels[LABEL_GATEWAY_NAME]}`;
}

/** Services generated for (or taken over by, DP4) each Gateway, by `generatedKey`. */
function indexGeneratedServices(services: readonly ParsedService[]): Map<string, ParsedService[]> {
  const out = new Map<string, ParsedService[]>();
  for (const s of services) {
    const key = generatedLabelKey(s);
    if (key === undefined) continue;
    const list = out.get(key);
    if (list === undefined) out.set(key, [s]);
    else list.push(s);
  }
  return out;
}

/** IP1: `ns/name` names one ConfigMap; a bare `name` means that name in the Gateway's namespace. */
function globalConfigMap(
  setting: string,
  gatewayNamespace: string,
  configMaps: ReadonlyMap<string, ParsedConfigMap>,
): ParsedConfigMap | undefined {
  if (setting === '') return undefined;
  const key = setting.includes('/') ? setting : `${gatewayNamespace}/${setting}`;
  return configMaps.get(key);
}

/** Parses each pool ConfigMap once per reconcile and collects its diagnostics once. */
class IpamConfigCache {
  private readonly parsed = new Map<string, IpamConfig>();

  constructor(private readonly diagnostics: Diagnostic[]) {}

  get(cm: ParsedConfigMap): IpamConfig {
    const key = `${cm.meta.namespace}/${cm.meta.name}`;
    let config = this.parsed.get(key);
    if (config === undefined) {
      config = parseIpamConfigMap({ namespace: cm.meta.namespace, name: cm.meta.name }, cm.data);
      this.parsed.set(key, config);
      this.diagnostics.push(...config.diagnostics);
    }
    return config;
  }

  /** Every pool of every ConfigMap consulted, for the usage report (IP7). */
  allPools(): Pool[] {
    return [...this.parsed.entries()]
      .sort((a, b) => compareStrings(a[0], b[0]))
      .flatMap(([, c]) => [...c.pools.values()]);
  }
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}
