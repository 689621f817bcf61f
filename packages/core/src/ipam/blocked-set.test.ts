import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isExcludedAddress, type IpFamily } from './address.js';
import { BlockedSet } from './blocked-set.js';

function setOf(family: IpFamily, values: number[]): BlockedSet {
  const set = new BlockedSet(family);
  for (const v of values) set.add(BigInt(v));
  return set;
}

describe('BlockedSet', () => {
  it('should merge adjacent and overlapping intervals', () => {
    const set = new BlockedSet('IPv6');
    set.add(10n, 20n);
    set.add(21n, 30n);
    set.add(5n, 12n);
    expect(set.intervalCount).toBe(1);
    set.add(40n);
    expect(set.intervalCount).toBe(2);
    set.add(31n, 39n);
    expect(set.intervalCount).toBe(1);
  });

  it('should merge IPv4 intervals across a gap of only .255 and .0 (so a lookup jumps once)', () => {
    const set = setOf('IPv4', [0x0a0000fe, 0x0a000101]); // 10.0.0.254 and 10.0.1.1
    expect(set.intervalCount).toBe(1);
    expect(set.lowestFree(0x0a0000fen, 0x0a0001ffn)).toBe(0x0a000102n);
  });

  it('should not merge IPv6 intervals across any gap', () => {
    expect(setOf('IPv6', [0xfe, 0x101]).intervalCount).toBe(2);
  });

  it('should find the lowest and highest free address like a brute-force walk (property, 1000 runs)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<IpFamily>('IPv4', 'IPv6'),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 6 })), { maxLength: 40 }),
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 0, max: 400 }),
        (family, blocks, start, length) => {
          const set = new BlockedSet(family);
          const blocked = new Set<number>();
          for (const [first, size] of blocks) {
            set.add(BigInt(first), BigInt(first + size));
            for (let v = first; v <= first + size; v++) blocked.add(v);
          }
          const free: number[] = [];
          for (let v = start; v < start + length; v++) if (!blocked.has(v) && !isExcludedAddress(family, BigInt(v))) free.push(v);
          const last = BigInt(start + length - 1);
          expect(set.lowestFree(BigInt(start), last)).toBe(free.length > 0 ? BigInt(free[0]!) : undefined);
          expect(set.highestFree(BigInt(start), last)).toBe(free.length > 0 ? BigInt(free[free.length - 1]!) : undefined);
          for (const v of blocked) expect(set.covers(BigInt(v))).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('should keep one interval when addresses are added in ascending order (the reconcile pattern)', () => {
    const set = new BlockedSet('IPv4');
    for (let v = 0x0a000001; v < 0x0a00ffff; v++) if ((v & 255) !== 0 && (v & 255) !== 255) set.add(BigInt(v));
    expect(set.intervalCount).toBe(1);
  });
});

describe('BlockedSet with many intervals (chunked storage)', () => {
  it('should agree with a brute-force set after hundreds of random additions (property, 300 runs)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<IpFamily>('IPv4', 'IPv6'),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2 })), { minLength: 150, maxLength: 350 }),
        fc.integer({ min: 0, max: 2000 }),
        (family, blocks, probe) => {
          const incremental = new BlockedSet(family);
          const blocked = new Set<number>();
          for (const [first, size] of blocks) {
            incremental.add(BigInt(first), BigInt(first + size));
            for (let v = first; v <= first + size; v++) blocked.add(v);
          }
          const bulk = BlockedSet.fromRanges(family, blocks.map(([first, size]) => ({ first: BigInt(first), last: BigInt(first + size) })));
          expect(bulk.intervalCount).toBe(incremental.intervalCount);
          let expectedLowest: bigint | undefined;
          for (let v = probe; v <= 2003; v++) {
            if (!blocked.has(v) && !isExcludedAddress(family, BigInt(v))) {
              expectedLowest = BigInt(v);
              break;
            }
          }
          expect(incremental.lowestFree(BigInt(probe), 2003n)).toBe(expectedLowest);
          expect(bulk.lowestFree(BigInt(probe), 2003n)).toBe(expectedLowest);
          const visited: [bigint, bigint][] = [];
          incremental.forEachWithin(0n, 4000n, (f, l) => visited.push([f, l]));
          const bulkVisited: [bigint, bigint][] = [];
          bulk.forEachWithin(0n, 4000n, (f, l) => bulkVisited.push([f, l]));
          expect(bulkVisited).toEqual(visited);
          for (let i = 1; i < visited.length; i++) expect(visited[i]![0] > visited[i - 1]![1] + 1n).toBe(true);
        },
      ),
      // An extra property beyond the required ones: fewer runs, each with hundreds of intervals.
      { numRuns: 300 },
    );
  }, 60_000);

  it('should copy independently with clone', () => {
    const set = setOf('IPv6', [1, 5]);
    const copy = set.clone();
    copy.add(3n);
    expect(set.covers(3n)).toBe(false);
    expect(copy.covers(3n)).toBe(true);
  });
});

describe('BlockedSet.release', () => {
  it('should leave the set built without the address (property, 500 runs)', () => {
    // Addresses around .255/.0, where intervals absorb excluded neighbours.
    const allowed = fc.integer({ min: 240, max: 530 }).filter((v) => !isExcludedAddress('IPv4', BigInt(v)));
    fc.assert(
      fc.property(fc.uniqueArray(allowed, { minLength: 1, maxLength: 40 }), fc.nat(), (values, pick) => {
        const released = values[pick % values.length]!;
        const set = setOf('IPv4', values);
        set.release(BigInt(released));
        const fresh = setOf('IPv4', values.filter((v) => v !== released));
        const free = (s: BlockedSet) => Array.from({ length: 300 }, (_, i) => [s.lowestFree(BigInt(230 + i), 540n), s.highestFree(230n, BigInt(230 + i))]);
        expect(free(set)).toEqual(free(fresh));
        expect(set.covers(BigInt(released))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
