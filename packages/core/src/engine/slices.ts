// The slice index (gateway/resolve.ts indexEndpointSlices) after a few EndpointSlices changed,
// made from the last one: EndpointSlices are what changes most in a live cluster (every Pod
// started, stopped or becoming ready). It gives what indexing afresh gives, or declines.

import type { ParsedEndpointSlice } from '../model/parsed.js';
import { compareStrings } from '../model/order.js';
import { sharedEnds } from '../model/shared-ends.js';
import type { SliceIndex } from '../gateway/resolve.js';

/** Past this many changed slices, indexing them all again is as cheap. */
const MAX_CHANGED_SLICES = 64;

/**
 * The last index with a few slices changed, when `slices` are the last ones but for a few
 * positions (slices edited in place, the commonest watch event: a Pod ready or gone) or for one
 * run of slices added or removed (a Service's come or gone with a Gateway): only the Services
 * those slices belong to, before and after, get new lists, and only their namespaces new Maps.
 * Else undefined.
 */
export function withSlicesReplaced(lastSlices: readonly ParsedEndpointSlice[], last: SliceIndex, slices: readonly ParsedEndpointSlice[]): SliceIndex | undefined {
  const changed = lastSlices.length === slices.length ? replacedSlices(lastSlices, slices) : slicesAddedOrRemoved(lastSlices, slices);
  if (changed === undefined) return undefined;
  const next = new Map(last);
  const copied = new Map<string, Map<string, ParsedEndpointSlice[]>>();
  const servicesIn = (namespace: string): Map<string, ParsedEndpointSlice[]> => {
    let services = copied.get(namespace);
    if (services === undefined) copied.set(namespace, (services = new Map(last.get(namespace) as ReadonlyMap<string, ParsedEndpointSlice[]> | undefined)));
    return services;
  };
  // Every slice leaves its Service before any joins one: a slice may have moved to another place.
  for (const before of changed.left) {
    if (before.serviceName !== '') {
      const services = servicesIn(before.meta.namespace);
      const list = services.get(before.serviceName) ?? [];
      const rest = list.filter((s) => s !== before);
      if (rest.length === list.length) return undefined;
      if (rest.length > 0) services.set(before.serviceName, rest);
      else services.delete(before.serviceName);
    }
  }
  for (const after of changed.joined) {
    if (after.serviceName !== '') {
      const services = servicesIn(after.meta.namespace);
      const list = [...(services.get(after.serviceName) ?? []), after];
      if (list.length > 1) list.sort((a, b) => compareStrings(a.meta.name, b.meta.name));
      services.set(after.serviceName, list);
    }
  }
  for (const [namespace, services] of copied) {
    if (services.size > 0) next.set(namespace, services);
    else next.delete(namespace);
  }
  return next;
}

/** The slices that left the index and those that joined it, between two lists of slices. */
interface SlicesChanged {
  readonly left: readonly ParsedEndpointSlice[];
  readonly joined: readonly ParsedEndpointSlice[];
}

/** The slices at the few positions where two lists of one length differ; undefined past MAX_CHANGED_SLICES. */
function replacedSlices(lastSlices: readonly ParsedEndpointSlice[], slices: readonly ParsedEndpointSlice[]): SlicesChanged | undefined {
  const left: ParsedEndpointSlice[] = [];
  const joined: ParsedEndpointSlice[] = [];
  for (let i = 0; i < slices.length; i++) {
    if (slices[i] === lastSlices[i]) continue;
    if (left.length === MAX_CHANGED_SLICES) return undefined;
    left.push(lastSlices[i]!);
    joined.push(slices[i]!);
  }
  return { left, joined };
}

/**
 * The slices of the one run where two lists differ (the rest the same before and after it):
 * those of the last list left, those of the new one joined; undefined past MAX_CHANGED_SLICES.
 */
function slicesAddedOrRemoved(lastSlices: readonly ParsedEndpointSlice[], slices: readonly ParsedEndpointSlice[]): SlicesChanged | undefined {
  const { prefix, suffix } = sharedEnds(lastSlices, slices);
  const left = lastSlices.slice(prefix, lastSlices.length - suffix);
  const joined = slices.slice(prefix, slices.length - suffix);
  return left.length > MAX_CHANGED_SLICES || joined.length > MAX_CHANGED_SLICES ? undefined : { left, joined };
}

