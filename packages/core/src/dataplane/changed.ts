// The dataplane after a watch event that changed a few Gateways' resolutions or a few
// EndpointSlices, made from the last result. Only DP1 reads EndpointSlices, and a Gateway that
// takes no part in DP2–DP4 and keeps its part in DP1 (so every Service name is claimed as
// before) changes nothing but its own DP1 objects; so the last result holds but for those. Realising
// every Gateway again cost ~400 ms at 50k Gateways after one slice changed, nearly all of it
// looking up each Gateway's remembered objects; this costs a few lookups per changed Gateway.
//
// It gives exactly what realising from nothing gives (the property tests compare with a result
// made without memory), or undefined when it cannot: then every Gateway is realised again.

import type { ResolvedGateway, RealisedListener, SnapshotIndex } from '../model/graph.js';
import type { KubeObject } from '../model/kube.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ParsedEndpointSlice } from '../model/parsed.js';
import { compareInOrder } from '../model/order.js';
import { lowerBound } from '../parse/primitives.js';
import { endpointsObjects, type EndpointSliceLookup, type EndpointsMemory } from './endpoints.js';

type SliceIndex = SnapshotIndex['endpointSlicesByService'];
/** One namespace's part of a SliceIndex: Service name → its slices. */
type ServicesSlices = ReadonlyMap<string, readonly ParsedEndpointSlice[]>;

/** What realising Gateways in DP1 gave, per Gateway in graph order, for the next result to start from. */
export interface EndpointsWork {
  readonly gateways: readonly ResolvedGateway[];
  /** The DP1 Service name each was granted; '' when it realises no DP1 listener, undefined when refused. */
  readonly names: readonly (string | undefined)[];
  readonly objects: readonly (readonly KubeObject[])[];
  /** `namespace/name` of a backend Service → the Gateways (places) whose DP1 objects mirror its slices; made on first need. */
  readers?: Map<string, number[]>;
}

/** Past this many changed Gateways (or Services whose slices changed), realising all again is as cheap. */
const MAX_CHANGED = 64;

/**
 * The listeners of a Gateway that DP1 realises: those whose winning route uses `endpoints`, and
 * (DP0) those no route has won yet, whatever behaviour a future route may bring. So a Programmed
 * Gateway's VIP is on a Service from the start, visible to the announcer and to every allocator
 * that reads Services; a listener moves to its selector Service (DP2–DP4) once such a route wins.
 */
export function endpointsListeners(gateway: ResolvedGateway): readonly RealisedListener[] {
  return gateway.realisable ? gateway.listeners.filter((l) => l.winner === undefined || l.winner.behaviour === 'endpoints') : [];
}

/** True when the Gateway has a listener realised through its single backend (DP2, DP3, DP4). */
function takesPartInSelectorBehaviours(gateway: ResolvedGateway): boolean {
  return gateway.realisable && gateway.listeners.some((l) => l.winner !== undefined && l.winner.behaviour !== 'endpoints');
}

/**
 * The last sorted objects with the DP1 objects of the Gateways that changed, or that mirror
 * slices that changed, made again; and the work for the next time. Undefined when a changed
 * Gateway is another one, takes part in DP2–DP4 (before or after), starts or stops taking part
 * in DP1, or was refused a name; or when too much changed.
 */
