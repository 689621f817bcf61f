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
}

/**
 * Picks the pool of a namespace, kube-vip-cloud-provider's way (B.3): in each ConfigMap the keys
 * `cidr-<namespace>`, `cidr-global`, `range-<namespace>`, `range-global` are tried in this order
 * and the FIRST key present wins; keys are never merged (so `cidr-global` beats `range-<ns>`).
 *
 * `configs` are the pool sources in precedence order, e.g. `[classParameters, kubevip]` (IP1:
 * class pools take precedence for that class): the first source holding any of the four keys
 * decides, the later ones are not consulted.
 *
 * A malformed key still ends the lookup (the cloud provider fails there too) rather than falling
 * through to a broader key: the namespace gets no new address until it is fixed, and keeps the ones
 * it holds.
 */
export function poolsForNamespace(configs: readonly IpamConfig[], namespace: string): PoolSelection {
  const keys = lookupKeys(namespace);
  for (const config of configs) {
    for (const key of keys) {
      const pool = config.pools.get(key);
      if (pool !== undefined) return { pools: [pool] };
      const invalid = config.invalidKeys.get(key);
      if (invalid !== undefined) return { pools: [], unavailable: { message: invalid.message, keepHeld: true } };
    }
  }
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
