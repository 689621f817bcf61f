import type { Condition } from '../model/kube.js';
import type { ConditionDraft } from '../model/graph.js';
import { fieldCount } from '../parse/primitives.js';

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
 * serialises identically and `plan` writes nothing (R1). `clock.used` is set when a condition
 * got `now` as its lastTransitionTime (the result then depends on `now`).
 */
export function mergeConditions(
  existing: readonly Condition[],
  drafts: readonly ConditionDraft[],
  managedTypes: ReadonlySet<string>,
  generation: number,
  now: string,
  clock?: ClockUse,
): readonly Condition[] {
  // The steady state: the existing list is already the result, so it is returned as it is, and
  // callers (and plan) can tell an unchanged list by identity.
  if (isAlreadyMerged(existing, drafts, generation, now)) return existing;
  // Lists hold at most 8 conditions (CRD limit): indexed scans beat building a Map and a Set
  // (or even a list of the types seen), and this runs for every Gateway, listener and route parent.
  const out: Condition[] = [];
  for (let i = 0; i < existing.length; i++) {
    const old = existing[i] as Condition;
    if (indexOfType(existing, old.type) < i) continue; // a duplicated type in the input: keep the first
    const d = indexOfType(drafts, old.type);
    if (d < 0) {
      if (!managedTypes.has(old.type)) out.push(old);
      continue;
    }
    if (old.observedGeneration !== undefined && old.observedGeneration > generation) {
      out.push(old);
      continue;
    }
    out.push(finalise(drafts[d] as ConditionDraft, old, generation, now, clock));
  }
  for (let i = 0; i < drafts.length; i++) {
    const draft = drafts[i] as ConditionDraft;
    // Merged above, or a repeated draft type: the first wins.
    if (indexOfType(existing, draft.type) >= 0 || indexOfType(drafts, draft.type) < i) continue;
    out.push(finalise(draft, undefined, generation, now, clock));
  }
  return out;
}

/**
 * True when merging would give `existing` back unchanged: the same types in the same order, no
 * type repeated, and every condition kept as it is (same status, reason, message and generation).
 */
function isAlreadyMerged(existing: readonly Condition[], drafts: readonly ConditionDraft[], generation: number, now: string): boolean {
  if (existing.length !== drafts.length) return false;
  for (let i = 0; i < drafts.length; i++) {
    const draft = drafts[i] as ConditionDraft;
    const old = existing[i] as Condition;
    if (old.type !== draft.type || indexOfType(drafts, draft.type) < i) return false;
    if (finalise(draft, old, generation, now) !== old) return false;
  }
  return true;
}

/** The index of the first item of `type`, or -1. */
function indexOfType(items: readonly { readonly type: string }[], type: string): number {
  for (let i = 0; i < items.length; i++) if ((items[i] as { type: string }).type === type) return i;
  return -1;
}

/** Records whether `now` went into a result (see mergeConditions). */
export interface ClockUse {
  used: boolean;
}

function finalise(draft: ConditionDraft, old: Condition | undefined, generation: number, now: string, clock?: ClockUse): Condition {
  const keepTime = old !== undefined && old.status === draft.status && old.lastTransitionTime !== '';
  // The steady state: nothing changed, so the existing condition is the result (no allocation).
  if (
    keepTime &&
    old.reason === draft.reason &&
    old.message === draft.message &&
    old.observedGeneration === generation &&
    // no fields beyond the six of a Condition (it has all six when this is asked)
    fieldCount(old) === 6
  ) {
    return old;
  }
  if (!keepTime && clock !== undefined) clock.used = true;
  return {
    type: draft.type,
    status: draft.status,
    reason: draft.reason,
    message: draft.message,
    observedGeneration: generation,
    lastTransitionTime: keepTime ? old.lastTransitionTime : now,
  };
}
