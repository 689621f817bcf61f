import type { StatusIntent } from '../model/desired.js';
import type { ResolvedGraph, RouteFeedback } from '../model/graph.js';
import type { ReconcileOptions } from '../model/options.js';

/**
 * Builds the final status of every class, Gateway and route of ours from the resolved graph and
 * the dataplane's feedback, merged with each object's current status (GW7: lastTransitionTime
 * kept when a condition's status is unchanged, other condition types and other controllers'
 * route parent entries preserved). Sorted by target.
 */
export function buildStatuses(
  graph: ResolvedGraph,
  feedback: readonly RouteFeedback[],
  options: ReconcileOptions,
): StatusIntent[] {
  void graph;
  void feedback;
  void options;
  return [];
}
