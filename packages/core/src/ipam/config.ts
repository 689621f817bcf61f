// kube-vip-cloud-provider ConfigMap data → pools (IP1, IP2; ipam-anchors B.2–B.5).

import type { Diagnostic } from '../model/desired.js';
import type { ObjectRef } from '../model/kube.js';
import { countAllocatable, IP_FAMILIES, type IpFamily } from './address.js';
import { mergeRanges, parseEntry, skipEndAddresses, type AddressRange, type FamilyRanges } from './ranges.js';

/** Allocation direction: `search-order: desc` hands out the highest free address first. */
export type SearchOrder = 'asc' | 'desc';

/** One usable pool: the addresses of one ConfigMap key (`cidr-<ns>`, `range-global`, …). */
export interface Pool {
  /** Stable identity and display name: `<namespace>/<configmap>#<key>`, e.g. `kube-system/kubevip#range-global`. */
  readonly id: string;
  /** The ConfigMap the pool comes from. */
  readonly source: ObjectRef;
  /** The ConfigMap key, e.g. `cidr-default`. */
  readonly key: string;
  readonly order: SearchOrder;
  /**
   * DP7: the key's value is exactly `0.0.0.0/32` (kube-vip's DHCP convention). A DHCP pool has
   * no addresses of its own; IPv4 Gateways get the `0.0.0.0` marker and their lease is read back.
   */
  readonly dhcp: boolean;
  /**
   * Family → sorted disjoint ranges, after merging and `skip-end-ips-in-cidr`. The IPv4 `.0`/`.255`
   * rule is NOT cut out here (a /8 would become 65,536 ranges); it is applied arithmetically.
   */
  readonly ranges: FamilyRanges;
}

/** A key that was present but could not be used, and why (the lookup skips it, see `poolsForNamespace`). */
export interface InvalidPoolKey {
  readonly id: string;
  readonly key: string;
  readonly message: string;
}

/** A problem found in IPAM configuration: names the ConfigMap, the key and, when there is one, the bad entry. */
export interface IpamDiagnostic extends Diagnostic {
  readonly key?: string;
  readonly entry?: string;
}

/** One parsed ConfigMap. */
export interface IpamConfig {
  readonly source: ObjectRef;
  /** ConfigMap key → pool, for every valid `cidr-*` / `range-*` key. */
  readonly pools: ReadonlyMap<string, Pool>;
  /** ConfigMap key → why it is unusable, for every malformed `cidr-*` / `range-*` key. */
  readonly invalidKeys: ReadonlyMap<string, InvalidPoolKey>;
  readonly order: SearchOrder;
  readonly skipEndAddresses: boolean;
  /** Sorted by key. */
  readonly diagnostics: readonly IpamDiagnostic[];
}

/** Where a ConfigMap lives. */
export interface ConfigMapName {
  readonly namespace: string;
  readonly name: string;
}

const SEARCH_ORDER_KEY = 'search-order';
const SKIP_END_KEY = 'skip-end-ips-in-cidr';
const DHCP_VALUE = '0.0.0.0/32';

/**
 * Parses the `data` of a kube-vip-cloud-provider ConfigMap (IP2). `data` is whatever JSON the
 * ConfigMap carried: anything that is not an object of strings is reported, never thrown.
 *
 * - Every key `cidr-<x>` / `range-<x>` becomes a pool. Its value is a comma list; spaces around
 *   entries and around `-` are trimmed (the cloud provider trims nothing); empty entries (a
 *   trailing comma) are ignored. IPv4 and IPv6 entries may mix. Each entry is read by its own
 *   syntax (`/` = CIDR, otherwise a range or one address), so a key may mix CIDRs and ranges.
 * - `search-order: desc` (global) makes every pool of this ConfigMap allocate from the top.
 * - `skip-end-ips-in-cidr: "true"` (global) drops the first and last address of IPv4 CIDRs
 *   (not /31, /32), after merging the key's CIDRs, exactly like the cloud provider.
 * - A value of exactly `0.0.0.0/32` is a DHCP pool (DP7).
 * - One malformed entry invalidates its whole key (as in the cloud provider), and only that key:
 *   the diagnostic names the key and the entry.
 */
