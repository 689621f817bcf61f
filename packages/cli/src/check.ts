// `reconcile -check`: a CI gate. The dry run succeeds, but would the controller leave every
// object of ours ready? Classes Accepted, Gateways Programmed (GW4), every route parent of ours
// Accepted with resolved references (RT2, RT4), and no error diagnostics (e.g. a broken pool).
// Rules are in docs/rules.md. Finding nothing to check fails too: an empty directory, a wrong
// -gateway-class-name or a misspelt gatewayClassName would otherwise pass silently.

import type { Desired, Snapshot, StatusIntent } from '@l4gw/core';
import { describe } from './cluster.js';

/** Where the objects came from: on a live cluster, other controllers' Gateways are expected. */
export type CheckScope = 'files' | 'cluster';

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

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** `spec.<name>` of a raw object from the snapshot (core parses; this only peeks). */
function specField(object: unknown, name: string): unknown {
  return record(record(object)['spec'])[name];
}

function nameOf(object: unknown): string {
  const metadata = record(record(object)['metadata']);
  const name = String(metadata['name']);
  return typeof metadata['namespace'] === 'string' ? `${metadata['namespace']}/${name}` : name;
}

/** What -check found about ownership: lines that fail the check, and lines only worth a warning. */
export interface OwnershipFindings {
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Problems of what was found rather than of its status (GC1, GW1): no class of ours, no Gateway of
 * ours, and a Gateway naming a class that does not exist or belongs to another controller. In
 * manifests, which are meant for l4gw, both fail the check. On a live cluster other controllers'
 * Gateways (and leftovers naming classes long gone) are expected, so there a Gateway naming a
 * missing class is only a warning and another controller's Gateway is nothing to report.
 */
export function ownershipFindings(snapshot: Snapshot, controllerName: string, scope: CheckScope): OwnershipFindings {
  const controllerOf = new Map(snapshot.gatewayClasses.map((gatewayClass) => [nameOf(gatewayClass), specField(gatewayClass, 'controllerName')]));
  const ours = [...controllerOf].filter(([, controller]) => controller === controllerName).map(([name]) => name);
  const found: string[] = [];
  const gateways: string[] = [];
  const warnings: string[] = [];
  if (ours.length === 0) found.push(`no GatewayClass has spec.controllerName ${JSON.stringify(controllerName)} (is -gateway-class-name right?)`);
  let gatewaysOfOurs = 0;
  for (const gateway of snapshot.gateways) {
    const className = specField(gateway, 'gatewayClassName');
    const controller = typeof className === 'string' ? controllerOf.get(className) : undefined;
    if (controller === controllerName) gatewaysOfOurs += 1;
    else if (!controllerOf.has(String(className))) {
      (scope === 'files' ? gateways : warnings).push(`Gateway ${nameOf(gateway)}: gatewayClassName ${JSON.stringify(className)} names no GatewayClass`);
    } else if (scope === 'files') {
      gateways.push(`Gateway ${nameOf(gateway)}: GatewayClass ${JSON.stringify(className)} belongs to controller ${JSON.stringify(controller)}, not ${JSON.stringify(controllerName)}`);
    }
  }
  if (gatewaysOfOurs === 0) found.push(`no Gateway uses a GatewayClass of controller ${JSON.stringify(controllerName)}`);
  return { problems: [...found, ...gateways.sort()], warnings: warnings.sort() };
}

/** Every reason the cluster would not be ready, one line each (empty when all is well), and warnings. */
export function readinessProblems(snapshot: Snapshot, desired: Desired, controllerName: string, scope: CheckScope): OwnershipFindings {
  const ownership = ownershipFindings(snapshot, controllerName, scope);
  const problems = desired.statuses.flatMap((intent) => problemsOf(intent, controllerName));
  const errors = desired.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => `diagnostic: ${diagnostic.message}`);
  return { problems: [...ownership.problems, ...problems.sort(), ...errors], warnings: ownership.warnings };
}
