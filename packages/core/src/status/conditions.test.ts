import { describe, expect, it } from 'vitest';
import type { Condition } from '../model/kube.js';
import { condition, mergeConditions } from './conditions.js';

const OLD = '2020-01-01T00:00:00Z';
const NOW = '2026-01-01T00:00:00Z';
const MANAGED = new Set(['Accepted', 'Programmed', 'Conflicted']);

function existing(type: string, status: Condition['status'], extra: Partial<Condition> = {}): Condition {
  return { type, status, reason: 'Old', message: 'old', observedGeneration: 1, lastTransitionTime: OLD, ...extra };
}

describe('mergeConditions', () => {
  it('should keep lastTransitionTime when the status is unchanged even if the reason changes (GW7)', () => {
    const [c] = mergeConditions([existing('Accepted', 'True')], [condition('Accepted', true, 'New', 'new')], MANAGED, 2, NOW);
    expect(c).toEqual({ type: 'Accepted', status: 'True', reason: 'New', message: 'new', observedGeneration: 2, lastTransitionTime: OLD });
  });

  it('should set lastTransitionTime to now when the status changes (GW7)', () => {
    const [c] = mergeConditions([existing('Accepted', 'True')], [condition('Accepted', false, 'Bad', 'bad')], MANAGED, 1, NOW);
    expect(c?.lastTransitionTime).toBe(NOW);
  });

  it('should set observedGeneration to the object generation on every condition (GW7)', () => {
    const out = mergeConditions([], [condition('Accepted', true, 'A', ''), condition('Programmed', true, 'P', '')], MANAGED, 7, NOW);
    expect(out.map((c) => c.observedGeneration)).toEqual([7, 7]);
  });

  it('should preserve conditions of other types in place (GW7)', () => {
    const foreign = existing('example.com/Custom', 'True');
    const out = mergeConditions([foreign, existing('Accepted', 'False')], [condition('Accepted', true, 'A', '')], MANAGED, 1, NOW);
    expect(out.map((c) => c.type)).toEqual(['example.com/Custom', 'Accepted']);
    expect(out[0]).toBe(foreign);
  });

  it('should remove a managed negative-polarity condition that is no longer set (GW6 Conflicted only when true)', () => {
    const out = mergeConditions([existing('Conflicted', 'True')], [condition('Accepted', true, 'A', '')], MANAGED, 1, NOW);
    expect(out.map((c) => c.type)).toEqual(['Accepted']);
  });

  it('should not touch a condition whose observedGeneration is newer than ours (stale cache, spec §1)', () => {
    const newer = existing('Accepted', 'True', { observedGeneration: 5 });
    const [c] = mergeConditions([newer], [condition('Accepted', false, 'X', '')], MANAGED, 4, NOW);
    expect(c).toBe(newer);
  });

  it('should return the existing condition itself when nothing changed (R1, steady state)', () => {
    const old = existing('Accepted', 'True', { reason: 'A', message: 'm', observedGeneration: 3 });
    const [c] = mergeConditions([old], [condition('Accepted', true, 'A', 'm')], MANAGED, 3, NOW);
    expect(c).toBe(old);
  });

  it('should return the existing list itself when nothing changed, and a new list otherwise (R1)', () => {
    const a = existing('Accepted', 'True', { reason: 'A', message: 'm' });
    const p = existing('Programmed', 'True', { reason: 'P', message: 'm' });
    const drafts = [condition('Accepted', true, 'A', 'm'), condition('Programmed', true, 'P', 'm')];
    const list = [a, p];
    expect(mergeConditions(list, drafts, MANAGED, 1, NOW)).toBe(list);
    // Reordered, a repeated draft type, a changed message, a newer generation: merged anew.
    expect(mergeConditions([p, a], drafts, MANAGED, 1, NOW)).toEqual([p, a]);
    expect(mergeConditions([p, a], drafts, MANAGED, 1, NOW)).not.toBe(list);
    const repeated = [condition('Accepted', true, 'A', 'm'), condition('Accepted', false, 'X', 'x')];
    expect(mergeConditions([a, existing('Accepted', 'False')], repeated, MANAGED, 1, NOW)).toEqual([a]);
    expect(mergeConditions(list, [drafts[0]!, condition('Programmed', true, 'P', 'other')], MANAGED, 1, NOW)[1]?.message).toBe('other');
    expect(mergeConditions(list, drafts, MANAGED, 2, NOW).map((c) => c.observedGeneration)).toEqual([2, 2]);
  });

  it('should give a new condition lastTransitionTime now', () => {
    const [c] = mergeConditions([], [condition('Accepted', true, 'A', '')], MANAGED, 1, NOW);
    expect(c?.lastTransitionTime).toBe(NOW);
  });
});
