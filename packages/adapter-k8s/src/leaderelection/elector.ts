// Leader election on a coordination.k8s.io/v1 Lease (R4), following client-go's algorithm:
//   - a candidate tries every `retryPeriod` to create the Lease or take it over when the holder
//     is empty or has not renewed for `leaseDuration`, measured on the local clock from when this
//     replica last saw the record change (so clock skew between replicas does not matter);
//   - the leader renews every `retryPeriod`; if it cannot renew within `renewDeadline` it steps
//     down (and stops writing) before another replica may take over;
//   - stop() releases the lease (empty holderIdentity) so a successor starts at once.
// Every write is an update with resourceVersion: two candidates racing get one 409.

import { HttpMethod } from '@kubernetes/client-node';
import type { KubeObject } from '@l4gw/core';
import { sleep } from '../cache/informer.js';
import { isApiError, type KubeRest } from '../kube/rest.js';
import { CORE_TYPES } from '../kube/resources.js';
import type { Logger } from '../observability/logger.js';
import { microTime } from '../kube/time.js';
import { errorText } from '../kube/error-text.js';

export interface LeaderElectionTimings {
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

/** controller-runtime's defaults. */
export const DEFAULT_LEADER_ELECTION_TIMINGS: LeaderElectionTimings = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

export interface LeaderElectorOptions extends LeaderElectionTimings {
  readonly rest: KubeRest;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly log: Logger;
  readonly onStartedLeading: () => void;
  readonly onStoppedLeading: () => void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };


export class LeaderElector {
  private leading = false;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake = new AbortController();
  /** Local time at which the observed record last changed (client-go's observedTime). */
  private observedAt = 0;
  private observedRecord = '';
  private lastRenewAt = 0;
  private watchdog: NodeJS.Timeout | undefined;
  /** holderIdentity seen in the last successful read. */
  private lastHolder = '';

  constructor(private readonly opts: LeaderElectorOptions) {}

  isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
    // A renewal stuck in a slow request must not keep this replica writing past the renew
    // deadline (another may take over once the lease duration passes): check on a clock of its own.
    this.watchdog = setInterval(() => {
      if (this.leading && Date.now() - this.lastRenewAt > this.opts.renewDeadlineMs) {
        this.opts.log.error('failed to renew the lease within the renew deadline; stepping down');
        this.setLeading(false);
      }
    }, Math.max(100, Math.floor(this.opts.retryPeriodMs / 2)));
    this.watchdog.unref();
  }

  /** Stops campaigning; a leader releases the Lease so a standby takes over without waiting. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.watchdog);
    this.wake.abort();
    await this.loop;
    if (this.leading) {
      this.setLeading(false);
      await this.release();
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const ok = await this.tryAcquireOrRenew();
        if (ok) {
          this.lastRenewAt = Date.now();
          if (!this.leading) this.setLeading(true);
        } else if (this.leading && this.lastHolder !== this.opts.identity && this.lastHolder !== '') {
          this.opts.log.error('the lease is held by another replica; stepping down', { holder: this.lastHolder });
          this.setLeading(false);
        } else if (this.leading && Date.now() - this.lastRenewAt > this.opts.renewDeadlineMs) {
          this.opts.log.error('failed to renew the lease within the renew deadline; stepping down');
          this.setLeading(false);
        }
      } catch (err) {
        this.opts.log.warn('leader election request failed', { error: errorText(err) });
        if (this.leading && Date.now() - this.lastRenewAt > this.opts.renewDeadlineMs) {
          this.opts.log.error('failed to renew the lease within the renew deadline; stepping down');
          this.setLeading(false);
        }
      }
      await sleep(this.opts.retryPeriodMs, this.wake.signal);
    }
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    this.opts.log.info(leading ? 'became leader' : 'stopped leading', {
      lease: `${this.opts.namespace}/${this.opts.name}`,
      identity: this.opts.identity,
    });
    if (leading) this.opts.onStartedLeading();
    else this.opts.onStoppedLeading();
  }

  private spec(now: Date, prev?: LeaseSpec): LeaseSpec {
    const takeover = prev?.holderIdentity !== this.opts.identity;
    return {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(this.opts.leaseDurationMs / 1000)),
      acquireTime: takeover || !prev?.acquireTime ? microTime(now) : prev.acquireTime,
      renewTime: microTime(now),
      leaseTransitions: (prev?.leaseTransitions ?? 0) + (takeover && prev?.holderIdentity ? 1 : 0),
    };
  }

  /** Each Lease request is bounded well inside the renew deadline. */
  private timeout(): { signal: AbortSignal } {
    return { signal: AbortSignal.timeout(Math.max(500, Math.floor(this.opts.renewDeadlineMs / 2))) };
  }

  /** One round: true when this replica holds the lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { rest, namespace, name } = this.opts;
    const now = new Date();
    let lease: Lease;
    try {
      lease = await rest.resourceRequest<Lease>(HttpMethod.GET, CORE_TYPES.leases, { namespace, name }, this.timeout());
    } catch (err) {
      if (!isApiError(err, 404)) throw err;
      try {
        await rest.resourceRequest(HttpMethod.POST, CORE_TYPES.leases, { namespace }, {
          body: {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name, namespace },
            spec: this.spec(now),
          },
          ...this.timeout(),
        });
        return true;
      } catch (createErr) {
        if (isApiError(createErr, 409)) return false;
        throw createErr;
      }
    }
    const spec = lease.spec ?? {};
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.acquireTime]);
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAt = Date.now();
    }
    const holder = spec.holderIdentity ?? '';
    this.lastHolder = holder;
    const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000;
    const expired = this.observedAt + durationMs <= Date.now();
    if (holder !== '' && holder !== this.opts.identity && !expired) return false;
    try {
      await rest.resourceRequest(HttpMethod.PUT, CORE_TYPES.leases, { namespace, name }, {
        body: { ...lease, spec: this.spec(now, spec) },
        ...this.timeout(),
      });
      return true;
    } catch (err) {
      if (isApiError(err, 409)) return false;
      throw err;
    }
  }

  private async release(): Promise<void> {
    const { rest, namespace, name } = this.opts;
    try {
      // Bounded like every Lease request: shutdown must finish within the pod's grace period.
      const lease = await rest.resourceRequest<Lease>(HttpMethod.GET, CORE_TYPES.leases, { namespace, name }, this.timeout());
      if (lease.spec?.holderIdentity !== this.opts.identity) return;
      await rest.resourceRequest(HttpMethod.PUT, CORE_TYPES.leases, { namespace, name }, {
        body: {
          ...lease,
          spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime() },
        },
        ...this.timeout(),
      });
      this.opts.log.info('released the lease', { lease: `${namespace}/${name}` });
    } catch (err) {
      this.opts.log.warn('could not release the lease', { error: errorText(err) });
    }
  }
}
