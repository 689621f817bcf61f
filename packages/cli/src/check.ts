// `reconcile -check`: a CI gate. The dry run succeeds, but would the controller leave every
// object of ours ready? Classes Accepted, Gateways Programmed (GW4), every route parent of ours
// Accepted with resolved references (RT2, RT4), and no error diagnostics (e.g. a broken pool).

import type { Desired, StatusIntent } from '@l4gw/core';
import { describe } from './cluster.js';

interface ConditionLike {
  readonly type?: unknown;
  readonly status?: unknown;
  readonly reason?: unknown;
  readonly message?: unknown;
}

function conditions(value: unknown): ConditionLike[] {
  return Array.isArray(value) ? (value.filter((entry) => typeof entry === 'object' && entry !== null) as ConditionLike[]) : [];
}

function notTrue(list: readonly ConditionLike[], type: string, what: string): string[] {
  const condition = list.find((entry) => entry.type === type);
  if (condition?.status === 'True') return [];
  if (condition === undefined) return [`${what}: no ${type} condition`];
  return [`${what}: ${type}=${String(condition.status)} (${String(condition.reason)}): ${String(condition.message)}`];
}

function problemsOf(intent: StatusIntent, controllerName: string): string[] {
  const what = describe(intent.target);
  switch (intent.target.kind) {
    case 'GatewayClass':
      return notTrue(conditions(intent.status['conditions']), 'Accepted', what);
    case 'Gateway':
      return notTrue(conditions(intent.status['conditions']), 'Programmed', what);
    case 'TCPRoute':
    case 'UDPRoute': {
      const parents = Array.isArray(intent.status['parents']) ? (intent.status['parents'] as Record<string, unknown>[]) : [];
      return parents
        .filter((parent) => parent['controllerName'] === controllerName)
        .flatMap((parent) => {
          const ref = (parent['parentRef'] ?? {}) as Record<string, unknown>;
          const section = ref['sectionName'] === undefined ? '' : `/${String(ref['sectionName'])}`;
          const at = `${what} on ${String(ref['name'])}${section}`;
          const list = conditions(parent['conditions']);
          return [...notTrue(list, 'Accepted', at), ...notTrue(list, 'ResolvedRefs', at)];
        });
    }
    default:
      return [];
  }
}

/** Every reason the cluster would not be ready, one line each, sorted; empty when all is well. */
export function readinessProblems(desired: Desired, controllerName: string): string[] {
  const problems = desired.statuses.flatMap((intent) => problemsOf(intent, controllerName));
  const errors = desired.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => `diagnostic: ${diagnostic.message}`);
  return [...problems.sort(), ...errors];
}
