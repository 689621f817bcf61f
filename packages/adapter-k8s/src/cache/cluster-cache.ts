// The operator's view of the cluster: one informer per input kind, all cluster-wide (IPAM needs
// every Service, IP3; backends may live in any namespace, RT4). Every change to an informer's
// store is handed on as a core engine delta (`feed`), so the engine holds what the informers hold
// without being handed whole lists.
// Gateway API informers follow discovery: a kind whose CRD disappears is dropped, one whose
// served version changes is restarted at the new version.

import type { Delta, KubeObject, ObjectRef } from '@l4gw/core';
import type { KubeRest } from '../kube/rest.js';
import { CORE_TYPES, type ResourceType } from '../kube/resources.js';
import type { Logger } from '../observability/logger.js';
import type { Discovery, GatewayKind } from './discovery.js';
import { GATEWAY_KINDS } from './discovery.js';
import { Informer, sleep, type StoreChange } from './informer.js';

type CoreKind = 'namespaces' | 'services' | 'endpointSlices' | 'configMaps';
const CORE_KINDS: readonly CoreKind[] = ['namespaces', 'services', 'endpointSlices', 'configMaps'];

export interface ClusterCacheOptions {
  readonly rest: KubeRest;
  /** `-ipam-configmap` (`namespace/name` or a bare name): the ConfigMaps worth caching. */
  readonly ipamConfigMap: string;
  readonly log: Logger;
  /** Any change in any informer (after it synced). */
  readonly onChange: () => void;
  readonly onSynced?: (resource: string, synced: boolean) => void;
  /** Each change to the cached objects, as a core engine delta, in the order they happen. */
  readonly feed: (delta: Delta) => void;
}

/** A store change of the informer for `list` as the engine delta that makes the same change. */
function deltaOf(list: CoreKind | GatewayKind, change: StoreChange): Delta {
  switch (change.type) {
    case 'set':
      return { type: 'upsert', list, object: change.object };
    case 'delete': {
      const { namespace, name } = change.object.metadata;
      return { type: 'delete', list, ...(namespace ? { namespace } : {}), name };
    }
    case 'reset':
      return { type: 'relist', list, objects: change.objects };
  }
}

export class ClusterCache {
  private readonly informers = new Map<CoreKind | GatewayKind, Informer>();
  private discovery: Discovery = { types: {}, bundleVersions: undefined };
  /** True while informers are being swapped: the snapshot would be incomplete. */
  private changing = false;
  /** Informers exist only after start(); before, nothing has been listed. */
  private started = false;

  constructor(private readonly opts: ClusterCacheOptions) {}

  /** `namespace/name` of ConfigMaps referenced by GatewayClass parametersRef (GC2). */
  private classParameters = new Set<string>();

  /**
   * Only ConfigMaps core reads are cached: the IPAM ConfigMap(s) (IP1) and GatewayClass
   * parameters (GC2). A cluster may hold thousands of large ConfigMaps (dashboards, bundles).
   */
  private isRelevantConfigMap(cm: KubeObject): boolean {
    const { namespace = '', name } = cm.metadata;
    const ipam = this.opts.ipamConfigMap;
    const ipamMatch = ipam.includes('/') ? ipam === `${namespace}/${name}` : ipam === name;
    return ipamMatch || this.classParameters.has(`${namespace}/${name}`);
  }

  /** Recomputes the class parameter references; a new one needs a relist to fetch its data. */
  private refreshClassParameters(): void {
    const next = new Set<string>();
    for (const gc of this.list('gatewayClasses')) {
      const ref = (gc as { spec?: { parametersRef?: { group?: string; kind?: string; name?: string; namespace?: string } } })
        .spec?.parametersRef;
      if (ref && (ref.group ?? '') === '' && ref.kind === 'ConfigMap' && ref.name && ref.namespace) {
        next.add(`${ref.namespace}/${ref.name}`);
      }
    }
    const added = [...next].some((k) => !this.classParameters.has(k));
    this.classParameters = next;
    if (added) this.informers.get('configMaps')?.relist(true);
  }

