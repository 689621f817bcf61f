// Keeps the served Gateway API versions current: an initial discovery (retried until the API
// server answers), then re-discovery every `periodMs` and shortly after any CRD change seen by a
// metadata-only CRD watch (when CRDs may be read). Blips are damped by stabilizeDiscovery.

import type { KubeRest } from '../kube/rest.js';
import { CORE_TYPES } from '../kube/resources.js';
import type { Logger } from '../observability/logger.js';
import { discover, discoveryKey, stabilizeDiscovery, type Discovery, type GatewayKind } from './discovery.js';
import { Informer, sleep } from './informer.js';
import { errorText } from '../kube/error-text.js';

export interface DiscoveryWatcherOptions {
  readonly rest: KubeRest;
  readonly log: Logger;
  readonly periodMs: number;
  /** Called with each discovery that differs from the previous one. */
  readonly onChange: (discovery: Discovery) => Promise<void>;
}


export class DiscoveryWatcher {
  private readonly abort = new AbortController();
  private last: Discovery = { types: {}, bundleVersions: undefined };
  private lastKey = '';
  private readonly misses = new Map<GatewayKind, number>();
  private crdInformer: Informer | undefined;
  private interval: NodeJS.Timeout | undefined;
  /** Pending re-discoveries after CRD events (at most one per delay). */
  private readonly soon = new Map<number, NodeJS.Timeout>();

  constructor(private readonly opts: DiscoveryWatcherOptions) {}

  /**
   * Discovers once, retrying with backoff (100 ms → 30 s) until the API server answers, then
   * starts watching. Resolves undefined when stopped first.
   */
  async start(): Promise<Discovery | undefined> {
    let first: Discovery | undefined;
    for (let delay = 100; !first && !this.abort.signal.aborted; delay = Math.min(delay * 2, 30_000)) {
      try {
        first = await discover(this.opts.rest, this.abort.signal);
      } catch (err) {
        if (this.abort.signal.aborted) break;
        this.opts.log.warn('Gateway API discovery failed; retrying', { error: errorText(err), retryInMs: delay });
        await sleep(delay, this.abort.signal);
      }
    }
    if (!first) return undefined;
    this.last = first;
    this.lastKey = discoveryKey(first);
    this.interval = setInterval(() => void this.rediscover(), this.opts.periodMs);
    if (first.bundleVersions !== undefined) {
      // CRDs are readable: react to Gateway API CRDs being installed, upgraded or removed within
      // seconds. Twice: a new CRD is served shortly after its event, and a removal must be seen
      // twice (stabilizeDiscovery).
      this.crdInformer = new Informer({
        rest: this.opts.rest,
        type: CORE_TYPES.crds,
        log: this.opts.log.child({ component: 'informer' }),
        metadataOnly: true,
        onChange: () => {
          for (const delay of [200, 2000]) this.rediscoverIn(delay);
        },
      });
      this.crdInformer.start();
    }
    return first;
  }

  private rediscoverIn(delayMs: number): void {
    if (this.abort.signal.aborted || this.soon.has(delayMs)) return;
    this.soon.set(
      delayMs,
      setTimeout(() => {
        this.soon.delete(delayMs);
        void this.rediscover();
      }, delayMs),
    );
  }

  private async rediscover(): Promise<void> {
    try {
      const next = stabilizeDiscovery(this.last, await discover(this.opts.rest, this.abort.signal), this.misses);
      this.last = next;
      const key = discoveryKey(next);
      if (key === this.lastKey) return;
      this.lastKey = key;
      await this.opts.onChange(next);
    } catch (err) {
      if (!this.abort.signal.aborted) this.opts.log.warn('Gateway API discovery failed', { error: errorText(err) });
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.interval);
    for (const t of this.soon.values()) clearTimeout(t);
    this.soon.clear();
    await this.crdInformer?.stop();
  }
}
