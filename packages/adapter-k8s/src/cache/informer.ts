// An informer: list + watch one resource type cluster-wide into an in-memory store.
//
// Why not client-node's makeInformer: it stops for good on any error other than 410 and a
// timeout (the caller must restart it), sends no allowWatchBookmarks (so an idle watch holds an
// ever older resourceVersion and every reconnect after compaction costs a full relist), has no
// sync signal to gate the first reconcile on (R2), and cannot take the objects the operator has
// just written (write-through, below). This loop is ~150 lines and does exactly what R2/R3 ask:
//   - list (paged), then watch from the list's resourceVersion with bookmarks;
//   - a watch that ends for any reason is restarted from the last resourceVersion seen;
//   - 410 Gone (HTTP or an ERROR event) relists; transport errors back off 100 ms → 30 s;
//   - `relist()` forces a fresh list (periodic resync);
//   - every object is stored as stripUnreadFields leaves it (transform.ts);
//   - every change to the store is handed to `onStored` as it happens (the core engine's deltas).

import type { KubeObject } from '@l4gw/core';
import type { Logger } from '../observability/logger.js';
import { isApiError, type KubeRest, type WatchEvent } from '../kube/rest.js';
import type { ResourceType } from '../kube/resources.js';
import { errorText } from '../kube/error-text.js';
import { stripUnreadFields } from './transform.js';

export interface InformerOptions {
  readonly rest: KubeRest;
  readonly type: ResourceType;
  readonly log: Logger;
  /** Called (with no argument: the loop is level-triggered) whenever the store changes after sync. */
  readonly onChange: () => void;
  readonly labelSelector?: string;
  /**
   * Objects for which this returns false are not cached (a memory bound for kinds of which l4gw
   * reads only a few, like ConfigMaps). If its answer may change, call relist() when it does.
   */
  readonly keep?: (obj: KubeObject) => boolean;
  /** Cache PartialObjectMetadata only (e.g. CRDs, whose schemas l4gw never reads). */
  readonly metadataOnly?: boolean;
  /** Server-side watch timeout; default a random 5–10 minutes (client-go). */
  readonly watchTimeoutSeconds?: number;
  /** Every change to the store, as it happens (also before sync): what the core engine is fed. */
  readonly onStored?: (change: StoreChange) => void;
}

/** One change to an informer's store. */
export type StoreChange =
  | { readonly type: 'set'; readonly object: KubeObject }
  | { readonly type: 'delete'; readonly object: KubeObject }
  /** The whole store replaced (a list). */
  | { readonly type: 'reset'; readonly objects: readonly KubeObject[] };

class GoneError extends Error {}

/** Stable store key of an object: `namespace/name` (empty namespace for cluster-scoped kinds). */
export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata.namespace, obj.metadata.name);
}

/** resourceVersions are opaque, but etcd's are increasing integers; compare only when both are. */
function isOlder(candidate: string | undefined, stored: string | undefined): boolean {
  const a = Number(candidate);
  const b = Number(stored);
  return Number.isSafeInteger(a) && Number.isSafeInteger(b) && a < b;
}

export class Informer {
  private readonly store = new Map<string, KubeObject>();
  /** uid of objects l4gw deleted: stale events for them must not resurrect them. */
  private readonly tombstones = new Set<string>();
  private resourceVersion = '';
  private synced = false;
  private running = false;
  private needList = true;
  private attempt: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private syncWaiters: (() => void)[] = [];
  /** The current attempt has received at least one event (resets the error backoff). */
  private progressed = false;
  private listCount = 0;

  constructor(private readonly opts: InformerOptions) {}

  get type(): ResourceType {
    return this.opts.type;
  }

