// The addresses of one family that fresh allocations must skip, as sorted disjoint intervals.
// Finding the lowest (or highest) free address in a pool range is a binary search, not a walk
// over the range (IP6).

import { allowedAtOrAbove, allowedAtOrBelow, countExcluded, type IpFamily } from './address.js';
import type { AddressRange } from './ranges.js';

/** Intervals per chunk before it is split; bounds the cost of one insertion or removal. */
const MAX_CHUNK = 128;

/** A run of consecutive intervals: firsts[k] → lasts[k], ascending. */
interface Chunk {
  readonly firsts: bigint[];
  readonly lasts: bigint[];
}

/**
 * Sorted, disjoint, non-mergeable intervals of taken addresses of one family (held, requested
 * or in use elsewhere, IP3), stored in chunks of at most 128 so that an insertion or removal
 * moves at most one chunk, never the whole list.
 *
 * Two neighbours are merged when the gap between them holds only addresses the `.0`/`.255` rule
 * excludes anyway (an IPv4 `x.255, x+1.0` pair, say). So after jumping past one interval the next
 * candidate is either free or outside the range: a lookup is two binary searches, O(log n) in the
 * number of intervals, never O(range size), and IPv4 exclusions cost nothing to store. An
 * interval may thus contain excluded addresses nobody holds; "who holds X" is the caller's map.
 */
export class BlockedSet {
  readonly family: IpFamily;
  /** The intervals, split in chunks, ascending. No chunk is empty. */
  private readonly chunks: Chunk[];
  /** chunk index → last address of its last interval (for the binary search over chunks). */
  private readonly chunkLasts: bigint[];
  private count: number;

  constructor(family: IpFamily, chunks: Chunk[] = []) {
    this.family = family;
    this.chunks = chunks;
    this.chunkLasts = chunks.map((chunk) => chunk.lasts[chunk.lasts.length - 1]!);
    this.count = chunks.reduce((n, chunk) => n + chunk.firsts.length, 0);
  }

  /**
   * Builds the set from ranges in any order in O(n log n): one sort and one merge, far cheaper
   * than n insertions when a run starts from thousands of addresses in use.
   */
  static fromRanges(family: IpFamily, ranges: readonly AddressRange[]): BlockedSet {
    const sorted = sortRanges(family, ranges);
    const chunks: Chunk[] = [];
    let current: Chunk = { firsts: [], lasts: [] };
    let first: bigint | undefined;
    let last = 0n;
    const flush = (): void => {
      if (first === undefined) return;
      if (current.firsts.length >= MAX_CHUNK / 2) {
        chunks.push(current);
        current = { firsts: [], lasts: [] };
      }
      current.firsts.push(first);
      current.lasts.push(last);
    };
    for (const range of sorted) {
      if (first !== undefined && (range.first <= last + 1n || gapIsExcluded(family, last, range.first))) {
        if (range.last > last) last = range.last;
        continue;
      }
      flush();
      first = range.first;
      last = range.last;
    }
    flush();
    if (current.firsts.length > 0) chunks.push(current);
    return new BlockedSet(family, chunks);
  }

  /** An independent copy. */
  clone(): BlockedSet {
    return new BlockedSet(this.family, this.chunks.map((chunk) => ({ firsts: [...chunk.firsts], lasts: [...chunk.lasts] })));
  }

  /** Number of stored intervals (a measure of fragmentation). */
  get intervalCount(): number {
    return this.count;
  }

  /** Takes [first, last] (inclusive), merging with every interval it touches. Idempotent. */
  add(first: bigint, last: bigint = first): void {
    if (last < first) return;
    // 3 = the widest gap that may hold only excluded addresses (`.255`, `.0`) plus one.
    let [c, k] = this.locate(first - 3n);
    let newFirst = first;
    let newLast = last;
    while (c < this.chunks.length) {
      const chunk = this.chunks[c]!;
      if (k >= chunk.firsts.length) {
        c++;
        k = 0;
        continue;
      }
      const f = chunk.firsts[k]!;
      const l = chunk.lasts[k]!;
      if (f > newLast + 1n && !gapIsExcluded(this.family, newLast, f)) break;
      if (l + 1n < newFirst && !gapIsExcluded(this.family, l, newFirst)) {
        k++; // lies entirely before, not touching
        continue;
      }
      if (f < newFirst) newFirst = f;
      if (l > newLast) newLast = l;
      if (this.removeAt(c, k)) k = 0; // the chunk vanished: (c, 0) is now the next chunk
    }
    this.insertAt(c, k, newFirst, newLast);
  }

  /**
   * Frees one address `add` took (an allocation undone), so the set is the one built without it:
   * the interval holding it is cut in two around it, each part trimmed to an address the
   * `.0`/`.255` rule allows (the parts may have absorbed excluded neighbours). The address itself
   * must not be excluded, so the parts stay apart and never merge with anything new.
   */
  release(value: bigint): void {
    const [c, k] = this.locate(value);
    if (c >= this.chunks.length) return;
    const chunk = this.chunks[c]!;
    const first = chunk.firsts[k]!;
    const last = chunk.lasts[k]!;
    if (first > value) return;
    this.removeAt(c, k);
    const below = allowedAtOrBelow(this.family, value - 1n);
    if (below >= first) this.add(first, below);
    const above = allowedAtOrAbove(this.family, value + 1n);
    if (above <= last) this.add(above, last);
  }

