// Pool usage report (IP7): capacity, used and free per pool and family, as decimal strings
// because an IPv6 pool exceeds 2^53. poolUsageChanged carries a report over a few addresses that
// became used or stopped being used, so one Gateway more or less does not recount every address.

import type { PoolUsage } from '../model/desired.js';
import { countExcluded, isExcludedAddress, parseAddress, IP_FAMILIES, type IpAddress } from './address.js';
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

/**
 * What `poolUsage` reports when the used addresses are those `rows` were reported for, with
 * `gained` added (addresses nothing used before) and `lost` removed (addresses nothing uses any
 * more): the caller proves both. `pools` are those `rows` were reported for. Each address moves
 * `used` and `free` of every row whose pool hands it out (overlapping pools each count it, as
 * poolUsage does; `.0`/`.255` never count). Undefined when an address does not parse, appears
 * twice, or a row's pool is not among `pools`: then only a recount can tell.
 */
export function poolUsageChanged(rows: readonly PoolUsage[], pools: readonly Pool[], gained: readonly string[], lost: readonly string[]): readonly PoolUsage[] | undefined {
  const changes: { readonly address: IpAddress; readonly step: bigint }[] = [];
  const seen = new Set<string>();
  for (const [texts, step] of [[gained, 1n], [lost, -1n]] as const) {
    for (const text of texts) {
      const address = parseAddress(text);
      if (address === undefined) return undefined;
      const key = `${address.family}/${address.value}`;
      if (seen.has(key)) return undefined;
      seen.add(key);
      if (!isExcludedAddress(address.family, address.value)) changes.push({ address, step });
    }
  }
  if (changes.length === 0) return rows;
  const byId = new Map<string, Pool>();
  for (const pool of pools) if (!byId.has(pool.id)) byId.set(pool.id, pool);
  const out: PoolUsage[] = [];
  for (const row of rows) {
    const pool = byId.get(row.pool);
    if (pool === undefined) return undefined;
    let delta = 0n;
    for (const { address, step } of changes) if (address.family === row.family) delta += step * rangesHolding(pool, address);
    out.push(delta === 0n ? row : { ...row, used: (BigInt(row.used) + delta).toString(), free: (BigInt(row.free) - delta).toString() });
  }
  return out;
}

/** How many of the pool's ranges of the address's family hold it (poolUsage counts it once per range). */
function rangesHolding(pool: Pool, address: IpAddress): bigint {
  let count = 0n;
  for (const range of pool.ranges[address.family]) if (range.first <= address.value && address.value <= range.last) count++;
  return count;
}
