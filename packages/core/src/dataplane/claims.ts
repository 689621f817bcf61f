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
  /** Every `namespace/name` a claim was refused (foreign or taken): freeing one may grant it to that claimant. */
  private readonly refused = new Set<ObjectKey>();

  constructor(private observed: ReadonlyMap<ObjectKey, ParsedService>) {}

  /**
   * Grants `namespace/name` to `owner` when nobody else holds it in this reconcile and no Service
   * of that name exists that l4gw did not generate. Asking again with the same owner is granted.
   */
  claim(namespace: string, name: string, owner: string): ClaimResult {
    const key = objectKey(namespace, name);
    const existing = this.observed.get(key);
    if (existing !== undefined && !isL4gwService(existing)) {
      this.refused.add(key);
      return 'foreign';
    }
    const holder = this.owners.get(key);
    if (holder !== undefined && holder !== owner) {
      this.refused.add(key);
      return 'taken';
    }
    this.owners.set(key, owner);
    return 'granted';
  }

  // What a dataplane patch asks of the last reconcile's claims (engine/dataplane-patch.ts):
  // whether granting or freeing a name, or a Service appearing or going, would change what any
  // claim was told.

  /** True when no claim asked for `namespace/name`: granting it now refuses no one, and a Service of that name answers no one. */
  unasked(key: ObjectKey): boolean {
    return !this.owners.has(key) && !this.refused.has(key);
  }

  /** True when some claim for `key` was refused: freeing it (its holder or its foreign Service gone) could grant it. */
  wasRefused(key: ObjectKey): boolean {
    return this.refused.has(key);
  }

  /**
   * Grants `key` to `owner` when no claim asked for it (`unasked`) and no foreign Service holds
   * it: then every earlier claim is answered as before. A key given up later (its Gateway gone)
   * stays counted as asked, which only makes patches decline.
   */
  grantUnasked(key: ObjectKey, owner: string): boolean {
    const existing = this.observed.get(key);
    if (!this.unasked(key) || (existing !== undefined && !isL4gwService(existing))) return false;
    this.owners.set(key, owner);
    return true;
  }

  /**
   * Gives up `key`, granted to `owner` at its first claim, when no claim was refused it (so no
   * one else asked for it): the claims are then as if `owner` had never asked.
   */
  release(key: ObjectKey, owner: string): void {
    if (this.owners.get(key) === owner && !this.refused.has(key)) this.owners.delete(key);
  }

  /** The Services seen now, once a patch found that none that came or went answers a claim differently. */
  observe(observed: ReadonlyMap<ObjectKey, ParsedService>): void {
    this.observed = observed;
  }
}

/** True when l4gw generated the Service (a claim may take its name). */
export function isL4gwService(service: ParsedService): boolean {
  return service.meta.labels[LABEL_MANAGED_BY] === MANAGED_BY_VALUE;
}
