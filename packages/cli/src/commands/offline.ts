// What `reconcile` and `ipam -f` share: read manifests, run core's reconcile and plan once, and
// apply the plan to the in-memory cluster.

import type { Desired, EventRecord, Diagnostic } from '@l4gw/core';
import { OfflineCluster, describe } from '../cluster.js';
import { coreEngine } from '../engine.js';
import { usageError } from '../errors.js';
import type { FlagSpec, FlagValues } from '../flags.js';
import { readManifests } from '../manifests.js';
import { reconcileOptionsFrom } from '../options.js';

/** Offline runs use a fixed clock by default so their output is reproducible (for goldens and GitOps diffs). */
export const DEFAULT_OFFLINE_NOW = '1970-01-01T00:00:00Z';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const FILE_FLAG: FlagSpec = {
  kind: 'list',
  name: 'f',
  usage: 'manifest file or directory (recursed, .yaml/.yml/.json), or - for standard input; repeat for more',
};

export const NOW_FLAG: FlagSpec = {
  kind: 'string',
  name: 'now',
  default: DEFAULT_OFFLINE_NOW,
  usage: 'RFC 3339 time written as lastTransitionTime of changed conditions',
};

/** The cluster after one reconcile, with core's full answer for reports. */
export interface OfflineRun {
  readonly cluster: OfflineCluster;
  readonly desired: Desired;
}

/** Validates `-f`, `-now` and leftovers, then reconciles the manifests once. */
export function reconcileFiles(command: string, flags: FlagValues): OfflineRun {
  if (flags.rest.length > 0) throw usageError(`${command}: unexpected argument ${JSON.stringify(flags.rest[0])} (files are given with -f)`);
  const paths = flags.list('f');
  if (paths.length === 0) throw usageError(`${command}: at least one -f <file or directory> is required`);
  const now = flags.string('now');
  if (!RFC3339.test(now) || Number.isNaN(Date.parse(now))) throw usageError(`invalid value ${JSON.stringify(now)} for flag -now: not an RFC 3339 time`);
  const cluster = OfflineCluster.fromManifests(readManifests(paths), now);
  const engine = coreEngine();
  const snapshot = cluster.snapshot();
  const desired = engine.reconcile(snapshot, reconcileOptionsFrom(flags, now));
  cluster.apply(engine.plan(desired, snapshot));
  return { cluster, desired };
}

/** One line per diagnostic, e.g. `warning: ConfigMap kube-system/kubevip: range-global: …`. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  // Core's messages often name their object already; do not say it twice.
  const subject = diagnostic.object === undefined ? '' : describe(diagnostic.object);
  const about = subject === '' || diagnostic.message.includes(subject) ? '' : `${subject}: `;
  return `${diagnostic.severity}: ${about}${diagnostic.message}`;
}

/** One line per event, as `kubectl get events` would summarise it. */
export function formatEvent(event: EventRecord): string {
  const subject = describe(event.regarding);
  const message = event.message.startsWith(`${subject} `) ? event.message.slice(subject.length + 1) : event.message;
  return `event: ${event.type} ${event.reason} ${subject}: ${message}`;
}
