// Watch events the properties replay: each replaces one object of a snapshot by a changed copy.

import { isGenerated, type KubeObject, type Snapshot, type SnapshotList } from '../../src/index.js';

type ListName = SnapshotList;

/** The watch events the one-change property replays: each replaces one object by a changed copy. */
export const CHANGES = [
  'slice endpoints',
  'slice service',
  'service targetPort',
  'gateway address',
  'route weight',
  'route parent',
  'route label',
  'route created',
  'gateway listener',
  'generated Service edited',
  'generated Service announced',
  'service announced',
] as const;

/** Route labels a change draws from: a behaviour, none, and one naming no behaviour (a warning on the Gateway it wins). */
const ROUTE_LABELS = [{}, { serviceBehaviour: 'create' }, { serviceBehaviour: 'bogus' }, { serviceBehaviour: 'duplicate' }];

type Raw = Record<string, unknown> & { metadata: Record<string, unknown>; spec?: Record<string, unknown> };

/** The snapshot with one object of the kind `change` names (the `pick`-th) replaced by a changed copy, as a new object with a new resourceVersion. */
export function changeOne(snapshot: Snapshot, change: (typeof CHANGES)[number], pick: number): Snapshot {
  const list = {
    'slice endpoints': 'endpointSlices',
    'slice service': 'endpointSlices',
    'service targetPort': 'services',
    'gateway address': 'gateways',
    'route weight': 'tcpRoutes',
    'route parent': pick % 2 === 0 ? 'tcpRoutes' : 'udpRoutes',
    'route label': 'tcpRoutes',
    'route created': pick % 2 === 0 ? 'tcpRoutes' : 'udpRoutes',
    'gateway listener': 'gateways',
    'generated Service edited': 'services',
    'generated Service announced': 'services',
    'service announced': 'services',
  }[change] as ListName;
  const items = [...snapshot[list]] as Raw[];
  // A user's object changes (an informer event), or someone else edits a Service l4gw
  // generated (plan must notice and write it back).
  const wantGenerated = change === 'generated Service edited' || change === 'generated Service announced';
  const candidates = items.map((_, i) => i).filter((i) => isGenerated(items[i] as unknown as KubeObject) === wantGenerated);
  if (candidates.length === 0) return snapshot;
  const index = candidates[pick % candidates.length]!;
  const copy = structuredClone(items[index]!);
  copy.metadata['resourceVersion'] = `${String(copy.metadata['resourceVersion'] ?? '1')}.${pick}`;
  const spec = copy.spec ?? {};
  switch (change) {
    case 'slice endpoints':
      copy['endpoints'] = [...((copy['endpoints'] as unknown[]) ?? []), { addresses: [`10.9.${pick % 250}.1`], conditions: { ready: pick % 2 === 0 } }];
      break;
    case 'slice service':
      // The slice moves to another Service, or belongs to none.
      copy.metadata['labels'] = { ...(copy.metadata['labels'] as object), 'kubernetes.io/service-name': ['s1', 's2', 's3', ''][pick % 4] };
      break;
    case 'service targetPort':
      spec['ports'] = ((spec['ports'] as Record<string, unknown>[]) ?? []).map((p) => ({ ...p, targetPort: pick % 2 === 0 ? 9090 : 'http' }));
      break;
    case 'gateway address':
      copy['status'] = { ...((copy['status'] as object) ?? {}), addresses: [{ type: 'IPAddress', value: poolAddress(pick) }] };
      break;
    case 'route weight':
      spec['rules'] = ((spec['rules'] as { backendRefs?: Record<string, unknown>[] }[]) ?? []).map((r) => ({ ...r, backendRefs: (r.backendRefs ?? []).map((b) => ({ ...b, weight: pick % 2 })) }));
      break;
    case 'route parent':
      // Another Gateway, another listener, or none that matches (the route leaves its listener).
      spec['parentRefs'] = [{ name: ['g1', 'g2', 'g3'][pick % 3], ...(pick % 4 === 3 ? { sectionName: 'nope' } : {}) }];
      break;
    case 'route label':
      copy.metadata['labels'] = ROUTE_LABELS[pick % ROUTE_LABELS.length];
      break;
    case 'route created':
      // Older or newer than the others: the listener's winner may change (RT5).
      copy.metadata['creationTimestamp'] = pick % 2 === 0 ? '2025-01-01T00:00:00Z' : '2027-01-01T00:00:00Z';
      break;
    case 'gateway listener':
      spec['listeners'] = ((spec['listeners'] as Record<string, unknown>[]) ?? []).map((l, i) => (i === 0 ? { ...l, port: 80 + (pick % 3) } : l));
      break;
    case 'generated Service edited':
      spec['ports'] = ((spec['ports'] as Record<string, unknown>[]) ?? []).map((p, i) => (i === 0 ? { ...p, port: 1 + (pick % 1000) } : p));
      break;
    case 'generated Service announced': {
      // The load balancer writes back the address the Service asks for (IPAM reads nothing new),
      // or another one, maybe another Gateway's (it reads a new use).
      const annotated = Object.values((copy.metadata['annotations'] as Record<string, string>) ?? {}).map((v) => v.split(',')[0]!.trim());
      const asked = typeof spec['loadBalancerIP'] === 'string' ? spec['loadBalancerIP'] : annotated.find((v) => /^\d+\.\d+\.\d+\.\d+$/.test(v));
      copy['status'] = { loadBalancer: { ingress: [{ ip: pick % 2 === 0 && asked !== undefined ? asked : poolAddress(pick) }] } };
      break;
    }
    case 'service announced':
      // A user's LoadBalancer Service is given an address, maybe a Gateway's, or loses it.
      copy['status'] = pick % 3 === 2 ? {} : { loadBalancer: { ingress: [{ ip: poolAddress(pick) }] } };
      break;
  }
  items[index] = copy;
  return { ...snapshot, [list]: items };
}

/** An address of the properties' global pool (192.0.2.10-192.0.2.20), so Gateways may hold it. */
function poolAddress(pick: number): string {
  return `192.0.2.${10 + (pick % 11)}`;
}
