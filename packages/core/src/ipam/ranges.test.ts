import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeRanges, parseEntry, rangeToPrefixes } from './ranges.js';

describe('parseEntry', () => {
  it('should read a single address as a one-address range', () => {
    expect(parseEntry('10.0.0.5')).toEqual({ ok: true, syntax: 'range', family: 'IPv4', range: { first: 0x0a000005n, last: 0x0a000005n } });
  });

  it('should read an IPv6 /64 CIDR', () => {
    const parsed = parseEntry('2001:db8::/64');
    expect(parsed).toMatchObject({ ok: true, syntax: 'cidr', family: 'IPv6', prefixLength: 64 });
    if (parsed.ok) expect(parsed.range.last - parsed.range.first + 1n).toBe(1n << 64n);
  });

  it('should say what is wrong with a bad entry', () => {
    expect(parseEntry('10.0.0.1-')).toEqual({ ok: false, problem: '"" is not an IP address' });
    expect(parseEntry('10.0.0.0/')).toMatchObject({ ok: false, problem: expect.stringContaining('prefix length') });
  });
});

describe('rangeToPrefixes', () => {
  it('should cut a range into aligned prefixes like netipx IPSet.Prefixes()', () => {
    // 10.0.0.1-10.0.0.6 = .1/32, .2/31, .4/31, .6/32
    const prefixes = rangeToPrefixes({ first: 0x0a000001n, last: 0x0a000006n }, 32).map((p) => [Number(p.range.first & 255n), p.prefixLength]);
    expect(prefixes).toEqual([[1, 32], [2, 31], [4, 31], [6, 32]]);
  });

  it('should cover the range exactly with aligned blocks (property, 1000 runs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100000 }), fc.integer({ min: 0, max: 5000 }), (start, length) => {
        const range = { first: BigInt(start), last: BigInt(start + length) };
        const prefixes = rangeToPrefixes(range, 32);
        let next = range.first;
        for (const p of prefixes) {
          const size = 1n << BigInt(32 - p.prefixLength);
          expect(p.range.first).toBe(next);
          expect(p.range.first % size).toBe(0n);
          expect(p.range.last - p.range.first + 1n).toBe(size);
          next = p.range.last + 1n;
        }
        expect(next).toBe(range.last + 1n);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('mergeRanges', () => {
  it('should sort, merge overlaps and join adjacent ranges', () => {
    expect(mergeRanges([{ first: 10n, last: 12n }, { first: 1n, last: 3n }, { first: 4n, last: 5n }, { first: 11n, last: 20n }])).toEqual([
      { first: 1n, last: 5n },
      { first: 10n, last: 20n },
    ]);
  });
});