  /** True when the address lies in a stored interval (taken, or excluded between taken ones). */
  covers(value: bigint): boolean {
    const [c, k] = this.locate(value);
    return c < this.chunks.length && this.chunks[c]!.firsts[k]! <= value;
  }

  /** The lowest address in [first, last] neither taken nor excluded by the `.0`/`.255` rule. */
  lowestFree(first: bigint, last: bigint): bigint | undefined {
    let candidate = first;
    for (;;) {
      candidate = allowedAtOrAbove(this.family, candidate);
      if (candidate > last) return undefined;
      const [c, k] = this.locate(candidate);
      if (c < this.chunks.length && this.chunks[c]!.firsts[k]! <= candidate) {
        candidate = this.chunks[c]!.lasts[k]! + 1n;
        continue;
      }
      return candidate;
    }
  }

  /** Mirror of `lowestFree`: the highest free address in [first, last] (`search-order: desc`). */
  highestFree(first: bigint, last: bigint): bigint | undefined {
    let candidate = last;
    for (;;) {
      candidate = allowedAtOrBelow(this.family, candidate);
      if (candidate < first) return undefined;
      const [c, k] = this.locate(candidate);
      if (c < this.chunks.length && this.chunks[c]!.firsts[k]! <= candidate) {
        candidate = this.chunks[c]!.firsts[k]! - 1n;
        continue;
      }
      return candidate;
    }
  }

  /** Calls `visit` with every stored interval intersected with [first, last], ascending. */
  forEachWithin(first: bigint, last: bigint, visit: (first: bigint, last: bigint) => void): void {
    let [c, k] = this.locate(first);
    for (; c < this.chunks.length; c++, k = 0) {
      const chunk = this.chunks[c]!;
      for (; k < chunk.firsts.length; k++) {
        const f = chunk.firsts[k]!;
        if (f > last) return;
        const l = chunk.lasts[k]!;
        visit(f > first ? f : first, l < last ? l : last);
      }
    }
  }

  /** Position (chunk, index) of the first interval whose last address is >= value; (chunks.length, 0) if none. */
  private locate(value: bigint): [number, number] {
    let lo = 0;
    let hi = this.chunkLasts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.chunkLasts[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.chunks.length) return [lo, 0];
    const lasts = this.chunks[lo]!.lasts;
    let a = 0;
    let b = lasts.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (lasts[mid]! < value) a = mid + 1;
      else b = mid;
    }
    return [lo, a];
  }

  /** Removes interval (c, k); returns true when that emptied and removed chunk c. */
  private removeAt(c: number, k: number): boolean {
    const chunk = this.chunks[c]!;
    chunk.firsts.splice(k, 1);
    chunk.lasts.splice(k, 1);
    this.count--;
    if (chunk.firsts.length === 0) {
      this.chunks.splice(c, 1);
      this.chunkLasts.splice(c, 1);
      return true;
    }
    this.chunkLasts[c] = chunk.lasts[chunk.lasts.length - 1]!;
    return false;
  }

  /** Inserts an interval at position (c, k), splitting the chunk when it grows too large. */
  private insertAt(c: number, k: number, first: bigint, last: bigint): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push({ firsts: [first], lasts: [last] });
      this.chunkLasts.push(last);
      return;
    }
    if (c >= this.chunks.length) {
      c = this.chunks.length - 1;
      k = this.chunks[c]!.firsts.length;
    }
    const chunk = this.chunks[c]!;
    chunk.firsts.splice(k, 0, first);
    chunk.lasts.splice(k, 0, last);
    this.chunkLasts[c] = chunk.lasts[chunk.lasts.length - 1]!;
    if (chunk.firsts.length > MAX_CHUNK) {
      const half = chunk.firsts.length >>> 1;
      const tail: Chunk = { firsts: chunk.firsts.splice(half), lasts: chunk.lasts.splice(half) };
      this.chunks.splice(c + 1, 0, tail);
      this.chunkLasts[c] = chunk.lasts[chunk.lasts.length - 1]!;
      this.chunkLasts.splice(c + 1, 0, tail.lasts[tail.lasts.length - 1]!);
    }
  }
}

/** True when every address strictly between `before` and `after` is excluded (or there is none). */
function gapIsExcluded(family: IpFamily, before: bigint, after: bigint): boolean {
  const size = after - before - 1n;
  if (size <= 0n) return true;
  // The rule excludes at most two neighbours (`.255`, `.0`): a wider gap always holds an address.
  if (family !== 'IPv4' || size > 2n) return false;
  return countExcluded(family, before + 1n, after - 1n) === size;
}

/** Ranges sorted by first address; IPv4 through a native numeric sort (bigint comparators are slow). */
function sortRanges(family: IpFamily, ranges: readonly AddressRange[]): readonly AddressRange[] {
  if (family !== 'IPv4') return [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const order = new Float64Array(ranges.length);
  // first * 2^20 + index fits a double exactly (32 + 20 bits < 53) and sorts by first, then input order.
  if (ranges.length < 1 << 20) {
    ranges.forEach((range, i) => {
      order[i] = Number(range.first) * 1048576 + i;
    });
    order.sort();
    return Array.from(order, (key) => ranges[key % 1048576]!);
  }
  return [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
}
