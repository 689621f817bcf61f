// DP1: the endpoints behind a listener of the per-Gateway Service. Kubernetes does not select
// Pods for a selectorless Service, so l4gw copies the backend Service's endpoints into
// EndpointSlices of its own, with the port number the backend really listens on.

import type { BackendTarget } from '../model/graph.js';
import type { ParsedEndpoint, ParsedEndpointSlice } from '../model/parsed.js';

/** Kubernetes rejects EndpointSlices with more endpoints than this. */
export const MAX_ENDPOINTS_PER_SLICE = 1000;

/** One endpoint as written into a mirrored slice. */
export interface MirroredEndpoint {
  readonly addresses: readonly string[];
  readonly conditions: { readonly ready: boolean; readonly serving: boolean; readonly terminating: boolean };
  readonly nodeName?: string;
  readonly zone?: string;
}

/** The endpoints of one backend for one address family and one target port number. */
export interface EndpointGroup {
  readonly addressType: 'IPv4' | 'IPv6';
  readonly targetPort: number;
  readonly endpoints: readonly MirroredEndpoint[];
}

/**
 * Groups the backend's endpoints (`slices`: its Service's EndpointSlices, sorted by name) by
 * address family and resolved target port: a numeric targetPort applies to every slice; a named one is read, per backend slice, from the slice port
 * named like the Service port (that is how the EndpointSlice controller publishes it). FQDN
 * slices and slices without that port contribute nothing. Conditions are made explicit with the
 * API's defaults (unknown `ready` counts as ready, `serving` follows `ready`), endpoints are
 * de-duplicated by address and sorted, and groups come sorted by family then port.
 */
export function mirrorEndpoints(target: BackendTarget, slices: readonly ParsedEndpointSlice[]): readonly EndpointGroup[] {
  return slices.length === 0 ? NO_GROUPS : groupEndpoints(target, slices);
}

const NO_GROUPS: readonly EndpointGroup[] = Object.freeze([]);

function groupEndpoints(target: BackendTarget, slices: readonly ParsedEndpointSlice[]): EndpointGroup[] {
  // Keyed by a number (ports are parsed as integers 1..65535, so port * 2 + family is unique)
  // rather than a `family/port` string built per slice; a Map keeps any input linear.
  const groups = new Map<number, { addressType: 'IPv4' | 'IPv6'; targetPort: number; entries: { key: string; endpoint: ParsedEndpoint }[] }>();
  for (const slice of slices) {
    const addressType = slice.addressType;
    if (addressType !== 'IPv4' && addressType !== 'IPv6') continue;
    const targetPort = target.targetPort ?? namedPortNumber(slice, target.servicePort.name);
    if (targetPort === undefined) continue;
    const groupKey = targetPort * 2 + (addressType === 'IPv6' ? 1 : 0);
    let group = groups.get(groupKey);
    if (group === undefined) {
      group = { addressType, targetPort, entries: [] };
      groups.set(groupKey, group);
    }
    for (const endpoint of slice.endpoints) {
      if (endpoint.addresses.length === 0) continue;
      group.entries.push({ key: endpointKey(endpoint), endpoint });
    }
  }
  const result: EndpointGroup[] = [];
  for (const { addressType, targetPort, entries } of groups.values()) {
    // Slices usually list their endpoints in order already: sorting allocates, checking does not.
    if (!isSortedByKey(entries)) entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const endpoints: MirroredEndpoint[] = [];
    let previous: string | undefined;
    for (const { key, endpoint } of entries) {
      // An address in two slices (a Pod moving between them) counts once.
      if (key === previous) continue;
      previous = key;
      endpoints.push(mirrorEndpoint(endpoint));
    }
    result.push({ addressType, targetPort, endpoints });
  }
  if (result.length > 1) result.sort((a, b) => (a.addressType < b.addressType ? -1 : a.addressType > b.addressType ? 1 : a.targetPort - b.targetPort));
  return result;
}

/** An endpoint's identity for de-duplication and order: its address(es). */
function endpointKey(endpoint: ParsedEndpoint): string {
  return endpoint.addresses.length === 1 ? (endpoint.addresses[0] as string) : endpoint.addresses.join(',');
}

function isSortedByKey(entries: readonly { readonly key: string }[]): boolean {
  for (let i = 1; i < entries.length; i++) if ((entries[i - 1] as { key: string }).key > (entries[i] as { key: string }).key) return false;
  return true;
}

function namedPortNumber(slice: ParsedEndpointSlice, name: string): number | undefined {
  return slice.ports.find((port) => port.name === name)?.port;
}

function mirrorEndpoint(endpoint: ParsedEndpoint): MirroredEndpoint {
  const ready = endpoint.ready ?? true;
  // Optional fields set one by one rather than spread from temporary objects: this runs for
  // every endpoint behind every listener (60k at 10k Gateways). Field order is unchanged.
  const mirrored: { -readonly [K in keyof MirroredEndpoint]: MirroredEndpoint[K] } = {
    addresses: endpoint.addresses.slice(),
    conditions: { ready, serving: endpoint.serving ?? ready, terminating: endpoint.terminating ?? false },
  };
  if (endpoint.nodeName !== undefined) mirrored.nodeName = endpoint.nodeName;
  if (endpoint.zone !== undefined) mirrored.zone = endpoint.zone;
  return mirrored;
}

/**
 * Splits a list into chunks of at most `size` (at least one chunk, possibly empty). A list that
 * fits is its own only chunk, not a copy: the usual case, and the lists are read-only.
 */
export function chunk<T>(items: readonly T[], size: number): (readonly T[])[] {
  if (items.length <= size) return [items];
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
