import { describe, expect, it } from 'vitest';
import { recall, type MemoSlot } from './memo.js';

describe('recall', () => {
  it('should reuse a result only for the same inputs, comparing with a copy of what they were', () => {
    const slot: MemoSlot<number> = {};
    let computed = 0;
    const compute = (): number => ++computed;
    const a = {};
    const inputs: unknown[] = [a, 1];
    expect(recall(slot, inputs, compute)).toBe(1);
    expect(recall(slot, [a, 1], compute)).toBe(1);
    // The caller refills its list in place (engine/plan.ts passes a snapshot's list as is).
    inputs[1] = 2;
    expect(recall(slot, inputs, compute)).toBe(2);
    expect(recall(slot, [{}, 2], compute)).toBe(3);
  });
});
