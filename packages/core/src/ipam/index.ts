/**
 * IPAM for l4gw (IP1–IP8, docs/rules.md): kube-vip-cloud-provider pools, a pure allocator, a usage report.
 *
 * How reconcile calls it:
 *
 * ```ts
 * // 1. Parse each ConfigMap that may hold pools (IP1): the -ipam-configmap one, class parameters.
 * const global = parseIpamConfigMap({ namespace: 'kube-system', name: 'kubevip' }, configMap.data);
 * const internal = parseIpamConfigMap({ namespace: 'infra', name: 'internal-vips' }, params.data);
 * diagnostics.push(...global.diagnostics, ...internal.diagnostics); // bad keys name key + entry
 *
 * // 2. Per Gateway: its pools (class pools first, IP1), what it holds (status, or its generated
 * //    Services when the status was lost, IP4) and requests (spec.addresses of type IPAddress, IP5).
 * const gateways: GatewayIpamInput[] = ours.map((gw) => ({
 *   key: `${gw.namespace}/${gw.name}`,
 *   namespace: gw.namespace,
 *   creationTimestamp: gw.creationTimestamp,
 *   held: gw.statusAddresses.length > 0 ? gw.statusAddresses : addressesOnGeneratedServices(gw),
 *   requests: gw.specAddresses.filter((a) => a.type === 'IPAddress').map((a) => ({ value: a.value })),
 *   pools: poolsForNamespace(gw.classHasPools ? [internal, global] : [global], gw.namespace),
 * }));
 *
 * // 3. Every address used by anything else (IP3): Service annotations, spec.loadBalancerIP,
 * //    status.loadBalancer.ingress; tag uses by a Gateway's own generated Services with its key.
 * const inUse: InUseAddress[] = [{ address: '10.0.0.7', holder: 'Service web/frontend', namespace: 'web' }];
 *
 * // 4. Allocate: one outcome per Gateway key. `heldBack` (IP8, optional): addresses released a
 * //    moment ago, which no Gateway gets fresh while they are listed.
 * const outcomes = allocateAddresses({ gateways, inUse, allowUnpooled: options.allowUnpooledAddresses, heldBack: [] });
 * const o = outcomes.get('default/demo')!;
 * o.addresses.map((a) => a.address).filter(Boolean); // -> status.addresses (GW5)
 * o.addresses.map((a) => a.serviceAddress);          // -> generated Services (DP6; '0.0.0.0' = DHCP, DP7)
 * o.reason;  // undefined: Programmed as far as IPAM goes; else 'AddressNotAssigned' | 'AddressNotUsable' (GW4)
 * o.message; // condition message: names the address, never another namespace's objects
 *
 * // 5. Usage report (IP7) for Desired.poolUsage, metrics and `l4gw ipam`.
 * const usage = poolUsage({ pools: [...global.pools.values(), ...internal.pools.values()], outcomes: outcomes.values(), inUse });
 * ```
 *
 * Decisions (where the cloud provider is silent, wrong, or differs from l4gw):
 * - Lookup (B.3): per ConfigMap, the first usable key of `cidr-<ns>`, `cidr-global`,
 *   `range-<ns>`, `range-global` wins; keys are never merged. Sources are tried in the given
 *   order (class parameters first), the first source with a usable key decides. A malformed key
 *   is skipped; only when every present key is malformed does the namespace get nothing new
 *   (and keep what it holds).
 * - Parsing is a superset of the cloud provider's: spaces trimmed, trailing commas ignored, each
 *   entry read by its own syntax (CIDR / range / single address). One bad entry drops its key.
 *   `0.0.0.0/32` must be the key's only entry. `allow-share-*` is reported as unsupported.
 * - How many addresses: one per `spec.addresses` entry; with none, one address (one per family
 *   of `families` if given). Valueless entries spread over the families the Gateway lacks (IPv4
 *   first), falling back to the other family when one is exhausted. Partial results are kept:
 *   assigned addresses are published and the missing ones are problems (Programmed=False).
 * - Held beats requested beats fresh; among equals the oldest Gateway wins. A held address is
 *   kept even when a foreign Service also carries it (`alsoInUseBy`), since addresses never move.
 * - DHCP (DP7): a `0.0.0.0/32` pool gives `{ serviceAddress: '0.0.0.0', address: undefined,
 *   origin: 'dhcp' }` plus an AddressNotAssigned problem "waiting for the DHCP lease"; once the
 *   announcer fills the Service's `status.loadBalancer.ingress`, pass that address in `held` and
 *   it becomes `address` (the Service keeps requesting `0.0.0.0`).
 * - Cost (IP6): `AddressSpace` keeps taken addresses as chunked interval sets, built in one sort;
 *   finding the next free address is two binary searches, whatever the pool size.
 */

export {
  canonicalAddress,
  formatAddress,
  isExcludedAddress,
  parseAddress,
  IP_FAMILIES,
  type IpAddress,
  type IpFamily,
} from './address.js';
export type { AddressRange, FamilyRanges } from './ranges.js';
export {
  parseIpamConfigMap,
  poolCapacity,
  poolFamilies,
  type ConfigMapName,
  type InvalidPoolKey,
  type IpamConfig,
  type IpamDiagnostic,
  type Pool,
  type SearchOrder,
} from './config.js';
export { lookupKeys, poolsForNamespace, type PoolSelection } from './selection.js';
export { allocateAddresses } from './allocator.js';
export {
  DHCP_ADDRESS,
  type AddressOrigin,
  type AddressProblem,
  type AddressProblemReason,
  type AddressRequest,
  type AllocationInput,
  type AllocationOutcome,
  type AssignedAddress,
  type GatewayIpamInput,
  type InUseAddress,
} from './allocation.js';
export { poolUsage, poolUsageChanged, type PoolUsageInput } from './usage.js';
export { AddressSpace } from './address-space.js';
