// Which pools a Gateway may use (IP1, IP2; ipam-anchors B.3).

import type { IpamConfig, Pool } from './config.js';

/**
 * The pools one Gateway may use, in the order the allocator tries them, or why there is none.
 * With kube-vip's lookup there is at most one pool; the list keeps the allocator general.
 */
export interface PoolSelection {
  readonly pools: readonly Pool[];
  /** Set when `pools` is empty. */
  readonly unavailable?: {
    /** For the Gateway's `Programmed=False/AddressNotAssigned` message. */
    readonly message: string;
    /**
     * True when the configuration is broken rather than absent (a malformed key): Gateways then
     * keep the addresses they hold, so a typo in the ConfigMap never renumbers a namespace (IP4).
     */
    readonly keepHeld: boolean;
  };
  /**
   * Set when `pools` came from a later key because an earlier one in the lookup order is
   * malformed (its message): Gateways keep the addresses they hold even outside `pools`, so a
   * typo in the ConfigMap never renumbers a namespace (IP4); new addresses come from `pools`.
   */
  readonly skippedMalformed?: string;
}

/**
 * Picks the pool of a namespace, kube-vip-cloud-provider's way (B.3): in each ConfigMap the keys
 * `cidr-<namespace>`, `cidr-global`, `range-<namespace>`, `range-global` are tried in this order
 * and the first usable key wins; keys are never merged (so `cidr-global` beats `range-<ns>`).
 *
 * `configs` are the pool sources in precedence order, e.g. `[classParameters, kubevip]` (IP1:
 * class pools take precedence for that class): the first source holding a usable key of the
 * four decides, the later ones are not consulted.
 *
 * A malformed key is ignored, as its diagnostic says: the lookup goes on to the next key in
 * order, so `cidr-global: 10.0.0.0/33` beside a valid `range-global` hands out from `range-global`.
 * Addresses held from before stay held (`skippedMalformed`). Only when no key is usable but some
 * were present and malformed is the configuration reported broken: the namespace then gets no new
 * address until it is fixed, and keeps the ones it holds.
 */
export function poolsForNamespace(configs: readonly IpamConfig[], namespace: string): PoolSelection {
  const keys = lookupKeys(namespace);
  let firstInvalid: string | undefined;
  for (const config of configs) {
    for (const key of keys) {
      const pool = config.pools.get(key);
      if (pool !== undefined) return firstInvalid === undefined ? { pools: [pool] } : { pools: [pool], skippedMalformed: firstInvalid };
      firstInvalid ??= config.invalidKeys.get(key)?.message;
    }
  }
  if (firstInvalid !== undefined) return { pools: [], unavailable: { message: firstInvalid, keepHeld: true } };
  const where = configs.map((c) => `${c.source.namespace}/${c.source.name}`).join(', ');
  return {
    pools: [],
    unavailable: {
      message: `no IPAM pool for namespace "${namespace}": none of ${keys.join(', ')} is set${where === '' ? '' : ` in ConfigMap ${where}`}`,
      keepHeld: false,
    },
  };
}

/** B.3 lookup order for a namespace. */
export function lookupKeys(namespace: string): string[] {
  return [`cidr-${namespace}`, 'cidr-global', `range-${namespace}`, 'range-global'];
}
