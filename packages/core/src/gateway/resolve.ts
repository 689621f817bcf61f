import type { ResolvedGraph } from '../model/graph.js';
import type { ReconcileOptions } from '../model/options.js';
import type { Snapshot } from '../model/snapshot.js';

/**
 * Resolves a raw snapshot into the graph the dataplane realises: parses every input, decides
 * which classes, Gateways and routes are ours (GC1, GW1, RT3), validates listeners (GW2–GW6),
 * attaches routes (RT1–RT5), resolves backends (RT4, RT6) and assigns addresses through IPAM
 * (IP1–IP7, DP7). Pure and total: never throws, output independent of input order.
 */
export function resolveGraph(snapshot: Snapshot, options: ReconcileOptions): ResolvedGraph {
  void snapshot;
  void options;
  return {
    classes: [],
    gateways: [],
    routes: [],
    index: {
      namespaces: new Map(),
      services: new Map(),
      endpointSlicesByService: new Map(),
      endpointSlices: new Map(),
      configMaps: new Map(),
      referenceGrants: [],
    },
    objects: [],
    events: [],
    diagnostics: [],
    poolUsage: [],
    addresses: [],
  };
}
