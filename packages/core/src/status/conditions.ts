import type { Condition } from '../model/kube.js';
import type { ConditionDraft } from '../model/graph.js';

/** Builds a condition draft; keeps rule code short and the field order uniform. */
export function condition(
  type: string,
  status: boolean | Condition['status'],
  reason: string,
  message: string,
): ConditionDraft {
  return { type, status: typeof status === 'boolean' ? (status ? 'True' : 'False') : status, reason, message };
}

/**
 * Merges the conditions a rule decided into an object's current conditions (GW7, and the
 * Gateway API's condition-update rules, spec §1):
 * - `observedGeneration` becomes `generation`;
 * - `lastTransitionTime` is kept when the status did not change, else becomes `now`;
 * - conditions of types we do not manage are preserved, in place;
 * - managed types we no longer set (negative-polarity `Conflicted`, `PartiallyInvalid`) are removed;
 * - an existing condition with a newer observedGeneration than ours is left alone (stale cache).
 * Existing conditions keep their order; new ones follow in draft order, so an unchanged status
 * serialises identically and `plan` writes nothing (R1).
 */
export function mergeConditions(
  existing: readonly Condition[],
  drafts: readonly ConditionDraft[],
  managedTypes: ReadonlySet<string>,
  generation: number,
  now: string,
): Condition[] {
  // Lists hold at most 8 conditions (CRD limit): linear scans beat building a Map and a Set,
  // and this runs for every Gateway, listener and route parent.
  const out: Condition[] = [];
  const done: string[] = [];
  for (const old of existing) {
    if (done.includes(old.type)) continue; // a duplicated type in the input: keep the first
    done.push(old.type);
    const draft = drafts.find((d) => d.type === old.type);
    if (draft === undefined) {
      if (!managedTypes.has(old.type)) out.push(old);
      continue;
    }
    if (old.observedGeneration !== undefined && old.observedGeneration > generation) {
      out.push(old);
      continue;
    }
    out.push(finalise(draft, old, generation, now));
  }
  for (const d of drafts) {
    if (done.includes(d.type)) continue; // merged above, or a repeated draft type: the first wins
    done.push(d.type);
    out.push(finalise(d, undefined, generation, now));
  }
  return out;
}

function finalise(draft: ConditionDraft, old: Condition | undefined, generation: number, now: string): Condition {
  const keepTime = old !== undefined && old.status === draft.status && old.lastTransitionTime !== '';
  // The steady state: nothing changed, so the existing condition is the result (no allocation).
  if (
    keepTime &&
    old.reason === draft.reason &&
    old.message === draft.message &&
    old.observedGeneration === generation &&
    Object.keys(old).length === 6
  ) {
    return old;
  }
  return {
    type: draft.type,
    status: draft.status,
    reason: draft.reason,
    message: draft.message,
    observedGeneration: generation,
    lastTransitionTime: keepTime ? old.lastTransitionTime : now,
  };
}

/** True when two condition lists are equal ignoring `lastTransitionTime` (used by tests and plan). */
export function sameConditions(a: readonly Condition[], b: readonly Condition[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((c, i) => {
    const d = b[i];
    return (
      d !== undefined &&
      c.type === d.type &&
      c.status === d.status &&
      c.reason === d.reason &&
      c.message === d.message &&
      c.observedGeneration === d.observedGeneration
    );
  });
}
