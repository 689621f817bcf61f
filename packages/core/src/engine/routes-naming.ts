// Which routes name each Gateway (as a parentRef) and each Service (as a backendRef): the reverse
// index that lets a patch find the routes a changed Gateway or Service touches without reading
// every route (at 10k Gateways, walking 20k routes' references was ~6 ms of each reconcile after
// a Gateway came or went). It follows the parsed route lists it is asked about: brought up to
// date from the last one by the few routes that came, went or changed (sorted lists: only the
// changed middle is compared), or built again when too much changed.

import type { ParsedRoute } from '../model/parsed.js';
import { compareRouteOrder } from './routes-changed.js';
import { middlePairs } from './sorted-pairs.js';

/** Past this many routes changed between two lists asked about, building again is as cheap. */
const MAX_CHANGED_ROUTES = 256;

export class RoutesNaming {
  private routes: readonly ParsedRoute[] = [];
  private readonly byKey = new Map<string, Set<ParsedRoute>>();

  /** The routes of `routes` (parsed route order) that name any of `keys` as a parent or a backend. */
  naming(routes: readonly ParsedRoute[], keys: Iterable<string>): Set<ParsedRoute> {
    this.follow(routes);
    const found = new Set<ParsedRoute>();
    for (const key of keys) for (const route of this.byKey.get(key) ?? []) found.add(route);
    return found;
  }

  private follow(routes: readonly ParsedRoute[]): void {
    if (routes === this.routes) return;
    const pairs = middlePairs(this.routes, routes, compareRouteOrder, MAX_CHANGED_ROUTES);
    if (pairs === undefined) {
      this.byKey.clear();
      for (const route of routes) this.index(route, true);
    } else {
      for (const [before, after] of pairs) {
        if (before !== undefined) this.index(before, false);
        if (after !== undefined) this.index(after, true);
      }
    }
    this.routes = routes;
  }

  private index(route: ParsedRoute, add: boolean): void {
    for (const key of namedKeys(route)) {
      let routes = this.byKey.get(key);
      if (add) {
        if (routes === undefined) this.byKey.set(key, (routes = new Set()));
        routes.add(route);
      } else if (routes !== undefined) {
        routes.delete(route);
        if (routes.size === 0) this.byKey.delete(key);
      }
    }
  }
}

/** The keys of the Gateways (and ListenerSets) and Services a route names. */
function namedKeys(route: ParsedRoute): Set<string> {
  const keys = new Set<string>();
  for (const p of route.parentRefs) keys.add(p.parentKey);
  for (const rule of route.rules) for (const ref of rule.backendRefs) keys.add(ref.backendKey);
  return keys;
}
