// The observed side of plan: the snapshot's raw objects indexed by identity. Informer lists
// often omit `apiVersion`/`kind` on items, so the kind comes from the list an object sits in.

import type { KubeObject } from '../model/kube.js';
import type { Snapshot } from '../model/snapshot.js';
import { isJsonObject } from './compare.js';
import { identityKey, type IdentityKey } from './identity.js';

/** Which snapshot list holds which kind, and the apiVersion to assume when an item has none. */
const LISTS: readonly { readonly list: keyof Snapshot; readonly group: string; readonly kind: string; readonly apiVersion: string }[] = [
  { list: 'gatewayClasses', group: 'gateway.networking.k8s.io', kind: 'GatewayClass', apiVersion: 'gateway.networking.k8s.io/v1' },
  { list: 'gateways', group: 'gateway.networking.k8s.io', kind: 'Gateway', apiVersion: 'gateway.networking.k8s.io/v1' },
  { list: 'tcpRoutes', group: 'gateway.networking.k8s.io', kind: 'TCPRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2' },
  { list: 'udpRoutes', group: 'gateway.networking.k8s.io', kind: 'UDPRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2' },
  { list: 'services', group: '', kind: 'Service', apiVersion: 'v1' },
  { list: 'endpointSlices', group: 'discovery.k8s.io', kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1' },
];

/**
 * Indexes every observed object that plan may write, by identity. Items without a string
 * `metadata.name` are skipped: they cannot be addressed, and reconcile already reported them.
 * When two items share an identity the first wins, so the result does not depend on list order
 * only when the input has no duplicates (the API server never returns any).
 */
export function indexObserved(observed: Snapshot): Map<IdentityKey, KubeObject> {
  const index = new Map<IdentityKey, KubeObject>();
  for (const { list, group, kind, apiVersion } of LISTS) {
    const items = observed[list];
    if (!Array.isArray(items)) continue;
    for (const raw of items as readonly unknown[]) {
      if (!isJsonObject(raw) || !isJsonObject(raw['metadata'])) continue;
      const metadata = raw['metadata'];
      const name = metadata['name'];
      if (typeof name !== 'string' || name === '') continue;
      const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
      const key = identityKey(group, kind, namespace, name);
      if (index.has(key)) continue;
      // Copy only when the item lacks its type fields (informer lists); most items are used as is.
      const object = (
        raw['kind'] === kind && typeof raw['apiVersion'] === 'string'
          ? raw
          : { ...raw, apiVersion: typeof raw['apiVersion'] === 'string' ? raw['apiVersion'] : apiVersion, kind }
      ) as KubeObject;
      index.set(key, object);
    }
  }
  return index;
}
