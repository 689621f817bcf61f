// Who gets a Service name. Generated Services of different Gateways and behaviours can want the
// same name (`a-b` + `c` and `a` + `b-c`, two Gateways duplicating one backend, a user's own
// Service called like a generated one). The first claimant wins, in the graph's stable order,
// and a user's Service is never taken over.

import type { ObjectKey } from '../model/graph.js';
import { objectKey } from '../model/graph.js';
import { LABEL_MANAGED_BY, MANAGED_BY_VALUE } from '../model/labels.js';
import type { ParsedService } from '../model/parsed.js';

/** Outcome of asking for a Service name. */
export type ClaimResult = 'granted' | 'foreign' | 'taken';

/** Registry of generated Service names for one reconcile. */
export class ServiceNameClaims {
  /** `namespace/name` → key of the claimant (Gateway key plus whatever makes a claim distinct). */
  private readonly owners = new Map<ObjectKey, string>();

  constructor(private readonly observed: ReadonlyMap<ObjectKey, ParsedService>) {}

  /**
   * Grants `namespace/name` to `owner` when nobody else holds it in this reconcile and no Service
   * of that name exists that l4gw did not generate. Asking again with the same owner is granted.
   */
  claim(namespace: string, name: string, owner: string): ClaimResult {
    const key = objectKey(namespace, name);
    const existing = this.observed.get(key);
    if (existing !== undefined && existing.meta.labels[LABEL_MANAGED_BY] !== MANAGED_BY_VALUE) return 'foreign';
    const holder = this.owners.get(key);
    if (holder !== undefined && holder !== owner) return 'taken';
    this.owners.set(key, owner);
    return 'granted';
  }
}
