// What users want to be told about a Gateway l4gw wrote: an info log line and a Normal Event
// when it is given an address, gives one up, or becomes Programmed. So the log alone answers
// "when did this Gateway get 10.0.0.5?". Addresses live in Gateway status (GW5, IP4): a status
// write l4gw made assigns or releases them, and a deleted Gateway releases what it held.

import type { EventRecord, KubeObject, ObjectRef } from '@l4gw/core';
import type { Logger } from './logger.js';

/** What a Gateway's status said when last seen. */
interface Seen {
  readonly addresses: readonly string[];
  readonly programmed: boolean;
}

function keyOf(gateway: KubeObject): string {
  return `${gateway.metadata.namespace ?? ''}/${gateway.metadata.name}`;
}

function refOf(gateway: KubeObject): ObjectRef {
  return { apiVersion: gateway.apiVersion, kind: gateway.kind, name: gateway.metadata.name, ...(gateway.metadata.namespace === undefined ? {} : { namespace: gateway.metadata.namespace }) };
}

function seen(gateway: KubeObject): Seen {
  const status = (gateway.status ?? {}) as { addresses?: unknown; conditions?: unknown };
  const addresses = Array.isArray(status.addresses)
    ? status.addresses.flatMap((entry: unknown) => {
        const value = (entry as { value?: unknown } | null)?.value;
        return typeof value === 'string' ? [value] : [];
      })
    : [];
  const conditions = Array.isArray(status.conditions) ? (status.conditions as { type?: unknown; status?: unknown }[]) : [];
  const programmed = conditions.some((condition) => condition?.type === 'Programmed' && condition.status === 'True');
  return { addresses, programmed };
}

export class GatewayNotices {
  /** Gateway `namespace/name` → what its status held when last seen. */
  private readonly held = new Map<string, Seen>();
  private seeded = false;
  /** Normal Events waiting for the end of the reconcile (drain). */
  private pending: EventRecord[] = [];

  constructor(private readonly log: Logger) {}

  /**
   * The Gateways of a new snapshot. The first one only seeds what is held (a restart assigns
   * nothing); later, a Gateway that is gone released its addresses.
   */
  observe(gateways: readonly KubeObject[]): void {
    const present = new Set<string>();
    for (const gateway of gateways) {
      const key = keyOf(gateway);
      present.add(key);
      if (!this.held.has(key)) this.held.set(key, seen(gateway));
    }
    for (const [key, { addresses }] of this.held) {
      if (present.has(key)) continue;
      this.held.delete(key);
      if (this.seeded) for (const address of addresses) this.log.info('address released', { gateway: key, address, reason: 'Gateway deleted' });
    }
    this.seeded = true;
  }

  /** A Gateway as the API server returned it after l4gw's write. */
  written(gateway: KubeObject): void {
    if (gateway.kind !== 'Gateway') return;
    const key = keyOf(gateway);
    const before = this.held.get(key) ?? { addresses: [], programmed: false };
    const after = seen(gateway);
    const assigned = after.addresses.filter((address) => !before.addresses.includes(address));
    const released = before.addresses.filter((address) => !after.addresses.includes(address));
    const programmed = after.programmed && !before.programmed;
    for (const address of assigned) this.log.info('address assigned', { gateway: key, address });
    for (const address of released) this.log.info('address released', { gateway: key, address });
    if (programmed) this.log.info('gateway programmed', { gateway: key });
    // Events are API writes: a Gateway that gets its address and becomes Programmed in one status
    // write (the usual case) gets one Event saying both, not two.
    const event = (reason: string, message: string): void => {
      this.pending.push({ regarding: refOf(gateway), type: 'Normal', reason, message });
    };
    if (programmed) event('Programmed', assigned.length === 0 ? 'programmed' : `programmed with address ${assigned.join(', ')}`);
    else if (assigned.length > 0) event('AddressAssigned', `address ${assigned.join(', ')} assigned`);
    if (released.length > 0) event('AddressReleased', `address ${released.join(', ')} released`);
    this.held.set(key, after);
  }

  /** The Normal Events noticed since the last call. */
  drain(): EventRecord[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }
}
