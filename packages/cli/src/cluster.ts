// An in-memory stand-in for the API server, so `reconcile` and `ipam` can run core offline on
// manifests: it fills in what the API server would (namespace, uid, generation, creation time),
// refuses two different objects with one name, sorts objects into core's Snapshot and applies
// core's plan the way the adapter would.

import { createHash } from 'node:crypto';
import type { Action, KubeObject, ObjectMeta, ObjectRef, Snapshot } from '@l4gw/core';
import { CliError, ExitCode } from './errors.js';
import type { SourcedObject } from './manifests.js';

/** Kinds without a namespace. Everything else is namespaced (and defaults to `default`, as kubectl does). */
const CLUSTER_SCOPED_KINDS = new Set([
  'GatewayClass',
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'PriorityClass',
  'StorageClass',
  'IngressClass',
  'CiliumLoadBalancerIPPool',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The API group of an apiVersion (`""` for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Identity of an object: versions of one group name the same object (ReferenceGrant v1beta1 = v1). */
export function objectKey(ref: { readonly apiVersion: string; readonly kind: string; readonly namespace?: string | undefined; readonly name: string }): string {
  return `${groupOf(ref.apiVersion)}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

function keyOf(object: KubeObject): string {
  return objectKey({ ...object, namespace: object.metadata.namespace, name: object.metadata.name });
}

function tracksGeneration(object: KubeObject): boolean {
  return groupOf(object.apiVersion) !== '' || object.metadata.generation !== undefined;
}

/** A uid derived from the object's identity, so offline output is reproducible. */
function stableUid(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Fills in the fields the API server sets on create, leaving anything the manifest gives alone. */
export function withServerDefaults(object: KubeObject, now: string): KubeObject {
  const scoped = !CLUSTER_SCOPED_KINDS.has(object.kind);
  const metadata: ObjectMeta = {
    ...object.metadata,
    ...(scoped && object.metadata.namespace === undefined ? { namespace: 'default' } : {}),
  };
  const labels =
    object.kind === 'Namespace' && object.apiVersion === 'v1'
      ? { ...metadata.labels, [NAMESPACE_NAME_LABEL]: metadata.name }
      : metadata.labels;
  const key = objectKey({ ...object, namespace: metadata.namespace, name: metadata.name });
  return {
    ...object,
    metadata: {
      ...metadata,
      ...(labels === undefined ? {} : { labels }),
      uid: metadata.uid ?? stableUid(key),
      // Only kinds that track spec changes get a generation; core copies it into observedGeneration (GW7).
      ...(tracksGeneration(object) ? { generation: metadata.generation ?? 1 } : {}),
      creationTimestamp: metadata.creationTimestamp ?? now,
    },
  };
}

/** The objects of a cluster, in the order they were read, keyed by identity. */
export class OfflineCluster {
  readonly #objects = new Map<string, KubeObject>();
  readonly #sources = new Map<string, string>();
  /** Each manifest object as it was read, before server defaults, for objects no write touched. */
  readonly #inputs = new Map<string, KubeObject>();
  /** Identities of objects created, updated or given a status by `apply`. */
  readonly #written = new Set<string>();
  readonly #now: string;

  private constructor(now: string) {
    this.#now = now;
  }

  /**
   * Loads manifests as if applied to an empty cluster at `now`. The same object twice is fine when
   * both copies are identical (examples share their GatewayClass and IPAM ConfigMap); two
   * different objects with one identity are an error naming both files (exit code 4).
   */
  static fromManifests(manifests: readonly SourcedObject[], now: string): OfflineCluster {
    const cluster = new OfflineCluster(now);
    for (const { object, source } of manifests) {
      const defaulted = withServerDefaults(object, now);
      const key = keyOf(defaulted);
      const existing = cluster.#objects.get(key);
      if (existing !== undefined) {
        if (stableJson(existing) === stableJson(defaulted)) continue;
        throw new CliError(
          ExitCode.invalidManifest,
          `${source}: ${describe(defaulted)} is also defined, differently, at ${cluster.#sources.get(key)}`,
        );
      }
      cluster.#objects.set(key, defaulted);
      cluster.#inputs.set(key, object);
      cluster.#sources.set(key, source);
    }
    return cluster;
  }

  /** Every object, input order first, objects created by `apply` after, with server defaults. */
  objects(): KubeObject[] {
    return [...this.#objects.values()];
  }

  /**
   * What to show a user: every object in the order of `objects()`, each written object as the
   * API server would hold it, every other one exactly as its manifest gave it. So an object
   * l4gw does not change comes back with no field it did not have (no invented uid or time).
   */
  output(): KubeObject[] {
    return [...this.#objects].map(([key, object]) => (this.#written.has(key) ? object : (this.#inputs.get(key) ?? object)));
  }

  /**
   * Core's view of the cluster. Namespaces that objects live in but that no manifest declares are
   * added (with the label the API server puts on every Namespace), because the API server would
   * not have accepted the objects without them and allowedRoutes selectors (RT2) read them.
   */
  snapshot(): Snapshot {
    const objects = this.objects();
    const by = (group: string, ...kinds: string[]): KubeObject[] =>
      objects.filter((object) => groupOf(object.apiVersion) === group && kinds.includes(object.kind));
    const namespaces = by('', 'Namespace');
    const declared = new Set(namespaces.map((namespace) => namespace.metadata.name));
    const implicit = [...new Set(objects.map((object) => object.metadata.namespace).filter((ns) => ns !== undefined))]
      .filter((name) => !declared.has(name))
      .sort()
      .map((name) => withServerDefaults({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, this.#now));
    const gatewayApi = 'gateway.networking.k8s.io';
    return {
      gatewayClasses: by(gatewayApi, 'GatewayClass'),
      gateways: by(gatewayApi, 'Gateway'),
      listenerSets: by(gatewayApi, 'ListenerSet'),
      tcpRoutes: by(gatewayApi, 'TCPRoute'),
      udpRoutes: by(gatewayApi, 'UDPRoute'),
      referenceGrants: by(gatewayApi, 'ReferenceGrant'),
      namespaces: [...namespaces, ...implicit],
      services: by('', 'Service'),
      endpointSlices: by('discovery.k8s.io', 'EndpointSlice'),
      configMaps: by('', 'ConfigMap'),
    };
  }

  /**
   * Applies writes as the API server would: `update` replaces an object but keeps its status
   * (status is a subresource), `updateStatus` replaces only the status. Actions on objects that
   * do not exist are reported as errors, because the adapter would get a 404 for them.
   */
  apply(actions: readonly Action[]): void {
    // Created objects are appended in identity order, whatever order core planned them in.
    const ordered = [
      ...actions.filter((action) => action.verb !== 'create'),
      ...actions
        .filter((action) => action.verb === 'create')
        .sort((a, b) => compareKeys(keyOf(a.object), keyOf(b.object))),
    ];
    for (const action of ordered) {
      this.#written.add(action.verb === 'create' || action.verb === 'update' ? keyOf(action.object) : objectKey(action.target));
      switch (action.verb) {
        case 'create': {
          this.#objects.set(keyOf(action.object), withServerDefaults(action.object, this.#now));
          break;
        }
        case 'update': {
          const existing = this.#require(keyOf(action.object), action.verb);
          const { status } = existing;
          this.#objects.set(keyOf(action.object), status === undefined ? action.object : { ...action.object, status });
          break;
        }
        case 'delete': {
          this.#require(objectKey(action.target), action.verb);
          this.#objects.delete(objectKey(action.target));
          break;
        }
        case 'updateStatus': {
          const key = objectKey(action.target);
          const existing = this.#require(key, action.verb);
          this.#objects.set(key, { ...existing, status: action.status });
          break;
        }
      }
    }
  }

  #require(key: string, verb: string): KubeObject {
    const existing = this.#objects.get(key);
    if (existing === undefined) throw new CliError(ExitCode.runtime, `core planned ${verb} of ${key}, which does not exist`);
    return existing;
  }
}

/** `Kind namespace/name` for messages. */
export function describe(object: KubeObject | ObjectRef): string {
  const meta = 'metadata' in object ? object.metadata : object;
  const name = meta.namespace === undefined ? meta.name : `${meta.namespace}/${meta.name}`;
  return `${object.kind} ${name}`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with sorted keys, to compare objects whatever order their fields were written in. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
