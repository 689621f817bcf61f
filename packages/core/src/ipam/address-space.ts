// The taken addresses of both families and the allocation primitive over pools (IP6).

import type { IpAddress, IpFamily } from './address.js';
import { BlockedSet } from './blocked-set.js';
import type { Pool } from './config.js';
import type { AddressRange } from './ranges.js';

/**
 * Every address taken so far (held, requested, in use elsewhere), per family, as interval sets.
 * `findFree` / `allocate` give the lowest free address of a pool (highest with `search-order:
 * desc`), IPv4 `.0`/`.255` skipped, in O(r · log n) for r ranges in the pool and n taken
 * intervals: never proportional to the pool size, so a /64 costs what a /24 costs.
 *
 * `allocateAddresses` builds one per run; embedders and benchmarks may use it directly.
 */
export class AddressSpace {
  /** family → taken intervals of that family. */
  private readonly taken: Record<IpFamily, BlockedSet>;

  constructor(taken?: Record<IpFamily, BlockedSet>) {
    this.taken = taken ?? { IPv4: new BlockedSet('IPv4'), IPv6: new BlockedSet('IPv6') };
  }

  /** Builds a space from many addresses at once (one sort, one merge: O(n log n)). */
  static fromAddresses(addresses: Iterable<IpAddress>): AddressSpace {
    const ranges: Record<IpFamily, AddressRange[]> = { IPv4: [], IPv6: [] };
    for (const address of addresses) ranges[address.family].push({ first: address.value, last: address.value });
    return new AddressSpace({ IPv4: BlockedSet.fromRanges('IPv4', ranges.IPv4), IPv6: BlockedSet.fromRanges('IPv6', ranges.IPv6) });
  }

  /** Marks one address taken. Idempotent. */
  take(address: IpAddress): void {
    this.taken[address.family].add(address.value);
  }

  /** Frees one address `take` took that the `.0`/`.255` rule allows (an allocation undone: BlockedSet.release). */
  release(address: IpAddress): void {
    this.taken[address.family].release(address.value);
  }

  /** Marks every address of [first, last] taken (e.g. a block reserved outright). */
  takeRange(family: IpFamily, first: bigint, last: bigint): void {
    this.taken[family].add(first, last);
  }

  /** Number of stored intervals of the family (a measure of fragmentation). */
  intervalCount(family: IpFamily): number {
    return this.taken[family].intervalCount;
  }

  /** The address `allocate` would hand out, without taking it; undefined when the pool is exhausted. */
  findFree(pool: Pool, family: IpFamily): IpAddress | undefined {
    const ranges = pool.ranges[family];
    const set = this.taken[family];
    if (pool.order === 'desc') {
      for (let i = ranges.length - 1; i >= 0; i--) {
        const found = set.highestFree(ranges[i]!.first, ranges[i]!.last);
        if (found !== undefined) return { family, value: found };
      }
    } else {
      for (const range of ranges) {
        const found = set.lowestFree(range.first, range.last);
        if (found !== undefined) return { family, value: found };
      }
    }
    return undefined;
  }

  /** Finds the next free address of the pool and takes it. */
  allocate(pool: Pool, family: IpFamily): IpAddress | undefined {
    const found = this.findFree(pool, family);
    if (found !== undefined) this.take(found);
    return found;
  }

  /** Calls `visit` with every taken interval within [first, last] of the family, ascending. */
  forEachTaken(family: IpFamily, first: bigint, last: bigint, visit: (first: bigint, last: bigint) => void): void {
    this.taken[family].forEachWithin(first, last, visit);
  }

  /** An independent copy (for what-if allocation and benchmarks). */
  clone(): AddressSpace {
    return new AddressSpace({ IPv4: this.taken.IPv4.clone(), IPv6: this.taken.IPv6.clone() });
  }
}
