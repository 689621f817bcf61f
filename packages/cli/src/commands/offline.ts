// What `reconcile` and `ipam` share: read manifests (or a live cluster, read-only), run core's
// reconcile and plan once, and apply the plan to the in-memory copy.

import type { Desired, Diagnostic, EventRecord, KubeObject, Snapshot } from '@l4gw/core';
import { OfflineCluster, describe } from '../cluster.js';
import { snapshotFromCluster } from '../cluster-snapshot.js';
import { coreEngine } from '../engine.js';
import { CliError, ExitCode, type ExitCodeValue, usageError } from '../errors.js';
import type { FlagSpec, FlagValues } from '../flags.js';
import { chooseKubeConfig, loadKubeConfig, overrideServer } from '../kubeconfig.js';
import { type SourcedObject, readManifests } from '../manifests.js';
import { reconcileOptionsFrom } from '../options.js';
import { CoreApiNotServed } from '../cluster-snapshot.js';

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
  usage: 'RFC 3339 time written as lastTransitionTime of changed conditions (reading a cluster: default now)',
};

/** The cluster after one reconcile, with core's full answer for reports. */
export interface OfflineRun {
  readonly cluster: OfflineCluster;
  /** What core was given (before its plan was applied). */
  readonly snapshot: Snapshot;
  readonly desired: Desired;
  /** Whether the objects were read from a live cluster rather than files. */
  readonly fromCluster: boolean;
}

export const KUBECONFIG_FLAG: FlagSpec = {
  kind: 'string',
  name: 'kubeconfig',
  default: '',
  usage: 'read a live cluster instead of files (read-only): this kubeconfig; without -f and with no path, $KUBECONFIG, then in-cluster, then ~/.kube/config',
};

/**
 * Reads the input (manifests given with `-f`, or a live cluster, read-only) and reconciles it once,
 * applying core's plan to the in-memory copy. A cluster is read when `-kubeconfig` is given, or
 * when `clusterByDefault` and no `-f` is. Offline runs default to a fixed clock (reproducible
 * output); cluster runs to the current time.
 */
export async function reconcileInput(
  command: string,
  flags: FlagValues,
  clusterByDefault: boolean,
  notServedExit: ExitCodeValue = ExitCode.runtime,
): Promise<OfflineRun> {
  if (flags.rest.length > 0) throw usageError(`${command}: unexpected argument ${JSON.stringify(flags.rest[0])} (files are given with -f)`);
  const paths = flags.list('f');
  const clusterGiven = flags.isSet('kubeconfig') || flags.isSet('master');
  if (paths.length > 0 && clusterGiven) throw usageError(`${command}: give -f (files) or -kubeconfig / -master (a cluster), not both`);
  const fromCluster = clusterGiven || (clusterByDefault && paths.length === 0);
  if (!fromCluster && paths.length === 0) throw usageError(`${command}: at least one -f <file or directory> (or -kubeconfig) is required`);
  const now = flags.isSet('now') || !fromCluster ? flags.string('now') : new Date().toISOString();
  if (!RFC3339.test(now) || Number.isNaN(Date.parse(now))) throw usageError(`invalid value ${JSON.stringify(now)} for flag -now: not an RFC 3339 time`);
  const objects = fromCluster ? await readCluster(flags.string('kubeconfig'), flags.string('master'), notServedExit) : readManifests(paths);
  const cluster = OfflineCluster.fromManifests(objects, now);
  const engine = coreEngine();
  const snapshot = cluster.snapshot();
  const desired = engine.reconcile(snapshot, reconcileOptionsFrom(flags, now));
  cluster.apply(engine.plan(desired, snapshot));
  return { cluster, snapshot, desired, fromCluster };
}

/**
 * Lists what core reads from the cluster. A server that answers 404 for the core API is not a
 * Kubernetes API server (a wrong address or path): that is `notServedExit` (5 under -check).
 */
async function readCluster(kubeconfig: string, master: string, notServedExit: ExitCodeValue): Promise<SourcedObject[]> {
  const kubeConfig = await loadKubeConfig(chooseKubeConfig(kubeconfig, process.env, undefined, undefined, master));
  overrideServer(kubeConfig, master);
  let snapshot;
  try {
    snapshot = await snapshotFromCluster(kubeConfig);
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (error instanceof CoreApiNotServed) throw new CliError(notServedExit, error.message);
    const { errorText } = await import('@l4gw/adapter-k8s');
    throw new CliError(ExitCode.runtime, `cannot read the cluster at ${kubeConfig.getCurrentCluster()?.server ?? '?'}: ${errorText(error)}`);
  }
  const lists = Object.values(snapshot).filter((value): value is unknown[] => Array.isArray(value));
  return lists.flat().map((object) => ({ object: object as KubeObject, source: 'cluster' }));
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
