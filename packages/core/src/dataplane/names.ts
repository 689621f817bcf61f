// GW8: names and label values of generated objects. Gateway names may be 253-character DNS
// subdomains with dots; Service and EndpointSlice names, port names and label values may not.
// Anything that does not fit is shortened and given a hash of the full input, so two different
// inputs never share a shortened name and the same input always yields the same name.

import { fnv1aHex, fnv1aHexOfParts } from './hash.js';

/** Kubernetes' limit for DNS-1035 labels (Service names) and label values. */
export const MAX_LABEL_LENGTH = 63;
const HASH_LENGTH = 8;

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Joins `parts` with `-` into a valid DNS-1035 label of at most 63 characters. When the plain
 * join is already valid it is returned unchanged (readable names for the common case); otherwise
 * the characters are made valid, the result is truncated, and an 8-digit hash of the original
 * parts is appended. `alwaysHash` forces the suffix, for names whose parts could run together
 * ambiguously (`a-b` + `c` vs `a` + `b-c`).
 */
export function dns1035Name(parts: readonly string[], alwaysHash = false): string {
  const joined = parts.length === 1 ? (parts[0] as string) : parts.join('-');
  if (!alwaysHash && joined.length <= MAX_LABEL_LENGTH && DNS1035_LABEL.test(joined)) return joined;
  const hash = fnv1aHexOfParts(parts);
  let base = joined.toLowerCase().replace(/[^-a-z0-9]+/g, '-');
  if (!/^[a-z]/.test(base)) base = `x-${base}`;
  base = base.slice(0, MAX_LABEL_LENGTH - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${base}-${hash}`;
}

/**
 * A label value standing for `value` (a Gateway or class name): the value itself when it is a
 * valid label value, else a truncated form with a hash suffix. Generated objects of a
 * 253-character Gateway are labelled with this, so readers of those labels (IPAM's recovery of
 * held addresses, IP4) must compare against `labelValueFor(name)`, not the raw name.
 */
export function labelValueFor(value: string): string {
  if (value.length <= MAX_LABEL_LENGTH && LABEL_VALUE.test(value)) return value;
  const hash = fnv1aHex(value);
  const base = value
    .replace(/[^-A-Za-z0-9_.]+/g, '-')
    .slice(0, MAX_LABEL_LENGTH - HASH_LENGTH - 1)
    .replace(/[^A-Za-z0-9]+$/, '')
    .replace(/^[^A-Za-z0-9]+/, '');
  return base === '' ? `h${hash}` : `${base}-${hash}`;
}
