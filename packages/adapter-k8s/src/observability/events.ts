// Kubernetes Events (events.k8s.io/v1): Warnings for the failures a user must act on
// (Desired.events) and Normal notices of addresses and Programmed Gateways (gateway-notices.ts).
// Core emits the same event on every reconcile for as long as the problem lasts (it is
// level-triggered), so the recorder de-duplicates: an identical (object, type, reason, message)
// is emitted at most once per `windowMs`. Event writes never fail a reconcile.

import { HttpMethod } from '@kubernetes/client-node';
import type { EventRecord, KubeObject, ObjectRef } from '@l4gw/core';
import type { KubeRest } from '../kube/rest.js';
import { CORE_TYPES } from '../kube/resources.js';
import type { Logger } from './logger.js';
import { microTime } from '../kube/time.js';
import { errorText } from '../kube/error-text.js';

export interface EventRecorderOptions {
  readonly rest: KubeRest;
  readonly log: Logger;
  /** reportingController: the controller name (a qualified name, e.g. kube-vip.io/controller). */
  readonly controller: string;
  /** reportingInstance: this replica's identity. */
  readonly instance: string;
  readonly windowMs: number;
  readonly lookup: (ref: ObjectRef) => KubeObject | undefined;
  readonly count: (reason: string, result: 'success' | 'error') => void;
}


export class EventRecorder {
  /** de-duplication key → time last emitted. */
  private readonly emitted = new Map<string, number>();

  constructor(private readonly opts: EventRecorderOptions) {}

  /** Emits the events not already emitted within the window. */
  async record(events: readonly EventRecord[]): Promise<void> {
    const now = Date.now();
    for (const [key, at] of this.emitted) if (now - at >= this.opts.windowMs) this.emitted.delete(key);
    for (const ev of events) {
      const r = ev.regarding;
      const key = JSON.stringify([r.apiVersion, r.kind, r.namespace, r.name, ev.type, ev.reason, ev.message]);
      if (this.emitted.has(key)) continue;
      this.emitted.set(key, now);
      await this.emit(ev);
    }
  }

  private async emit(ev: EventRecord): Promise<void> {
    const r = ev.regarding;
    const uid = this.opts.lookup(r)?.metadata.uid;
    const namespace = r.namespace ?? 'default';
    const suffix = `${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`;
    try {
      await this.opts.rest.resourceRequest(HttpMethod.POST, CORE_TYPES.events, { namespace }, {
        body: {
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: { name: `${r.name.slice(0, 200)}.${suffix}`, namespace },
          eventTime: microTime(),
          reportingController: this.opts.controller,
          reportingInstance: this.opts.instance.slice(0, 128),
          action: 'Reconcile',
          reason: ev.reason,
          note: ev.message.slice(0, 1024),
          type: ev.type,
          regarding: { ...r, ...(uid ? { uid } : {}) },
        },
      });
      this.opts.count(ev.reason, 'success');
    } catch (err) {
      this.opts.count(ev.reason, 'error');
      this.opts.log.warn('could not record event', {
        reason: ev.reason,
        object: `${r.kind}/${r.namespace ?? ''}/${r.name}`,
        error: errorText(err),
      });
    }
  }
}
