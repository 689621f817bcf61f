// IP addresses as (family, bigint) pairs. ipaddr.js does the parsing; every set operation in
// IPAM is bigint arithmetic on these values, so an IPv6 /48 costs the same as an IPv4 /29 (IP6).

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
  if (text.includes('.') && !text.includes(':')) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(text) || /(^|\.)0\d/.test(text)) return undefined;
    return { family: 'IPv4', value: bytesToBigint(ipaddr.IPv4.parse(text).toByteArray()) };
  }
  if (!text.includes(':') || text.includes('%') || !ipaddr.IPv6.isValid(text)) return undefined;
  try {
    return { family: 'IPv6', value: bytesToBigint(ipaddr.IPv6.parse(text).toByteArray()) };
  } catch {
    return undefined;
  }
}

/** Formats an address canonically: dotted quad for IPv4, RFC 5952 for IPv6. */
export function formatAddress(address: IpAddress): string {
  if (address.family === 'IPv4') {
    const v = Number(address.value);
    return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const parts: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) parts.push(Number((address.value >> shift) & 0xffffn));
  return new ipaddr.IPv6(parts).toRFC5952String();
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

function bytesToBigint(bytes: readonly number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}
