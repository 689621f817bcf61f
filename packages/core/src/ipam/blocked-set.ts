// The addresses of one family that fresh allocations must skip, as sorted disjoint intervals.
// Finding the lowest (or highest) free address in a pool range is a binary search, not a walk
// over the range (IP6).

import { isExcludedAddress, type IpFamily } from './address.js';

/**
 * Sorted, disjoint, non-mergeable intervals `[firsts[i], lasts[i]]` of blocked addresses of one
 * family (held, requested or in use elsewhere, IP3).
 *
 * Two neighbours are merged when the gap between them holds only addresses the `.0`/`.255` rule
 * excludes anyway (an IPv4 `x.255, x+1.0` pair, say). So after jumping past one interval the next
 * candidate is either free or outside the range: a lookup costs O(log n) in the number of
 * intervals, never O(range size), and IPv4 exclusions cost nothing to store. An interval may thus
 * contain excluded addresses that nobody holds; callers that need "who holds X" use their own map.
 */
export class BlockedSet {
  readonly family: IpFamily;
  /** firsts[i] → lasts[i]: the i-th blocked interval, ascending. */
  private readonly firsts: bigint[] = [];
  private readonly lasts: bigint[] = [];

  constructor(family: IpFamily) {
    this.family = family;
  }

  /** Number of stored intervals (for tests and benchmarks). */
  get intervalCount(): number {
    return this.firsts.length;
  }

  /** Blocks [first, last] (inclusive). Idempotent. */
  add(first: bigint, last: bigint = first): void {
    if (last < first) return;
    // Index of the first interval that could touch [first, last]: the first whose end is >= first - 3
    // (3 = the widest gap that may hold only excluded addresses, `.255` and `.0`, plus one).
    let i = this.lowerBoundByLast(first - 3n);
    let newFirst = first;
    let newLast = last;
    let j = i;
    while (j < this.firsts.length) {
      const f = this.firsts[j]!;
      const l = this.lasts[j]!;
      if (f > newLast && !this.gapIsExcluded(newLast, f)) break;
      if (l < newFirst && !this.gapIsExcluded(l, newFirst)) {
        // Lies entirely before and does not touch: skip it (only possible for the first candidates).
        i = j + 1;
        j++;
        continue;
      }
      if (f < newFirst) newFirst = f;
      if (l > newLast) newLast = l;
      j++;
    }
    this.firsts.splice(i, j - i, newFirst);
    this.lasts.splice(i, j - i, newLast);
  }

  /** True when the address lies in a stored interval (blocked, or an excluded address between blocked ones). */
  covers(value: bigint): boolean {
    const i = this.lowerBoundByLast(value);
    return i < this.firsts.length && this.firsts[i]! <= value;
  }

  /**
   * The lowest address in [first, last] that is neither blocked nor excluded by the `.0`/`.255`
   * rule, or undefined. At most two binary searches thanks to the merge rule of `add`.
   */
  lowestFree(first: bigint, last: bigint): bigint | undefined {
    let candidate = first;
    for (;;) {
      candidate = this.skipExcludedUp(candidate);
      if (candidate > last) return undefined;
      const i = this.lowerBoundByLast(candidate);
      if (i < this.firsts.length && this.firsts[i]! <= candidate) {
        candidate = this.lasts[i]! + 1n;
        continue;
      }
      return candidate;
    }
  }

  /** Mirror of `lowestFree`: the highest free address in [first, last] (`search-order: desc`). */
  highestFree(first: bigint, last: bigint): bigint | undefined {
    let candidate = last;
    for (;;) {
      candidate = this.skipExcludedDown(candidate);
      if (candidate < first) return undefined;
      const i = this.lowerBoundByLast(candidate);
      if (i < this.firsts.length && this.firsts[i]! <= candidate) {
        candidate = this.firsts[i]! - 1n;
        continue;
      }
      return candidate;
    }
  }

  /** Calls `visit` with every stored interval intersected with [first, last], ascending. */
  forEachWithin(first: bigint, last: bigint, visit: (first: bigint, last: bigint) => void): void {
    for (let i = this.lowerBoundByLast(first); i < this.firsts.length; i++) {
      const f = this.firsts[i]!;
      if (f > last) break;
      const l = this.lasts[i]!;
      visit(f > first ? f : first, l < last ? l : last);
    }
  }

  /** Index of the first interval whose last address is >= value (binary search). */
  private lowerBoundByLast(value: bigint): number {
    let lo = 0;
    let hi = this.lasts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.lasts[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** True when every address strictly between `before` and `after` is excluded (or there is none). */
  private gapIsExcluded(before: bigint, after: bigint): boolean {
    const size = after - before - 1n;
    if (size <= 0n) return true;
    if (this.family !== 'IPv4' || size > 2n) return false;
    if (size === 1n) return isExcludedAddress('IPv4', before + 1n);
    return ((before + 1n) & 255n) === 255n;
  }

  private skipExcludedUp(value: bigint): bigint {
    if (this.family !== 'IPv4') return value;
    const lastOctet = value & 255n;
    if (lastOctet === 0n) return value + 1n;
    if (lastOctet === 255n) return value + 2n;
    return value;
  }

  private skipExcludedDown(value: bigint): bigint {
    if (this.family !== 'IPv4') return value;
    const lastOctet = value & 255n;
    if (lastOctet === 255n) return value - 1n;
    if (lastOctet === 0n) return value - 2n;
    return value;
  }
}
