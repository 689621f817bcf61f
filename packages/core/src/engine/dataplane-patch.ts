// The dataplane after a watch event that changed a few Gateways' resolutions or a few
// EndpointSlices, made from the last result. Only DP1 reads EndpointSlices, and a Gateway that
// takes no part in DP2–DP4 and keeps its part in DP1 (so every Service name is claimed as
// before) changes nothing but its own DP1 objects; so the last result holds but for those. Realising
// every Gateway again cost ~400 ms at 50k Gateways after one slice changed, nearly all of it
// looking up each Gateway's remembered objects; this costs a few lookups per changed Gateway.
//
// It gives exactly what realising from nothing gives (the property tests compare with a result
// made without memory), or undefined when it cannot: then every Gateway is realised again.

import type { ResolvedGateway, SnapshotIndex } from '../model/graph.js';
import { objectKey } from '../model/graph.js';
import type { KubeObject } from '../model/kube.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ParsedEndpointSlice } from '../model/parsed.js';
import { compareInOrder } from '../model/order.js';
import { lowerBound } from '../parse/primitives.js';
import { edited, type Insertion } from './list-copies.js';
import { endpointsListeners, endpointsServiceName, type EndpointSliceLookup } from '../dataplane/endpoints.js';
import { takesPartInSelectorBehaviours, type DataplaneSteps, type EndpointsWork } from '../dataplane/realise.js';

type SliceIndex = SnapshotIndex['endpointSlicesByService'];
/** One namespace's part of a SliceIndex: Service name → its slices. */
type ServicesSlices = ReadonlyMap<string, readonly ParsedEndpointSlice[]>;

/**
 * What DP1 gave, as the next result starts from it. Its claims are patched in place; when a
 * patch then declines, the result made afresh brings new claims.
 */
export interface RememberedEndpoints extends EndpointsWork {
  /** `namespace/name` of a backend Service → the Gateways (places) whose DP1 objects mirror its slices; made on first need. */
  readers?: Map<string, number[]>;
}

/** Past this many changed Gateways (or Services whose slices changed), realising all again is as cheap. */
const MAX_CHANGED = 64;

/**
 * The last sorted objects with the DP1 objects of the Gateways that changed, or that mirror
 * slices that changed, made again, and of one Gateway added or removed; and the work for the
 * next time. Undefined when a changed, added or removed Gateway takes part in DP2–DP4 (before or
 * after), a changed one starts or stops taking part in DP1 or was refused a name, an added one
 * wants a name some claim asked for, a removed one frees a name some claim was refused; or when
 * too much changed. `work.claims` must already observe the Services seen now (./dataplane.ts).
 */
