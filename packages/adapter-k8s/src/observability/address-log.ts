// One info line per address a Gateway gains or loses, so the log alone answers "when did this
// Gateway get 10.0.0.5, and when was it given up?". Addresses live in Gateway status (GW5, IP4):
// a status write l4gw made assigns or releases them, and a deleted Gateway releases what it held.

import type { KubeObject } from '@l4gw/core';
import type { Logger } from './logger.js';

function keyOf(gateway: KubeObject): string {
  return `${gateway.metadata.namespace ?? ''}/${gateway.metadata.name}`;
}

/** The `status.addresses[].value` of a Gateway, in order. */
function addressesOf(gateway: KubeObject): string[] {
  const list = (gateway.status as { addresses?: unknown } | undefined)?.addresses;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const value = (entry as { value?: unknown } | null)?.value;
    return typeof value === 'string' ? [value] : [];
  });
}

export class AddressLog {
  /** Gateway `namespace/name` → the addresses its status held when last seen. */
  private readonly held = new Map<string, readonly string[]>();
  private seeded = false;

  constructor(private readonly log: Logger) {}

  /**
   * The Gateways of a new snapshot. The first one only seeds what is held (a restart assigns
   * nothing); later, a Gateway that is gone released its addresses.
   */
  observe(gateways: readonly KubeObject[]): void {
    const present = new Set<string>();
    for (const gateway of gateways) {
      const key = keyOf(gateway);
      present.add(key);
      if (!this.held.has(key)) this.held.set(key, addressesOf(gateway));
    }
    for (const [key, addresses] of this.held) {
      if (present.has(key)) continue;
      this.held.delete(key);
      if (this.seeded) for (const address of addresses) this.log.info('address released', { gateway: key, address, reason: 'Gateway deleted' });
    }
    this.seeded = true;
  }

  /** A Gateway as the API server returned it after l4gw's write. */
  written(gateway: KubeObject): void {
    if (gateway.kind !== 'Gateway') return;
    const key = keyOf(gateway);
    const before = this.held.get(key) ?? [];
    const after = addressesOf(gateway);
    for (const address of after) if (!before.includes(address)) this.log.info('address assigned', { gateway: key, address });
    for (const address of before) if (!after.includes(address)) this.log.info('address released', { gateway: key, address });
    this.held.set(key, after);
  }
}
