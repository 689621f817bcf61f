import type { Attachment } from '../model/context.js';
import type { ClassParameters, ResolvedBackend, WinningRoute } from '../model/graph.js';
import type { ReconcileOptions, ServiceBehaviour } from '../model/options.js';
import type { ParsedRoute } from '../model/parsed.js';
import { ROUTE_LABEL_SELECTOR_KEY, ROUTE_LABEL_SELECTOR_VALUE, ROUTE_LABEL_SERVICE_BEHAVIOUR } from '../model/labels.js';
import { compareStrings } from '../model/order.js';
import { isServiceBehaviour } from '../model/options.js';

/**
 * RT5 order: oldest `creationTimestamp` first, then `namespace/name`. A missing timestamp
 * (manifest files) sorts first, so file order never decides.
 */
export function compareRoutePrecedence(a: ParsedRoute, b: ParsedRoute): number {
  return (
    compareStrings(a.meta.creationTimestamp, b.meta.creationTimestamp) ||
    compareStrings(a.meta.namespace, b.meta.namespace) ||
    compareStrings(a.meta.name, b.meta.name) ||
    compareStrings(a.kind, b.kind)
  );
}

/** Sorts a listener's attachments in place by RT5 precedence; the first is the winner. */
export function sortByPrecedence(attached: Attachment[]): void {
  attached.sort((a, b) => compareRoutePrecedence(a.route, b.route));
}

/**
 * DP: the behaviour of a listener's winning route: its `serviceBehaviour` label when that names
 * a behaviour, else the class parameters', else the flag's. `labelIgnored` reports an unknown label value.
 */
export function chooseBehaviour(
  route: ParsedRoute,
  params: ClassParameters,
  options: ReconcileOptions,
): { behaviour: ServiceBehaviour; labelIgnored?: string } {
  const label = Object.hasOwn(route.meta.labels, ROUTE_LABEL_SERVICE_BEHAVIOUR)
    ? route.meta.labels[ROUTE_LABEL_SERVICE_BEHAVIOUR]
    : undefined;
  const fallback = params.serviceBehaviour ?? options.serviceBehaviour;
  if (label === undefined) return { behaviour: fallback };
  if (isServiceBehaviour(label)) return { behaviour: label };
  return { behaviour: fallback, labelIgnored: label };
}

/** Builds the winner record the dataplane realises. */
export function winningRoute(
  attachment: Attachment,
  behaviour: ServiceBehaviour,
  backends: readonly ResolvedBackend[],
): WinningRoute {
  const labels = attachment.route.meta.labels;
  const selectorKey = Object.hasOwn(labels, ROUTE_LABEL_SELECTOR_KEY) ? labels[ROUTE_LABEL_SELECTOR_KEY] : undefined;
  const selectorValue = Object.hasOwn(labels, ROUTE_LABEL_SELECTOR_VALUE) ? labels[ROUTE_LABEL_SELECTOR_VALUE] : undefined;
  const winner: { -readonly [K in keyof WinningRoute]: WinningRoute[K] } = { route: attachment.route, key: attachment.key, behaviour, backends };
  if (selectorKey !== undefined) winner.selectorKey = selectorKey;
  if (selectorValue !== undefined) winner.selectorValue = selectorValue;
  return winner;
}