export function withEndpointsReplaced(
  lastObjects: readonly KubeObject[],
  work: RememberedEndpoints,
  gateways: readonly ResolvedGateway[],
  lastIndex: SliceIndex,
  slicesOf: EndpointSliceLookup,
  options: ReconcileOptions,
  steps: DataplaneSteps,
): { objects: KubeObject[]; work: RememberedEndpoints } | undefined {
  const lastGateways = work.gateways;
  const shift = gateways.length - lastGateways.length;
  if (shift < -1 || shift > 1) return undefined;
  // Where the one Gateway was added (in `gateways`) or removed (from the last ones): the first
  // place whose key differs. Gateways are in `namespace/name` order, so the rest keep theirs.
  let place = -1;
  if (shift !== 0) {
    const shorter = Math.min(gateways.length, lastGateways.length);
    place = 0;
    while (place < shorter && gateways[place]!.key === lastGateways[place]!.key) place++;
  }
  /** The last place of the Gateway now at `i` (not the one added). */
  const lastPlace = (i: number): number => (shift === 0 || i < place ? i : i - shift);
  const changedGateways: number[] = [];
  for (let i = 0; i < gateways.length; i++) {
    if (shift === 1 && i === place) continue;
    const j = lastPlace(i);
    const before = lastGateways[j]!;
    const after = gateways[i]!;
    if (before === after) continue;
    if (changedGateways.length === MAX_CHANGED || before.key !== after.key || work.names[j] === undefined) return undefined;
    if (takesPartInSelectorBehaviours(before) || takesPartInSelectorBehaviours(after)) return undefined;
    if ((endpointsListeners(before).length > 0) !== (endpointsListeners(after).length > 0)) return undefined;
    changedGateways.push(i);
  }
  const added = shift === 1 ? gateways[place]! : undefined;
  const removed = shift === -1 ? lastGateways[place]! : undefined;
  if (added !== undefined && takesPartInSelectorBehaviours(added)) return undefined;
  if (removed !== undefined) {
    if (takesPartInSelectorBehaviours(removed)) return undefined;
    // Its DP1 name, given up: a claim refused it may now be granted it.
    const name = work.names[place];
    if (name !== undefined && name !== '' && work.claims.wasRefused(objectKey(removed.gateway.meta.namespace, name))) return undefined;
  }

  // Places are the last ones until the Gateway added or removed is accounted for, below.
  const affected = new Set(changedGateways.map(lastPlace));
  if (slicesOf.index !== lastIndex) {
    const services = changedServices(lastIndex, slicesOf.index);
    if (services === undefined) return undefined;
    // Readers are those of the last Gateways: a Gateway that did not change reads what it read.
    const readers = (work.readers ??= readersOf(lastGateways));
    for (const service of services) for (const at of readers.get(service) ?? []) affected.add(at);
    if (affected.size > MAX_CHANGED) return undefined;
  }

  const edits = new ObjectEdits(lastObjects);
  // Copied at their new length: a copy and then a splice into it are two long arrays at 50k (./list-copies.ts).
  let names: (string | undefined)[];
  let perGateway: (readonly KubeObject[])[];
  if (removed !== undefined) {
    affected.delete(place);
    if (!edits.replace(work.objects[place]!, NO_OBJECTS)) return undefined;
    // Its plain name was its first and only claim: given up, the claims are as if it never asked.
    const name = work.names[place];
    if (name === endpointsServiceName(removed, false)) work.claims.release(objectKey(removed.gateway.meta.namespace, name), removed.key);
    names = work.names.toSpliced(place, 1);
    perGateway = work.objects.toSpliced(place, 1);
  } else if (added !== undefined) {
    const listeners = endpointsListeners(added);
    let name = '';
    let own = NO_OBJECTS;
    if (listeners.length > 0) {
      // Its plain name, when no claim asked for it: granting it then refuses no one (else the
      // order of claims decides, and everything is realised again).
      name = endpointsServiceName(added, false);
      if (!work.claims.grantUnasked(objectKey(added.gateway.meta.namespace, name), added.key)) return undefined;
      own = steps.endpointsObjects(added, listeners, slicesOf, name, options);
    }
    if (!edits.replace(NO_OBJECTS, own)) return undefined;
    names = work.names.toSpliced(place, 0, name);
    perGateway = work.objects.toSpliced(place, 0, own);
  } else {
    names = work.names.slice();
    perGateway = work.objects.slice();
  }

  for (const at of affected) {
    const now = shift === 0 || at < place ? at : at + shift;
    const name = names[now];
    if (name === undefined || name === '') continue;
    const gateway = gateways[now]!;
    const next = steps.endpointsObjects(gateway, endpointsListeners(gateway), slicesOf, name, options);
    if (next === perGateway[now]) continue;
    if (!edits.replace(perGateway[now]!, next)) return undefined;
    perGateway[now] = next;
  }
  const readers = work.readers;
  if (readers !== undefined) {
    if (removed !== undefined) for (const service of servicesRead(removed)) removeReader(readers, service, place);
    if (shift !== 0) renumberReaders(readers, place, shift);
    if (added !== undefined) for (const service of servicesRead(added)) addReader(readers, service, place);
    for (const at of changedGateways) {
      for (const service of servicesRead(lastGateways[lastPlace(at)]!)) removeReader(readers, service, at);
      for (const service of servicesRead(gateways[at]!)) addReader(readers, service, at);
    }
  }
  const objects = edits.result();
  if (objects === undefined) return undefined;
  return { objects, work: { gateways, names, objects: perGateway, claims: work.claims, ...(readers !== undefined ? { readers } : {}) } };
}

/** Moves every reader at or after `place` by `shift` (a Gateway added there, or removed from there). */
function renumberReaders(readers: Map<string, number[]>, place: number, shift: number): void {
  for (const places of readers.values()) for (let i = 0; i < places.length; i++) if (places[i]! >= place) places[i]! += shift;
}

const NO_OBJECTS: readonly KubeObject[] = Object.freeze([]);

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
 * Replacements of objects in the last list (in sortObjects order), gathered and made in one copy
 * at the end (./list-copies.ts): a copy edited in place grows at its first insertion, and at 10k
 * Gateways both are long arrays.
 */
class ObjectEdits {
  /** Places in the last list. */
  private readonly removed = new Set<number>();
  private readonly inserted: KubeObject[] = [];

  constructor(private readonly last: readonly KubeObject[]) {}

  /** Replaces `before` (objects of the last list, or inserted since) by `after`; false when one of `before` is not where it should be. */
  replace(before: readonly KubeObject[], after: readonly KubeObject[]): boolean {
    for (const object of before) {
      const mine = this.inserted.indexOf(object);
      if (mine !== -1) {
        this.inserted.splice(mine, 1);
        continue;
      }
      const at = placeOf(this.last, object);
      if (this.last[at] !== object || this.removed.has(at)) return false;
      this.removed.add(at);
    }
    for (const object of after) this.inserted.push(object);
    return true;
  }

  /**
   * The objects after the replacements, in order; undefined when two have the same key (the
   * order between those would depend on where they came from): the caller then starts afresh.
   */
  result(): KubeObject[] | undefined {
    const last = this.last;
    const inserted = this.inserted.sort(compareInOrder);
    const insertions: Insertion<KubeObject>[] = [];
    for (let i = 0; i < inserted.length; i++) {
      const object = inserted[i]!;
      if (i > 0 && compareInOrder(inserted[i - 1]!, object) === 0) return undefined;
      const at = placeOf(last, object);
      if (at < last.length && !this.removed.has(at) && compareInOrder(last[at]!, object) === 0) return undefined;
      insertions.push({ at, item: object });
    }
    return edited(last, [...this.removed].sort((a, b) => a - b), insertions);
  }
}

function placeOf(objects: readonly KubeObject[], object: KubeObject): number {
  return lowerBound(objects, (o) => compareInOrder(o, object) < 0);
}
