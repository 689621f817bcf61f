// Which Gateway API kinds and versions the API server serves, and the bundle-version of each
// installed Gateway API CRD (GC3). A kind that is not served is simply absent: its informer is
// not started, its snapshot list stays empty, and the rest keeps working.

import { HttpMethod } from '@kubernetes/client-node';
import type { KubeObject } from '@l4gw/core';
import { isApiError, type KubeRest } from '../kube/rest.js';
import { CORE_TYPES, type ResourceType } from '../kube/resources.js';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const BUNDLE_VERSION_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';

/** The Gateway API kinds l4gw reads, with the versions it accepts in order of preference (RT1). */
export const GATEWAY_KINDS = {
  gatewayClasses: { kind: 'GatewayClass', resource: 'gatewayclasses', namespaced: false, versions: ['v1'] },
  gateways: { kind: 'Gateway', resource: 'gateways', namespaced: true, versions: ['v1'] },
  // Standard since Gateway API v1.6 (LS1–LS4); absent on older CRDs, then no ListenerSet is read.
  listenerSets: { kind: 'ListenerSet', resource: 'listenersets', namespaced: true, versions: ['v1'] },
  tcpRoutes: { kind: 'TCPRoute', resource: 'tcproutes', namespaced: true, versions: ['v1', 'v1alpha2'] },
  udpRoutes: { kind: 'UDPRoute', resource: 'udproutes', namespaced: true, versions: ['v1', 'v1alpha2'] },
  referenceGrants: {
    kind: 'ReferenceGrant',
    resource: 'referencegrants',
    namespaced: true,
    versions: ['v1', 'v1beta1'],
  },
} as const;

export type GatewayKind = keyof typeof GATEWAY_KINDS;

export interface Discovery {
  /** The served type chosen for each Gateway API kind; absent when its CRD is not installed. */
  readonly types: Partial<Record<GatewayKind, ResourceType>>;
  /** bundle-version by CRD name; undefined when CRDs cannot be read (RBAC), which GC3 treats as supported. */
  readonly bundleVersions: Readonly<Record<string, string>> | undefined;
}

/** A stable string for change detection between two discoveries. */
export function discoveryKey(d: Discovery): string {
  const types = Object.entries(d.types)
    .map(([k, t]) => `${k}=${t?.version}`)
    .sort();
  const bundles = d.bundleVersions ? Object.entries(d.bundleVersions).sort() : null;
  return JSON.stringify({ types, bundles });
}

/**
 * Asks the API server which Gateway API versions it serves and reads the CRDs' bundle-version
 * annotations. Missing CRDs yield missing kinds; a 403 on CRDs yields `bundleVersions: undefined`.
 */
export async function discover(rest: KubeRest, signal?: AbortSignal): Promise<Discovery> {
  const served = new Map<string, Set<string>>(); // version -> resource names
  try {
    const group = await rest.request<{ versions?: { version: string }[] }>(HttpMethod.GET, `/apis/${GATEWAY_GROUP}`, {
      signal,
    });
    for (const { version } of group.versions ?? []) {
      const list = await rest.request<{ resources?: { name: string }[] }>(
        HttpMethod.GET,
        `/apis/${GATEWAY_GROUP}/${version}`,
        { signal },
      );
      served.set(version, new Set((list.resources ?? []).map((r) => r.name)));
    }
  } catch (err) {
    if (!isApiError(err, 404)) throw err;
  }
  const types: Partial<Record<GatewayKind, ResourceType>> = {};
  for (const [key, spec] of Object.entries(GATEWAY_KINDS) as [GatewayKind, (typeof GATEWAY_KINDS)[GatewayKind]][]) {
    const version = spec.versions.find((v) => served.get(v)?.has(spec.resource));
    if (version) {
      types[key] = {
        group: GATEWAY_GROUP,
        version,
        resource: spec.resource,
        kind: spec.kind,
        namespaced: spec.namespaced,
      };
    }
  }
  let bundleVersions: Record<string, string> | undefined;
  try {
    // Metadata only: CRD schemas are large and the annotation is all l4gw needs.
    const crds = await rest.resourceRequest<{ items?: { metadata: KubeObject['metadata'] }[] }>(
      HttpMethod.GET,
      CORE_TYPES.crds,
      {},
      { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', signal },
    );
    bundleVersions = {};
    for (const crd of crds.items ?? []) {
      const bundle = crd.metadata.annotations?.[BUNDLE_VERSION_ANNOTATION];
      if (crd.metadata.name.endsWith(`.${GATEWAY_GROUP}`) && bundle) bundleVersions[crd.metadata.name] = bundle;
    }
  } catch (err) {
    if (!isApiError(err, 403) && !isApiError(err, 401)) throw err;
    bundleVersions = undefined;
  }
  return { types, bundleVersions };
}

/**
 * Damps discovery blips: a kind that was served and is now missing stays enabled until it has been
 * missing `threshold` times in a row. An API server that is still starting (after a restart, say)
 * can briefly serve discovery without the CRDs; disabling Gateways then would make the next
 * reconcile see no Gateway and collect every generated object (DP8). `misses` carries the
 * consecutive-miss count per kind between calls.
 */
export function stabilizeDiscovery(
  previous: Discovery,
  next: Discovery,
  misses: Map<GatewayKind, number>,
  threshold = 2,
): Discovery {
  const types: Partial<Record<GatewayKind, ResourceType>> = { ...next.types };
  for (const kind of Object.keys(GATEWAY_KINDS) as GatewayKind[]) {
    if (next.types[kind]) {
      misses.delete(kind);
      continue;
    }
    const before = previous.types[kind];
    if (!before) continue;
    const count = (misses.get(kind) ?? 0) + 1;
    misses.set(kind, count);
    if (count < threshold) types[kind] = before;
  }
  return { types, bundleVersions: next.bundleVersions ?? previous.bundleVersions };
}
