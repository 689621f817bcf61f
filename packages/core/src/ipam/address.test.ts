import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalAddress,
  countAllocatable,
  countExcluded,
  formatAddress,
  ipaddrIsFourPartDecimal,
  ipaddrRfc5952,
  isExcludedAddress,
  parseAddress,
  parseCanonical,
} from './address.js';

describe('parseAddress', () => {
  it('should read IPv4 and IPv6 into family and integer value', () => {
    expect(parseAddress('10.0.0.1')).toEqual({ family: 'IPv4', value: 0x0a000001n });
    expect(parseAddress('::1')).toEqual({ family: 'IPv6', value: 1n });
    expect(parseAddress('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual({ family: 'IPv6', value: (1n << 128n) - 1n });
  });

  it.each(['010.0.0.1', '10.1', '0x0a.0.0.1', '10.0.0.256', '1.2.3.4 ', 'fe80::1%eth0', '', 'host', '1:2:3'])(
    'should refuse %j like Go netip.ParseAddr', (text) => {
      expect(parseAddress(text)).toBeUndefined();
    },
  );

  it('should refuse non-strings without throwing', () => {
    for (const value of [undefined, null, 42, {}, ['10.0.0.1']]) expect(parseAddress(value)).toBeUndefined();
  });
});

describe('formatAddress', () => {
  it('should write IPv6 in RFC 5952 form', () => {
    expect(canonicalAddress('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
  });

  it('should round-trip every address (property, 1000 runs)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const parsed = parseAddress(text);
        // fast-check's ipV4 may produce forms Go refuses (none expected); IPv6 always parses.
        if (parsed === undefined) return;
        expect(parseAddress(formatAddress(parsed))).toEqual(parsed);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the .0/.255 rule (IP2, B.5)', () => {
  it('should exclude IPv4 addresses ending in 0 or 255 only', () => {
    expect(isExcludedAddress('IPv4', parseAddress('192.168.1.0')!.value)).toBe(true);
    expect(isExcludedAddress('IPv4', parseAddress('192.168.0.255')!.value)).toBe(true);
    expect(isExcludedAddress('IPv4', parseAddress('192.168.0.254')!.value)).toBe(false);
    expect(isExcludedAddress('IPv6', parseAddress('2001:db8::ff')!.value)).toBe(false);
  });

  it('should count exclusions arithmetically like a brute-force walk (property, 1000 runs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 1200 }), (start, length) => {
        const first = BigInt(start);
        const last = first + BigInt(length) - 1n;
        let excluded = 0n;
        for (let v = first; v <= last; v++) if (isExcludedAddress('IPv4', v)) excluded++;
        expect(countExcluded('IPv4', first, last)).toBe(excluded);
        expect(countAllocatable('IPv4', first, last)).toBe(BigInt(length) - excluded);
        expect(countExcluded('IPv6', first, last)).toBe(0n);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hand-written fast paths agree with ipaddr.js', () => {
  it('should format IPv6 exactly like ipaddr.js toRFC5952String (property, 1000 runs)', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const value = groups.reduce((v, g) => (v << 16n) | BigInt(g), 0n);
        expect(formatAddress({ family: 'IPv6', value })).toBe(ipaddrRfc5952(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('should accept exactly the IPv4 strings ipaddr.js accepts as four-part decimal (property, 1000 runs)', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '007', '', 'a', '-1', ' 1'));
    fc.assert(
      fc.property(fc.array(octet, { minLength: 1, maxLength: 5 }), (octets) => {
        const text = octets.join('.');
        expect(parseAddress(text) !== undefined).toBe(ipaddrIsFourPartDecimal(text) && !/(^|\.)0\d/.test(text));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseCanonical', () => {
  it('should give the canonical spelling, which for a strictly parsed IPv4 string is the string itself (property, 1000 runs)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()), (text) => {
        const parsed = parseCanonical(text);
        expect(parsed?.canonical).toBe(canonicalAddress(text));
      }),
      { numRuns: 1000 },
    );
  });
});
