// IP addresses as (family, bigint) pairs. ipaddr.js parses IPv6; every set operation in IPAM is
// bigint arithmetic on these values, so an IPv6 /48 costs the same as an IPv4 /29 (IP6).

import * as ipaddrModule from 'ipaddr.js';

// ipaddr.js is CommonJS (`module.exports = ipaddr`): Node's ESM loader exposes it only as the
// default export, some bundlers as the namespace itself. Take whichever is there.
type Ipaddr = typeof ipaddrModule;
const ipaddr: Ipaddr = (ipaddrModule as unknown as { default?: Ipaddr }).default ?? ipaddrModule;

export type IpFamily = 'IPv4' | 'IPv6';

/** Both families, in the order IPAM prefers them (kube-vip picks IPv4 first, B.8). */
export const IP_FAMILIES: readonly IpFamily[] = ['IPv4', 'IPv6'];

/** One address: its family and its value as an unsigned integer (32 or 128 bits). */
export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** Number of bits of an address of the family. */
export function familyBits(family: IpFamily): number {
  return family === 'IPv4' ? 32 : 128;
}

/**
 * Parses one address strictly, the way Go's `netip.ParseAddr` (used by kube-vip-cloud-provider)
 * does: IPv4 only in four-part decimal without leading zeros (`010.0.0.1` is refused rather than
 * read as octal), IPv6 without a zone. Returns undefined for anything else, never throws.
 */
export function parseAddress(text: unknown): IpAddress | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return undefined;
  if (!text.includes(':')) return parseIPv4(text);
  if (text.includes('%')) return undefined;
  try {
    // parse() validates as it goes and throws on anything malformed.
    const parts = ipaddr.IPv6.parse(text).parts;
    let value = 0n;
    for (let i = 0; i < 8; i += 2) value = (value << 32n) | BigInt(((parts[i]! << 16) | parts[i + 1]!) >>> 0);
    return { family: 'IPv6', value };
  } catch {
    return undefined;
  }
}

/**
 * Strict dotted quad: four decimal octets 0-255 without leading zeros. This is ipaddr.js's
 * `IPv4.isValidFourPartDecimal` + `parse`, written out because reconcile parses every address
 * of the cluster on each run and the generic parser dominated the profile.
 */
function parseIPv4(text: string): IpAddress | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (code >= 48 && code <= 57) {
      if (digits > 0 && octet === 0) return undefined; // leading zero: Go refuses it
      octet = octet * 10 + (code - 48);
      digits++;
      if (octet > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || dots !== 3) return undefined;
  return { family: 'IPv4', value: BigInt(value * 256 + octet) };
}

/** Formats an address canonically: dotted quad for IPv4, RFC 5952 for IPv6. */
export function formatAddress(address: IpAddress): string {
  if (address.family === 'IPv4') {
    const v = Number(address.value);
    return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  return formatIPv6(address.value);
}

/**
 * RFC 5952 text of a 128-bit value: lowercase hex groups without leading zeros, the longest run
 * of two or more zero groups (the first one on a tie) written `::`. Same output as ipaddr.js's
 * `toRFC5952String` (a property test compares them), without building an object per address.
 */
function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 96n; shift >= 0n; shift -= 32n) {
    const word = Number((value >> shift) & 0xffffffffn);
    groups.push(word >>> 16, word & 0xffff);
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/**
 * Parses an address and gives its canonical spelling too. A strictly parsed IPv4 string is
 * already canonical, so only IPv6 is re-formatted (reconcile reads every address of the cluster).
 */
export function parseCanonical(text: unknown): { readonly address: IpAddress; readonly canonical: string } | undefined {
  const address = parseAddress(text);
  if (address === undefined) return undefined;
  return { address, canonical: address.family === 'IPv4' ? (text as string) : formatIPv6(address.value) };
}

/** The canonical spelling of an address, or undefined when it does not parse. */
export function canonicalAddress(text: unknown): string | undefined {
  const parsed = parseAddress(text);
  return parsed === undefined ? undefined : formatAddress(parsed);
}

/**
 * kube-vip's rule (ipam-anchors B.5): an IPv4 address whose last octet is 0 or 255 is never
 * handed out, whatever the prefix length, in ranges as well as CIDRs. Always false for IPv6.
 */
export function isExcludedAddress(family: IpFamily, value: bigint): boolean {
  if (family !== 'IPv4') return false;
  const lastOctet = value & 255n;
  return lastOctet === 0n || lastOctet === 255n;
}

/** The lowest address at or above `value` the rule above does not exclude (at most two steps). */
export function allowedAtOrAbove(family: IpFamily, value: bigint): bigint {
  let next = value;
  while (isExcludedAddress(family, next)) next++;
  return next;
}

/** The highest address at or below `value` the rule above does not exclude (at most two steps). */
export function allowedAtOrBelow(family: IpFamily, value: bigint): bigint {
  let next = value;
  while (isExcludedAddress(family, next)) next--;
  return next;
}

/** How many addresses in [first, last] the `.0`/`.255` rule excludes, computed without a loop. */
export function countExcluded(family: IpFamily, first: bigint, last: bigint): bigint {
  if (family !== 'IPv4' || last < first) return 0n;
  return countResidueBelow(last + 1n, 0n) - countResidueBelow(first, 0n)
    + countResidueBelow(last + 1n, 255n) - countResidueBelow(first, 255n);
}

/** Number of x in [0, n) with x mod 256 = r. */
function countResidueBelow(n: bigint, r: bigint): bigint {
  return n <= r ? 0n : (n - r + 255n) / 256n;
}

/** Number of allocatable addresses in [first, last]: its size minus the `.0`/`.255` exclusions. */
export function countAllocatable(family: IpFamily, first: bigint, last: bigint): bigint {
  if (last < first) return 0n;
  return last - first + 1n - countExcluded(family, first, last);
}

/** ipaddr.js's own RFC 5952 formatting, for tests that check `formatAddress` against it. */
export function ipaddrRfc5952(value: bigint): string {
  const parts: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) parts.push(Number((value >> shift) & 0xffffn));
  return new ipaddr.IPv6(parts).toRFC5952String();
}

/** ipaddr.js's own strict IPv4 check, for tests that check the hand-written parser against it. */
export function ipaddrIsFourPartDecimal(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}
