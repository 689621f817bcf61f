// The body of an update: what core sends back when an object differs from desired. Generated
// objects keep whatever the server or others added (clusterIP, nodePorts, foreign labels), with
// core's fields laid over them. Edited objects are already whole; they only need the observed
// resourceVersion so that a concurrent change fails with 409 instead of being overwritten.

import type { KubeObject } from '../model/kube.js';
import { hasStaleLoadBalancerIP, isJsonObject, type JsonObject } from './compare.js';
import { recordedInfrastructureKeys } from '../model/infrastructure-record.js';
import { OWNED_ANNOTATION_KEYS } from '../model/labels.js';

/**
 * Lays `desired` over `observed`: objects merge key by key, arrays of equal length merge element
 * by element (so a Service port keeps its allocated `nodePort`), anything else is replaced.
 */
export function overlay(observed: unknown, desired: unknown): unknown {
  if (desired === undefined) return observed;
  if (Array.isArray(desired)) {
    if (!Array.isArray(observed) || observed.length !== desired.length) return desired;
    return desired.map((item: unknown, i) => overlay(observed[i], item));
  }
  if (isJsonObject(desired)) {
    if (!isJsonObject(observed)) return desired;
    const merged: Record<string, unknown> = { ...observed };
    for (const [key, value] of Object.entries(desired)) merged[key] = overlay(observed[key], value);
    return merged;
  }
  return desired;
}

/** The update body for a generated object: observed, with core's fields laid over it. */
export function mergeGenerated(desired: KubeObject, observed: KubeObject): KubeObject {
  const om = observed.metadata;
  const dm = desired.metadata;
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(observed)) {
    if (key !== 'status') body[key] = value;
  }
  for (const [key, value] of Object.entries(desired)) {
    if (key !== 'metadata' && key !== 'status') body[key] = overlay(observed[key], value);
  }
  if (hasStaleLoadBalancerIP(desired as unknown as JsonObject, observed as unknown as JsonObject)) {
    const { loadBalancerIP: _stale, ...spec } = body['spec'] as JsonObject;
    body['spec'] = spec;
  }
  // Infrastructure keys l4gw put there and no longer wants are left out, record included, so
  // that the apply removes them (GW8, model/infrastructure-record.ts); so are the announcer
  // annotations of every style (DP6). Desired lays its own back.
  const stale = recordedInfrastructureKeys(om.annotations);
  const metadata: Record<string, unknown> = {
    ...om,
    labels: { ...without(om.labels, stale.labels), ...dm.labels },
    annotations: { ...without(om.annotations, [...stale.annotations, ...OWNED_ANNOTATION_KEYS]), ...dm.annotations },
  };
  if (dm.ownerReferences !== undefined) metadata['ownerReferences'] = dm.ownerReferences;
  delete metadata['managedFields'];
  body['metadata'] = metadata;
  return body as unknown as KubeObject;
}

function without(record: Readonly<Record<string, string>> | undefined, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = { ...record };
  for (const key of keys) delete out[key];
  return out;
}

/** The update body for an edited object: desired whole, at the observed resourceVersion. */
export function withResourceVersion(desired: KubeObject, observed: JsonObject): KubeObject {
  const om = isJsonObject(observed['metadata']) ? observed['metadata'] : {};
  const resourceVersion = om['resourceVersion'];
  const metadata: Record<string, unknown> = { ...desired.metadata };
  delete metadata['managedFields'];
  if (typeof resourceVersion === 'string') metadata['resourceVersion'] = resourceVersion;
  else delete metadata['resourceVersion'];
  return { ...desired, metadata } as unknown as KubeObject;
}