export function parseIpamConfigMap(source: ConfigMapName, data: unknown): IpamConfig {
  const ref: ObjectRef = { apiVersion: 'v1', kind: 'ConfigMap', namespace: source.namespace, name: source.name };
  const sourceName = `${source.namespace}/${source.name}`;
  const diagnostics: IpamDiagnostic[] = [];
  const pools = new Map<string, Pool>();
  const invalidKeys = new Map<string, InvalidPoolKey>();
  const fields = isPlainObject(data) ? data : {};
  if (data !== undefined && data !== null && !isPlainObject(data)) {
    diagnostics.push({ severity: 'error', object: ref, message: `ConfigMap ${sourceName}: data is not a map of strings, no pools read` });
  }

  const order = readSearchOrder(fields[SEARCH_ORDER_KEY], ref, sourceName, diagnostics);
  const skipEnds = readSkipEnds(fields[SKIP_END_KEY], ref, sourceName, diagnostics);

  for (const key of Object.keys(fields).sort()) {
    if (!isPoolKey(key)) {
      if (key.startsWith('allow-share-')) {
        diagnostics.push({
          severity: 'warning', object: ref, key,
          message: `ConfigMap ${sourceName} key ${key}: address sharing is not supported by l4gw, every Gateway gets its own address`,
        });
      }
      continue;
    }
    const id = `${sourceName}#${key}`;
    const result = parsePoolValue(fields[key], skipEnds);
    if ('problem' in result) {
      const message = `ConfigMap ${sourceName} key ${key}: ${result.entry === undefined ? '' : `entry "${result.entry}": `}${result.problem}; the key is ignored`;
      invalidKeys.set(key, { id, key, message });
      diagnostics.push({ severity: 'error', object: ref, key, ...(result.entry === undefined ? {} : { entry: result.entry }), message });
      continue;
    }
    pools.set(key, { id, source: ref, key, order, dhcp: result.dhcp, ranges: result.ranges });
  }
  return { source: ref, pools, invalidKeys, order, skipEndAddresses: skipEnds, diagnostics };
}

/** True for the keys that hold pools: `cidr-<something>` and `range-<something>`. */
function isPoolKey(key: string): boolean {
  return (key.startsWith('cidr-') && key.length > 5) || (key.startsWith('range-') && key.length > 6);
}

type PoolValue = { dhcp: boolean; ranges: FamilyRanges } | { problem: string; entry?: string };

function parsePoolValue(value: unknown, skipEnds: boolean): PoolValue {
  if (typeof value !== 'string') return { problem: `the value is a ${value === null ? 'null' : typeof value}, not a string` };
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0);
  if (entries.length === 0) return { problem: 'the value lists no address' };
  if (entries.includes(DHCP_VALUE)) {
    if (entries.length > 1) return { problem: 'a DHCP pool (0.0.0.0/32) cannot list other entries', entry: DHCP_VALUE };
    return { dhcp: true, ranges: { IPv4: [], IPv6: [] } };
  }
  const cidrs: Record<IpFamily, AddressRange[]> = { IPv4: [], IPv6: [] };
  const plain: Record<IpFamily, AddressRange[]> = { IPv4: [], IPv6: [] };
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (!parsed.ok) return { problem: parsed.problem, entry };
    (parsed.syntax === 'cidr' ? cidrs : plain)[parsed.family].push(parsed.range);
  }
  const ranges = { IPv4: [] as AddressRange[], IPv6: [] as AddressRange[] };
  for (const family of IP_FAMILIES) {
    const fromCidrs = skipEnds ? skipEndAddresses(family, cidrs[family]) : cidrs[family];
    ranges[family] = mergeRanges([...fromCidrs, ...plain[family]]);
  }
  return { dhcp: false, ranges };
}

function readSearchOrder(value: unknown, ref: ObjectRef, sourceName: string, diagnostics: IpamDiagnostic[]): SearchOrder {
  if (value === undefined) return 'asc';
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (text === 'desc') return 'desc';
  if (text !== 'asc') {
    diagnostics.push({
      severity: 'warning', object: ref, key: SEARCH_ORDER_KEY,
      message: `ConfigMap ${sourceName} key ${SEARCH_ORDER_KEY}: ${describe(value)} is neither "asc" nor "desc"; ascending order is used`,
    });
  }
  return 'asc';
}

function readSkipEnds(value: unknown, ref: ObjectRef, sourceName: string, diagnostics: IpamDiagnostic[]): boolean {
  if (value === undefined) return false;
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (text === 'true') return true;
  if (text !== 'false') {
    diagnostics.push({
      severity: 'warning', object: ref, key: SKIP_END_KEY,
      message: `ConfigMap ${sourceName} key ${SKIP_END_KEY}: ${describe(value)} is not "true"; CIDR end addresses are allocatable`,
    });
  }
  return false;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : `a ${value === null ? 'null' : typeof value} value`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Families a pool can hand out, IPv4 first (a DHCP pool hands out IPv4). */
export function poolFamilies(pool: Pool): IpFamily[] {
  return IP_FAMILIES.filter((family) => (family === 'IPv4' && pool.dhcp) || pool.ranges[family].length > 0);
}

/** Number of addresses of the family the pool can ever hand out (the `.0`/`.255` rule applied). */
export function poolCapacity(pool: Pool, family: IpFamily): bigint {
  let total = 0n;
  for (const range of pool.ranges[family]) total += countAllocatable(family, range.first, range.last);
  return total;
}
