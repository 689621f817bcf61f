// Builders of desired and observed objects for plan's tests (not exported from the package).

import type { Desired } from '../model/desired.js';
import type { KubeObject } from '../model/kube.js';
import { LABEL_MANAGED_BY, MANAGED_BY_VALUE } from '../model/labels.js';
import { emptySnapshot, type Snapshot } from '../model/snapshot.js';

export const ours = { [LABEL_MANAGED_BY]: MANAGED_BY_VALUE };

export function desired(partial: Partial<Desired>): Desired {
  return { statuses: [], objects: [], events: [], diagnostics: [], poolUsage: [], addresses: [], ...partial };
}

export function service(name: string, labels: Record<string, string>, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', labels, ...extra }, spec };
}

export const generated = service('gw-class', ours, {
  type: 'LoadBalancer',
  loadBalancerIP: '10.0.0.1',
  ports: [{ name: 'tcp', port: 80, protocol: 'TCP' }],
});

/** The same Service as the API server returns it: defaults and server metadata added. */
export const served = service(
  'gw-class',
  { ...ours, 'someone.else/label': 'x' },
  {
    type: 'LoadBalancer',
    loadBalancerIP: '10.0.0.1',
    clusterIP: '10.96.0.10',
    sessionAffinity: 'None',
    ports: [{ name: 'tcp', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 31000 }],
  },
  { uid: 'u1', resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z' },
);

export function observed(partial: Partial<Snapshot>): Snapshot {
  return { ...emptySnapshot(), ...partial };
}
