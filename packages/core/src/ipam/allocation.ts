// The contract of `allocateAddresses`: what it is told about Gateways and addresses in use
// (IP3–IP5), and what it answers per Gateway (GW4, GW5, DP6, DP7).

import type { IpFamily } from './address.js';
import type { PoolSelection } from './selection.js';

/** One `spec.addresses` entry of type IPAddress: a value, or none for "assign one" (IP5). */
export interface AddressRequest {
  readonly value?: string;
}

/** What the allocator needs to know about one Gateway of ours. */
export interface GatewayIpamInput {
  /** `namespace/name`; unique. */
  readonly key: string;
  readonly namespace: string;
  /** RFC 3339; the oldest Gateway wins a clash (IP4). Missing sorts as newest. */
  readonly creationTimestamp?: string;
  /**
   * Addresses the Gateway holds: its `status.addresses`, or when the status was lost, the addresses
   * on the Services generated for it (IP4). For a DHCP pool, the lease read back (DP7).
   */
  readonly held: readonly string[];
  /**
   * `spec.addresses` entries of type IPAddress, in spec order (other types are GW3's business).
   * Empty: the Gateway wants one address (one per family of `families` when given).
   */
  readonly requests: readonly AddressRequest[];
  /** The pools it may use (`poolsForNamespace`). */
  readonly pools: PoolSelection;
  /**
   * Families wanted, in preference order. Without requests: one address per listed family
   * (e.g. `['IPv4', 'IPv6']` for dual stack). With requests: the families valueless entries are
   * spread over. Default: the families the pool offers, IPv4 first.
   */
  readonly families?: readonly IpFamily[];
}

/** An address used by something that is not a Gateway of ours (IP3). */
export interface InUseAddress {
  readonly address: string;
  /** Who uses it, e.g. `Service default/web`; shown to a Gateway's users only within the same namespace. */
  readonly holder: string;
  /** Namespace of the holder. */
  readonly namespace?: string;
  /**
   * Key of the Gateway this use belongs to (a Service generated for it): such a use never blocks
   * that Gateway's own requests (IP3 "other than Services generated for the same Gateway").
   */
  readonly gateway?: string;
}

export interface AllocationInput {
  readonly gateways: readonly GatewayIpamInput[];
  readonly inUse: readonly InUseAddress[];
  /** IP5 `-allow-unpooled-addresses`: accept requested addresses outside every pool. */
  readonly allowUnpooled: boolean;
  /**
   * IP8: addresses released a moment ago, not handed out fresh (pass 3) until the caller stops
   * listing them, so the data plane has forgotten the old holder first. Held addresses and
   * requested values are not affected.
   */
  readonly heldBack?: readonly string[];
}

/** How an address came to a Gateway. */
export type AddressOrigin = 'held' | 'requested' | 'allocated' | 'dhcp';

/** One address of a Gateway. */
export interface AssignedAddress {
  readonly family: IpFamily;
  /** For `status.addresses` (GW5); undefined while a DHCP lease is pending (DP7). */
  readonly address?: string;
  /** For generated Services (DP6): the address itself, or `0.0.0.0` for a DHCP pool (DP7). */
  readonly serviceAddress: string;
  /** Id of the pool it belongs to; undefined for an unpooled request (`allowUnpooled`) or a kept address of a broken pool. */
  readonly pool?: string;
  readonly origin: AddressOrigin;
  /**
   * A held address is kept even when something else (not a Gateway of ours) also uses it, because
   * an address never moves (IP4); this names that holder, for a Warning to the cluster admin.
   */
  readonly alsoInUseBy?: string;
}

export type AddressProblemReason = 'AddressNotAssigned' | 'AddressNotUsable';

/** Why one wanted address is missing (GW4). */
export interface AddressProblem {
  readonly reason: AddressProblemReason;
  /** Names the address; never names an object of another namespace. */
  readonly message: string;
  /** The `spec.addresses` value this is about, when it is about one. */
  readonly requested?: string;
  /** The full description of what clashed (may name another namespace): for operator logs only. */
  readonly clashWith?: string;
}

/** The verdict for one Gateway. */
export interface AllocationOutcome {
  readonly gateway: string;
  /** In spec order (requests), then one per wanted family. */
  readonly addresses: readonly AssignedAddress[];
  /** Empty when every wanted address is assigned. */
  readonly problems: readonly AddressProblem[];
  /**
   * GW4 `Programmed=False` reason when `problems` is not empty: AddressNotUsable when any request
   * is unusable, else AddressNotAssigned. Undefined when IPAM is satisfied.
   */
  readonly reason?: AddressProblemReason;
  /** All problem messages joined with "; ". */
  readonly message?: string;
}

/** The address IPAM gives Services of a DHCP pool (kube-vip's convention, DP7). */
export const DHCP_ADDRESS = '0.0.0.0';
