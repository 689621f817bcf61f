// Golden scenarios: reading `<story>.in.yaml` into a snapshot and options, and writing what
// reconcile and plan make of it as readable YAML. The format is described in scenarios/README.md.

import { parseAllDocuments, stringify } from 'yaml';
import {
  defaultOptions,
  emptySnapshot,
  SNAPSHOT_LIST_OF_KIND,
  plan,
  reconcile,
  type Action,
  type Desired,
  type ReconcileOptions,
  type Snapshot,
} from '../../src/index.js';
import { applyActions } from '../properties/apply-actions.js';

/** The clock of every scenario unless its options say otherwise. */
export const SCENARIO_NOW = '2026-05-01T12:00:00Z';

/** The kind of the options document in an `.in.yaml` file. */
export const OPTIONS_KIND = 'ReconcileOptions';


export interface Scenario {
  readonly snapshot: Snapshot;
  readonly options: ReconcileOptions;
}

/**
 * Parses a scenario: every YAML document is an input object placed in the snapshot list of its
 * kind, except one optional `kind: ReconcileOptions` document whose `options` override the
 * defaults and whose `crdBundleVersions` fill the snapshot's (GC3). Unknown kinds are an error,
 * so a typo cannot silently drop an input.
 */
export function parseScenario(text: string): Scenario {
  const lists: Record<string, unknown[]> = {};
  let options: ReconcileOptions = defaultOptions(SCENARIO_NOW);
  let crdBundleVersions: Record<string, string> | undefined;
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`YAML error: ${doc.errors[0]?.message ?? ''}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error('every document must be an object');
    const object = value as Record<string, unknown>;
    if (object['kind'] === OPTIONS_KIND) {
      options = { ...options, ...(object['options'] as Partial<ReconcileOptions> | undefined) };
      crdBundleVersions = object['crdBundleVersions'] as Record<string, string> | undefined;
      continue;
    }
    const list = SNAPSHOT_LIST_OF_KIND[String(object['kind'])];
    if (list === undefined) throw new Error(`unknown kind ${String(object['kind'])}`);
    (lists[list] ??= []).push(object);
  }
  const snapshot: Snapshot = { ...emptySnapshot(), ...lists, ...(crdBundleVersions === undefined ? {} : { crdBundleVersions }) };
  return { snapshot, options };
}

/** Everything a scenario records: the desired state, the plan against the input, and the plan after applying it. */
export interface ScenarioResult {
  readonly desired: Desired;
  readonly plan: readonly Action[];
  /**
   * Plan after applying `plan` and reconciling again; must be empty (the one-step fixpoint),
   * except for status updates of objects whose generation the plan itself bumped (GW5
   * `-pin-addresses` writes a Gateway's spec, and GW7 then wants the new observedGeneration).
   */
  readonly replan: readonly Action[];
  /** Status updates left over for exactly that reason; after them nothing is planned. */
  readonly generationFollowUps: readonly Action[];
}

/** Runs reconcile and plan on a scenario, then checks the fixpoint on the simulated API server. */
export function runScenario({ snapshot, options }: Scenario): ScenarioResult {
  const desired = reconcile(snapshot, options);
  const actions = plan(desired, snapshot);
  const applied = applyActions(snapshot, actions);
  const bumped = new Set(
    actions.flatMap((a) => (a.verb === 'update' && generationOf(applied, a.object) !== a.object.metadata.generation ? [refName(a.object)] : [])),
  );
  const second = plan(reconcile(applied, options), applied);
  const generationFollowUps = second.filter((a) => a.verb === 'updateStatus' && bumped.has(`${a.target.kind}/${a.target.namespace ?? ''}/${a.target.name}`));
  const rest = second.filter((a) => !generationFollowUps.includes(a));
  if (generationFollowUps.length === 0 || rest.length > 0) return { desired, plan: actions, replan: rest, generationFollowUps };
  const reapplied = applyActions(applied, generationFollowUps);
  return { desired, plan: actions, replan: plan(reconcile(reapplied, options), reapplied), generationFollowUps };
}

function refName(object: { kind: string; metadata: { namespace?: string; name: string } }): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/** The generation of `object`'s counterpart in `snapshot` (after the simulated write). */
function generationOf(snapshot: Snapshot, object: { kind: string; metadata: { namespace?: string; name: string } }): number | undefined {
  const lists: readonly (readonly unknown[])[] = [snapshot.gatewayClasses, snapshot.gateways, snapshot.tcpRoutes, snapshot.udpRoutes, snapshot.services];
  for (const list of lists) {
    for (const raw of list) {
      const o = raw as { kind?: string; metadata?: { namespace?: string; name?: string; generation?: number } };
      if (o.kind === object.kind && o.metadata?.name === object.metadata.name && o.metadata.namespace === object.metadata.namespace) {
        return o.metadata.generation;
      }
    }
  }
  return undefined;
}

/**
 * One line per action. The bodies of creates and status updates are the desired objects and
 * statuses shown above, and the fixpoint check proves the update bodies right, so the plan is
 * recorded by what it touches: `update v1/Service default/web @ 10`.
 */
export function describeAction(action: Action): string {
  if (action.verb === 'create' || action.verb === 'update') {
    const { apiVersion, kind, metadata } = action.object;
    const at = action.verb === 'update' ? ` @ ${metadata.resourceVersion ?? '?'}` : '';
    return `${action.verb} ${apiVersion}/${kind} ${metadata.namespace === undefined ? '' : `${metadata.namespace}/`}${metadata.name}${at}`;
  }
  const { apiVersion, kind, namespace, name } = action.target;
  return `${action.verb} ${apiVersion}/${kind} ${namespace === undefined ? '' : `${namespace}/`}${name}`;
}

/** The `.out.yaml` text: one document with a section per output, in a fixed order. */
export function renderResult(result: ScenarioResult): string {
  const { desired } = result;
  return stringify(
    {
      statuses: desired.statuses,
      objects: desired.objects,
      events: desired.events,
      diagnostics: desired.diagnostics,
      addresses: desired.addresses,
      poolUsage: desired.poolUsage,
      plan: result.plan.map(describeAction),
    },
    { lineWidth: 0, aliasDuplicateObjects: false },
  );
}