export function withEndpointsReplaced(
  lastObjects: readonly KubeObject[],
  work: EndpointsWork,
  gateways: readonly ResolvedGateway[],
  lastIndex: SliceIndex,
  slicesOf: EndpointSliceLookup,
  options: ReconcileOptions,
  memory: EndpointsMemory,
): { objects: KubeObject[]; work: EndpointsWork } | undefined {
  const lastGateways = work.gateways;
  if (lastGateways.length !== gateways.length) return undefined;
  const changedGateways: number[] = [];
  for (let i = 0; i < gateways.length; i++) {
    const before = lastGateways[i]!;
    const after = gateways[i]!;
    if (before === after) continue;
    if (changedGateways.length === MAX_CHANGED || before.key !== after.key || work.names[i] === undefined) return undefined;
    if (takesPartInSelectorBehaviours(before) || takesPartInSelectorBehaviours(after)) return undefined;
    if ((endpointsListeners(before).length > 0) !== (endpointsListeners(after).length > 0)) return undefined;
    changedGateways.push(i);
  }
  const affected = new Set(changedGateways);
  if (slicesOf.index !== lastIndex) {
    const services = changedServices(lastIndex, slicesOf.index);
    if (services === undefined) return undefined;
    // Readers are those of the last Gateways: a Gateway that did not change reads what it read.
    const readers = (work.readers ??= readersOf(lastGateways));
    for (const service of services) for (const place of readers.get(service) ?? []) affected.add(place);
    if (affected.size > MAX_CHANGED) return undefined;
  }

  const objects = lastObjects.slice();
  const perGateway = work.objects.slice();
  for (const place of affected) {
    const name = work.names[place];
    if (name === undefined || name === '') continue;
    const gateway = gateways[place]!;
    const next = endpointsObjects(gateway, endpointsListeners(gateway), slicesOf, name, options, memory);
    if (next === perGateway[place]) continue;
    if (!replaceInOrder(objects, perGateway[place]!, next)) return undefined;
    perGateway[place] = next;
  }
  const readers = work.readers;
  if (readers !== undefined) {
    for (const place of changedGateways) {
      for (const service of servicesRead(lastGateways[place]!)) removeReader(readers, service, place);
      for (const service of servicesRead(gateways[place]!)) addReader(readers, service, place);
    }
  }
  return { objects, work: { gateways, names: work.names, objects: perGateway, ...(readers !== undefined ? { readers } : {}) } };
}

/** `namespace/name` of each Service whose list of slices differs between the two indexes; undefined past MAX_CHANGED. */
function changedServices(last: SliceIndex, index: SliceIndex): string[] | undefined {
  const changed: string[] = [];
  const compare = (namespace: string, before: ServicesSlices | undefined, after: ServicesSlices | undefined): boolean => {
    if (before === after) return true;
    for (const [service, list] of after ?? []) if (before?.get(service) !== list) changed.push(`${namespace}/${service}`);
    for (const service of before?.keys() ?? []) if (!after?.has(service)) changed.push(`${namespace}/${service}`);
    return changed.length <= MAX_CHANGED;
  };
  for (const [namespace, after] of index) if (!compare(namespace, last.get(namespace), after)) return undefined;
  for (const [namespace, before] of last) if (!index.has(namespace) && !compare(namespace, before, undefined)) return undefined;
  return changed;
}

/** The backend Services whose slices a Gateway's DP1 objects mirror, as `namespace/name`. */
function servicesRead(gateway: ResolvedGateway): string[] {
  const out: string[] = [];
  for (const listener of endpointsListeners(gateway)) {
    for (const backend of listener.winner?.backends ?? []) {
      const service = backend.target?.service;
      if (service !== undefined) out.push(`${service.meta.namespace}/${service.meta.name}`);
    }
  }
  return out;
}

function readersOf(gateways: readonly ResolvedGateway[]): Map<string, number[]> {
  const readers = new Map<string, number[]>();
  gateways.forEach((gateway, place) => {
    for (const service of servicesRead(gateway)) addReader(readers, service, place);
  });
  return readers;
}

function addReader(readers: Map<string, number[]>, service: string, place: number): void {
  const places = readers.get(service);
  if (places === undefined) readers.set(service, [place]);
  else if (!places.includes(place)) places.push(place);
}

function removeReader(readers: Map<string, number[]>, service: string, place: number): void {
  const places = readers.get(service);
  const at = places?.indexOf(place) ?? -1;
  if (at !== -1) places!.splice(at, 1);
}

/**
 * Replaces `before` by `after` in `objects`, which is in sortObjects order, keeping that order.
 * False when an object is not where it should be or another object has the same key (the order
 * between those would depend on where they came from): the caller then starts afresh.
 */
function replaceInOrder(objects: KubeObject[], before: readonly KubeObject[], after: readonly KubeObject[]): boolean {
  for (const object of before) {
    const at = placeOf(objects, object);
    if (objects[at] !== object) return false;
    objects.splice(at, 1);
  }
  for (const object of after) {
    const at = placeOf(objects, object);
    if (at < objects.length && compareInOrder(objects[at]!, object) === 0) return false;
    objects.splice(at, 0, object);
  }
  return true;
}

function placeOf(objects: readonly KubeObject[], object: KubeObject): number {
  return lowerBound(objects, (o) => compareInOrder(o, object) < 0);
}
