// A pure stand-in for the API server, for tests: applies plan's actions to a snapshot the way
// kube-apiserver would, so "apply the plan, reconcile again" can be checked without a cluster.
// It does what matters for a fixpoint: optimistic concurrency (resourceVersion), uid and
// creationTimestamp on create, generation bumped by spec changes only, status kept by `update`
// and changed only by `updateStatus`, and the Service defaults that must not look like drift
// (clusterIP, targetPort, nodePorts for LoadBalancer Services, cleared again for ClusterIP).

import { SNAPSHOT_LIST_OF_KIND, type Action, type Snapshot, type SnapshotList } from '../../src/index.js';

type Lists = { -readonly [K in SnapshotList]-?: unknown[] };
type JsonRecord = Record<string, unknown>;


/** Raised for a write the real API server would refuse (409 conflict, 404, 409 on create). */
export class ApiError extends Error {}

/** Applies `actions` in order to a copy of `snapshot` and returns the copy; `snapshot` is unchanged. */
export function applyActions(snapshot: Snapshot, actions: readonly Action[], now = '2026-06-01T00:00:00Z'): Snapshot {
  const lists: Lists = {
    gatewayClasses: [...snapshot.gatewayClasses],
    gateways: [...snapshot.gateways],
    listenerSets: [...snapshot.listenerSets],
    tcpRoutes: [...snapshot.tcpRoutes],
    udpRoutes: [...snapshot.udpRoutes],
    referenceGrants: [...snapshot.referenceGrants],
    namespaces: [...snapshot.namespaces],
    services: [...snapshot.services],
    endpointSlices: [...snapshot.endpointSlices],
    configMaps: [...snapshot.configMaps],
  };
  let version = maxResourceVersion(lists) + 1;
  const nextVersion = () => String(version++);

  for (const action of actions) {
    const kind = action.verb === 'create' || action.verb === 'update' ? action.object.kind : action.target.kind;
    const listName = SNAPSHOT_LIST_OF_KIND[kind];
    if (listName === undefined) throw new ApiError(`unknown kind ${kind}`);
    const list = lists[listName];
    const namespace = action.verb === 'create' || action.verb === 'update' ? action.object.metadata.namespace : action.target.namespace;
    const name = action.verb === 'create' || action.verb === 'update' ? action.object.metadata.name : action.target.name;
    const at = list.findIndex((raw) => {
      const m = metaOf(raw);
      return m['name'] === name && (m['namespace'] ?? undefined) === namespace;
    });
    const current = at < 0 ? undefined : (list[at] as JsonRecord);

    switch (action.verb) {
      case 'create': {
        if (current !== undefined) throw new ApiError(`create ${kind} ${namespace}/${name}: already exists`);
        const object = clone(action.object) as JsonRecord;
        const metadata = { ...(object['metadata'] as JsonRecord) };
        metadata['uid'] = `uid-${kind}-${namespace ?? ''}-${name}`;
        metadata['resourceVersion'] = nextVersion();
        metadata['generation'] = 1;
        metadata['creationTimestamp'] = now;
        object['metadata'] = metadata;
        if (kind === 'Service') object['spec'] = serviceDefaults(object['spec'], undefined);
        list.push(object);
        break;
      }
      case 'update': {
        if (current === undefined) throw new ApiError(`update ${kind} ${namespace}/${name}: not found`);
        const sent = clone(action.object) as JsonRecord;
        const sentMeta = sent['metadata'] as JsonRecord;
        const currentMeta = metaOf(current);
        if (sentMeta['resourceVersion'] !== currentMeta['resourceVersion']) {
          throw new ApiError(`update ${kind} ${namespace}/${name}: resourceVersion ${String(sentMeta['resourceVersion'])} is stale`);
        }
        if (kind === 'Service') sent['spec'] = serviceDefaults(sent['spec'], current['spec']);
        const specChanged = JSON.stringify(withoutMetaAndStatus(sent)) !== JSON.stringify(withoutMetaAndStatus(current));
        const generation = typeof currentMeta['generation'] === 'number' ? currentMeta['generation'] : 1;
        sent['metadata'] = {
          ...sentMeta,
          uid: currentMeta['uid'],
          creationTimestamp: currentMeta['creationTimestamp'],
          resourceVersion: nextVersion(),
          generation: specChanged ? generation + 1 : generation,
        };
        if ('status' in current) sent['status'] = current['status'];
        else delete sent['status'];
        list[at] = sent;
        break;
      }
      case 'delete': {
        if (current === undefined) throw new ApiError(`delete ${kind} ${namespace}/${name}: not found`);
        if (action.uid !== undefined && metaOf(current)['uid'] !== action.uid) throw new ApiError(`delete ${kind} ${namespace}/${name}: uid precondition failed`);
        list.splice(at, 1);
        break;
      }
      case 'updateStatus': {
        if (current === undefined) throw new ApiError(`updateStatus ${kind} ${namespace}/${name}: not found`);
        const currentMeta = metaOf(current);
        if (action.resourceVersion !== undefined && action.resourceVersion !== currentMeta['resourceVersion']) {
          throw new ApiError(`updateStatus ${kind} ${namespace}/${name}: resourceVersion is stale`);
        }
        list[at] = { ...current, metadata: { ...currentMeta, resourceVersion: nextVersion() }, status: clone(action.status) };
        break;
      }
    }
  }

  // What is not an object list (CRD bundle versions, held-back addresses) is no write's business.
  return { ...snapshot, ...lists };
}

/** Service defaults the API server fills in (and clears when the type goes back to ClusterIP). */
function serviceDefaults(spec: unknown, previous: unknown): JsonRecord {
  const s: JsonRecord = isRecord(spec) ? { ...spec } : {};
  const prev: JsonRecord = isRecord(previous) ? previous : {};
  s['clusterIP'] ??= prev['clusterIP'] ?? '10.96.0.1';
  s['type'] ??= 'ClusterIP';
  const needsNodePorts = s['type'] === 'LoadBalancer' || s['type'] === 'NodePort';
  const previousPorts = Array.isArray(prev['ports']) ? prev['ports'].filter(isRecord) : [];
  if (Array.isArray(s['ports'])) {
    s['ports'] = s['ports'].filter(isRecord).map((port, i) => {
      const p: JsonRecord = { ...port };
      p['protocol'] ??= 'TCP';
      p['targetPort'] ??= p['port'];
      if (needsNodePorts) {
        const old = previousPorts.find((o) => o['port'] === p['port'] && (o['protocol'] ?? 'TCP') === p['protocol']);
        p['nodePort'] ??= old?.['nodePort'] ?? 30000 + i;
      } else if (prev['type'] !== undefined && prev['type'] !== s['type']) {
        delete p['nodePort'];
      }
      return p;
    });
  }
  return s;
}

function withoutMetaAndStatus(object: JsonRecord): JsonRecord {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

function maxResourceVersion(lists: Lists): number {
  let max = 0;
  for (const list of Object.values(lists)) {
    for (const raw of list) {
      const rv = Number(metaOf(raw)['resourceVersion']);
      if (Number.isFinite(rv) && rv > max) max = rv;
    }
  }
  return max;
}

function metaOf(raw: unknown): JsonRecord {
  return isRecord(raw) && isRecord(raw['metadata']) ? raw['metadata'] : {};
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
