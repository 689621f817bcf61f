// Parsing of pool entries (`10.0.0.0/24`, `10.0.0.10-10.0.0.20`, `2001:db8::/64`) into sorted
// merged address ranges, following kube-vip-cloud-provider's addressbuilder.go (ipam-anchors B.4).

import { familyBits, parseAddress, type IpFamily } from './address.js';

/** An inclusive range of addresses of one family. */
export interface AddressRange {
  readonly first: bigint;
  readonly last: bigint;
}

/** The addresses of a pool, per family: sorted, disjoint, non-adjacent ranges. */
export interface FamilyRanges {
  readonly IPv4: readonly AddressRange[];
  readonly IPv6: readonly AddressRange[];
}

/** One parsed entry of a comma list. */
export type ParsedEntry =
  | { readonly ok: true; readonly syntax: 'cidr' | 'range'; readonly family: IpFamily; readonly range: AddressRange; readonly prefixLength?: number }
  | { readonly ok: false; readonly problem: string };

/**
 * Parses one trimmed entry. An entry containing `/` is a CIDR (host bits masked, as Go's
 * `netipx.IPSetBuilder.AddPrefix` does); otherwise it is a `start-end` range, or a single address
 * (a superset of the cloud provider, which insists on two parts). Never throws.
 */
export function parseEntry(entry: string): ParsedEntry {
  if (entry.includes('/')) return parseCidr(entry);
  const parts = entry.split('-').map((part) => part.trim());
  if (parts.length > 2) return { ok: false, problem: 'a range has exactly one "-" between two addresses' };
  const start = parseAddress(parts[0]);
  if (start === undefined) return { ok: false, problem: `"${parts[0] ?? ''}" is not an IP address` };
  const end = parts.length === 2 ? parseAddress(parts[1]) : start;
  if (end === undefined) return { ok: false, problem: `"${parts[1] ?? ''}" is not an IP address` };
  if (end.family !== start.family) return { ok: false, problem: 'the range mixes IPv4 and IPv6' };
  if (end.value < start.value) return { ok: false, problem: 'the range ends before it starts' };
  return { ok: true, syntax: 'range', family: start.family, range: { first: start.value, last: end.value } };
}

function parseCidr(entry: string): ParsedEntry {
  const slash = entry.indexOf('/');
  const addressText = entry.slice(0, slash).trim();
  const lengthText = entry.slice(slash + 1).trim();
  const address = parseAddress(addressText);
  if (address === undefined) return { ok: false, problem: `"${addressText}" is not an IP address` };
  const bits = familyBits(address.family);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lengthText) || Number(lengthText) > bits) {
    return { ok: false, problem: `"/${lengthText}" is not a prefix length for ${address.family} (0-${bits})` };
  }
  const prefixLength = Number(lengthText);
  const hostBits = BigInt(bits - prefixLength);
  const first = (address.value >> hostBits) << hostBits;
  const last = first + (1n << hostBits) - 1n;
  return { ok: true, syntax: 'cidr', family: address.family, range: { first, last }, prefixLength };
}

/** Sorts and merges overlapping or adjacent ranges (what an IPSet's `Ranges()` returns). */
export function mergeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const merged: { first: bigint; last: bigint }[] = [];
  for (const range of sorted) {
    const previous = merged[merged.length - 1];
    if (previous !== undefined && range.first <= previous.last + 1n) {
      if (range.last > previous.last) previous.last = range.last;
    } else {
      merged.push({ first: range.first, last: range.last });
    }
  }
  return merged;
}

/**
 * Splits a range into the minimal list of aligned prefixes, ascending (what netipx's
 * `IPSet.Prefixes()` returns); each is given as its range and prefix length.
 */
export function rangeToPrefixes(range: AddressRange, bits: number): { range: AddressRange; prefixLength: number }[] {
  const prefixes: { range: AddressRange; prefixLength: number }[] = [];
  let first = range.first;
  while (first <= range.last) {
    // The largest aligned block starting at `first` that does not pass `last`.
    let size = 1n;
    let hostBits = 0;
    while (hostBits < bits && (first & ((size << 1n) - 1n)) === 0n && first + (size << 1n) - 1n <= range.last) {
      size <<= 1n;
      hostBits++;
    }
    prefixes.push({ range: { first, last: first + size - 1n }, prefixLength: bits - hostBits });
    first += size;
  }
  return prefixes;
}

/**
 * `skip-end-ips-in-cidr: "true"` (B.5): the CIDR entries of one family are merged first, the
 * result is cut into aligned prefixes, and every IPv4 prefix longer than /31 (so not /31, not /32)
 * loses its first and last address. IPv6 is untouched. The cloud provider's tests pin this:
 * `192.168.0.200/30,192.168.0.200/29` keeps `.201-.206`.
 */
export function skipEndAddresses(family: IpFamily, cidrRanges: readonly AddressRange[]): AddressRange[] {
  const merged = mergeRanges(cidrRanges);
  if (family !== 'IPv4') return merged;
  const kept: AddressRange[] = [];
  for (const range of merged) {
    for (const prefix of rangeToPrefixes(range, 32)) {
      if (prefix.prefixLength >= 31) kept.push(prefix.range);
      else kept.push({ first: prefix.range.first + 1n, last: prefix.range.last - 1n });
    }
  }
  return mergeRanges(kept);
}