  /** Number of completed lists (initial one included); lets tests observe 410 relists. */
  get lists(): number {
    return this.listCount;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.attempt?.abort();
    await this.loop;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has been stored. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  list(): KubeObject[] {
    return [...this.store.values()];
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(objectKey(namespace, name));
  }

  /**
   * Drops the current watch and lists again (periodic resync; catches anything a watch missed).
   * With `unsync`, the informer reports not synced until that list is stored: for a relist that
   * fetches objects the cache lacks (a `keep` filter that now accepts more), so no reconcile runs
   * on the incomplete view (R2).
   */
  relist(unsync = false): void {
    if (unsync) this.synced = false;
    this.needList = true;
    this.attempt?.abort();
  }

  /**
   * Restarts the watch from `resourceVersion` without listing. Lets tests (and diagnostics)
   * provoke the 410 Gone path with a compacted resourceVersion.
   */
  rewatchFrom(resourceVersion: string): void {
    this.resourceVersion = resourceVersion;
    this.attempt?.abort();
  }

  /**
   * Stores an object the operator just wrote, so the next reconcile plans against it instead of
   * the stale copy (no duplicate writes while the watch event is in flight). Older watch events
   * for the same object are then ignored.
   */
  recordWrite(obj: KubeObject): void {
    const key = keyOf(obj);
    const stored = this.store.get(key);
    if (stored && isOlder(obj.metadata.resourceVersion, stored.metadata.resourceVersion)) return;
    this.put(key, stripUnreadFields(obj));
  }

  /** Forgets an object the operator just deleted (see recordWrite). */
  recordDelete(namespace: string | undefined, name: string, uid: string | undefined): void {
    const key = objectKey(namespace, name);
    const stored = this.store.get(key);
    if (!stored || (uid && stored.metadata.uid !== uid)) return;
    if (stored.metadata.uid) this.tombstones.add(stored.metadata.uid);
    this.drop(key, stored);
  }

  private put(key: string, object: KubeObject): void {
    this.store.set(key, object);
    this.opts.onStored?.({ type: 'set', object });
  }

  private drop(key: string, object: KubeObject): void {
    this.store.delete(key);
    this.opts.onStored?.({ type: 'delete', object });
  }

  private async run(): Promise<void> {
    let backoffMs = 0;
    while (this.running) {
      const attempt = new AbortController();
      this.attempt = attempt;
      this.progressed = false;
      try {
        if (this.needList) {
          this.needList = false;
          const { items, resourceVersion } = await this.opts.rest.list(
            this.opts.type,
            this.opts.labelSelector,
            attempt.signal,
            this.opts.metadataOnly,
          );
          this.replace(items, resourceVersion);
          this.resourceVersion = resourceVersion;
          this.listCount++;
          this.markSynced();
        }
        await this.opts.rest.watch(
          this.opts.type,
          {
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
            // Like client-go: a randomised server-side timeout spreads reconnects over time.
            timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
            labelSelector: this.opts.labelSelector,
          },
          (ev) => this.handle(ev),
          attempt.signal,
          undefined,
          this.opts.metadataOnly,
        );
        backoffMs = 0;
      } catch (err) {
        if (!this.running) break;
        if (attempt.signal.aborted) continue; // relist() interrupted this attempt on purpose
        if (err instanceof GoneError || isApiError(err, 410)) {
          this.opts.log.info('watch expired (410 Gone); relisting', { resource: this.opts.type.resource });
          this.needList = true;
          continue;
        }
        // A watch that delivered events before failing was healthy: start the backoff afresh.
        if (this.progressed) backoffMs = 0;
        backoffMs = Math.min(backoffMs === 0 ? 100 : backoffMs * 2, 30_000);
        this.opts.log.warn('list/watch failed; retrying', {
          resource: this.opts.type.resource,
          error: errorText(err),
          retryInMs: backoffMs,
        });
        await sleep(backoffMs, attempt.signal);
      }
    }
  }

  private handle(ev: WatchEvent): void {
    if (ev.type === 'ERROR') {
      // The server reports an expired resourceVersion as an ERROR event carrying Status 410.
      if (ev.object.code === 410) throw new GoneError(ev.object.message ?? 'Gone');
      throw new Error(`watch error: ${ev.object.message ?? JSON.stringify(ev.object)}`);
    }
    const rv = ev.object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    this.progressed = true;
    if (ev.type === 'BOOKMARK') return;
    const obj = stripUnreadFields(ev.object);
    const key = keyOf(obj);
    const uid = obj.metadata.uid;
    if (ev.type === 'DELETED') {
      if (uid) this.tombstones.delete(uid);
      const stored = this.store.get(key);
      if (stored && (!uid || stored.metadata.uid === uid)) {
        this.drop(key, stored);
        this.changed();
      }
      return;
    }
    if (uid && this.tombstones.has(uid)) return;
    if (this.opts.keep && !this.opts.keep(obj)) return;
    const stored = this.store.get(key);
    if (stored && stored.metadata.uid === uid && isOlder(rv, stored.metadata.resourceVersion)) return;
    if (stored && stored.metadata.resourceVersion === rv && stored.metadata.uid === uid) return;
    this.put(key, obj);
    this.changed();
  }

  /**
   * Replaces the store with a fresh list taken at `listVersion`. Objects the operator wrote
   * after that version (write-through) are newer than the list: they are kept, or the next
   * reconcile would plan against the older copy and get a 409 (or re-apply a new object); objects
   * it deleted since stay deleted.
   */
  private replace(items: readonly KubeObject[], listVersion: string): void {
    let changed = false;
    const next = new Map<string, KubeObject>();
    for (const item of items) {
      if (this.opts.keep && !this.opts.keep(item)) continue;
      // Deleted by the operator after the list was taken (the DELETED event clears the mark).
      if (item.metadata.uid && this.tombstones.has(item.metadata.uid)) continue;
      const obj = stripUnreadFields(item);
      const key = keyOf(obj);
      const old = this.store.get(key);
      if (old && old.metadata.uid === obj.metadata.uid && isOlder(obj.metadata.resourceVersion, old.metadata.resourceVersion)) {
        next.set(key, old);
        continue;
      }
      if (!old || old.metadata.resourceVersion !== obj.metadata.resourceVersion) changed = true;
      next.set(key, obj);
    }
    for (const [key, old] of this.store) {
      if (!next.has(key) && isOlder(listVersion, old.metadata.resourceVersion)) next.set(key, old);
    }
    if (next.size !== this.store.size) changed = true;
    this.store.clear();
    for (const [k, v] of next) this.store.set(k, v);
    if (changed) this.opts.onStored?.({ type: 'reset', objects: [...this.store.values()] });
    // A tombstone whose object the list no longer has is done (its DELETED event may be lost).
    const listed = new Set(items.map((i) => i.metadata.uid));
    for (const uid of this.tombstones) if (!listed.has(uid)) this.tombstones.delete(uid);
    if (changed) this.changed();
  }

  private changed(): void {
    if (this.synced) this.opts.onChange();
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    for (const w of this.syncWaiters.splice(0)) w();
    this.opts.onChange();
  }
}

/** Sleeps `ms`, waking early (without error) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