  private startInformer(key: CoreKind | GatewayKind, type: ResourceType): void {
    const onChange =
      key === 'gatewayClasses'
        ? () => {
            this.refreshClassParameters();
            this.opts.onChange();
          }
        : this.opts.onChange;
    const informer = new Informer({
      rest: this.opts.rest,
      type,
      log: this.opts.log.child({ component: 'informer' }),
      onChange,
      onStored: (change: StoreChange) => this.opts.feed(deltaOf(key, change)),
      ...(key === 'configMaps' ? { keep: (cm: KubeObject) => this.isRelevantConfigMap(cm) } : {}),
    });
    this.informers.set(key, informer);
    this.opts.onSynced?.(type.resource, false);
    void informer.whenSynced().then(() => this.opts.onSynced?.(type.resource, true));
    informer.start();
  }

  /** Starts the core informers and the Gateway API ones of `discovery`. */
  start(discovery: Discovery): void {
    this.started = true;
    for (const kind of CORE_KINDS) this.startInformer(kind, CORE_TYPES[kind]);
    void this.setDiscovery(discovery);
  }

  /** Applies a new discovery: starts, stops or restarts Gateway API informers as needed. */
  async setDiscovery(discovery: Discovery): Promise<void> {
    const before = this.discovery;
    this.discovery = discovery;
    this.opts.feed({ type: 'crdBundleVersions', versions: discovery.bundleVersions });
    this.changing = true;
    try {
      await this.swapInformers(before, discovery);
    } finally {
      this.changing = false;
    }
    this.opts.onChange();
  }

  private async swapInformers(before: Discovery, discovery: Discovery): Promise<void> {
    for (const kind of Object.keys(GATEWAY_KINDS) as GatewayKind[]) {
      const was = before.types[kind];
      const now = discovery.types[kind];
      if (was?.version === now?.version && this.informers.has(kind) === (now !== undefined)) continue;
      const old = this.informers.get(kind);
      if (old) {
        this.informers.delete(kind);
        await old.stop();
        // Its objects leave with it; a restarted informer's first list brings them back.
        this.opts.feed({ type: 'relist', list: kind, objects: [] });
      }
      if (now) {
        this.opts.log.info('watching Gateway API kind', { kind: now.kind, version: now.version });
        this.startInformer(kind, now);
      } else {
        this.opts.log.warn('Gateway API kind not served; it is disabled until its CRD is installed', {
          kind: GATEWAY_KINDS[kind].kind,
        });
      }
    }
  }

  /** False when the Gateway API itself is not served: nothing can be ours, and reconciling an
   *  empty view would collect every generated object. */
  servesGateways(): boolean {
    return this.discovery.types.gatewayClasses !== undefined && this.discovery.types.gateways !== undefined;
  }

  /** R2: true once every running informer has completed its initial list. */
  hasSynced(): boolean {
    return this.started && !this.changing && [...this.informers.values()].every((i) => i.hasSynced());
  }

  /** Resolves once hasSynced() (polling while informers are swapped or not yet started). */
  async whenSynced(): Promise<void> {
    while (!this.hasSynced()) {
      await Promise.all([...this.informers.values()].map((i) => i.whenSynced()));
      if (!this.hasSynced()) await sleep(20);
    }
  }

  /** Forces a fresh list of every informer (periodic resync). */
  relistAll(): void {
    for (const i of this.informers.values()) i.relist();
  }

  private list(kind: CoreKind | GatewayKind): KubeObject[] {
    return this.informers.get(kind)?.list() ?? [];
  }

  private informerFor(ref: { apiVersion: string; kind: string }): Informer | undefined {
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
    for (const informer of this.informers.values()) {
      if (informer.type.kind === ref.kind && informer.type.group === group) return informer;
    }
    return undefined;
  }

  lookup(ref: ObjectRef): KubeObject | undefined {
    return this.informerFor(ref)?.get(ref.namespace, ref.name);
  }

  recordWrite(obj: KubeObject): void {
    this.informerFor(obj)?.recordWrite(obj);
  }

  recordDelete(ref: ObjectRef, uid: string | undefined): void {
    this.informerFor(ref)?.recordDelete(ref.namespace, ref.name, uid);
  }

  /** Informer of a kind, for tests (e.g. counting relists). */
  informer(kind: CoreKind | GatewayKind): Informer | undefined {
    return this.informers.get(kind);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
    this.informers.clear();
  }
}
