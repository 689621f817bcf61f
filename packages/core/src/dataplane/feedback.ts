// Problems the dataplane finds in a route (DP2 selector labels and name clashes, DP5 dropped
// backends) go back to the status builder as RouteFeedback. A route realised on several
// listeners of one Gateway would report the same problem once per listener; this keeps one.

import type { RouteFeedback } from '../model/graph.js';

/** Collects feedback, dropping exact repeats, in the order first reported. */
export class FeedbackCollector {
  private readonly seen = new Set<string>();
  readonly items: RouteFeedback[] = [];

  /** Records `feedback` unless the same route, Gateway, condition, reason and message is already there. */
  add(feedback: RouteFeedback): void {
    const key = [feedback.route, feedback.gateway, feedback.condition, feedback.reason, feedback.message].join('\u0000');
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(feedback);
  }
}
