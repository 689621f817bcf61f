// Pool usage report (IP7): capacity, used and free per pool and family, as decimal strings
// because an IPv6 pool exceeds 2^53.

import type { PoolUsage } from '../model/desired.js';
import { countExcluded, parseAddress, IP_FAMILIES, type IpAddress } from './address.js';
import type { AllocationOutcome, InUseAddress } from './allocation.js';
import { AddressSpace } from './address-space.js';
import { poolCapacity, type Pool } from './config.js';

export interface PoolUsageInput {
  /** Every pool to report (typically all pools of all parsed ConfigMaps); duplicates by id are reported once. */
  readonly pools: readonly Pool[];
  /** The allocator's result: every address a Gateway holds counts as used. */
  readonly outcomes: Iterable<AllocationOutcome>;
  /** Addresses in use elsewhere (IP3); they occupy pool addresses too. */
  readonly inUse: readonly InUseAddress[];
}

/**
 * Reports, for each pool (sorted by id) and each family it has addresses of (IPv4 first), how
 * many addresses it can hand out (`.0`/`.255` excluded, skip-end applied), how many of those are
 * used by a Gateway or by anything else, and how many are free. DHCP pools own no addresses and
 * are not reported. Cost grows with the number of used addresses, not the pool size.
 */
export function poolUsage(input: PoolUsageInput): PoolUsage[] {
  const addresses: IpAddress[] = [];
  const add = (text: string | undefined): void => {
    const parsed = parseAddress(text);
    if (parsed !== undefined) addresses.push(parsed);
  };
  for (const outcome of input.outcomes) for (const a of outcome.addresses) add(a.address);
  for (const use of input.inUse) add(use?.address);
  const used = AddressSpace.fromAddresses(addresses);

  const byId = new Map<string, Pool>();
  for (const pool of input.pools) if (!byId.has(pool.id)) byId.set(pool.id, pool);
  const report: PoolUsage[] = [];
  for (const id of [...byId.keys()].sort()) {
    const pool = byId.get(id)!;
    if (pool.dhcp) continue;
    for (const family of IP_FAMILIES) {
      if (pool.ranges[family].length === 0) continue;
      const capacity = poolCapacity(pool, family);
      let taken = 0n;
      for (const range of pool.ranges[family]) {
        // Stored intervals may span excluded addresses nobody holds (see BlockedSet): subtract them.
        used.forEachTaken(family, range.first, range.last, (first, last) => {
          taken += last - first + 1n - countExcluded(family, first, last);
        });
      }
      report.push({ pool: id, family, capacity: capacity.toString(), used: taken.toString(), free: (capacity - taken).toString() });
    }
  }
  return report;
}
