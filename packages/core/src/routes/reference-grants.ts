import type { ParsedReferenceGrant, RouteKind } from '../model/parsed.js';
import { GATEWAY_GROUP, KIND_SERVICE } from '../parse/api.js';

/**
 * Answers "may a route of this kind in namespace A refer to Service S in namespace B?" (RT4).
 * Built once per reconcile; each query costs the grants of the target namespace only.
 */
export class ReferenceGrantIndex {
  /** target namespace → grants living there. */
  private readonly byNamespace = new Map<string, ParsedReferenceGrant[]>();

  constructor(grants: readonly ParsedReferenceGrant[]) {
    for (const g of grants) {
      const list = this.byNamespace.get(g.meta.namespace);
      if (list === undefined) this.byNamespace.set(g.meta.namespace, [g]);
      else list.push(g);
    }
  }

  /** True when a grant in `serviceNamespace` allows `routeKind` from `routeNamespace` to Service `serviceName`. */
  allowsServiceRef(routeKind: RouteKind, routeNamespace: string, serviceNamespace: string, serviceName: string): boolean {
    if (routeNamespace === serviceNamespace) return true;
    const grants = this.byNamespace.get(serviceNamespace);
    if (grants === undefined) return false;
    return grants.some(
      (g) =>
        g.from.some((f) => f.group === GATEWAY_GROUP && f.kind === routeKind && f.namespace === routeNamespace) &&
        g.to.some((t) => t.group === '' && t.kind === KIND_SERVICE && (t.name === undefined || t.name === serviceName)),
    );
  }
}
