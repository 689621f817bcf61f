import { describe, expect, it } from 'vitest';
import { chunk } from './mirror.js';

// Mirroring itself is tested through the engine's memo of it (engine/endpoints.test.ts), whose
// results must be the mirrored groups whether remembered or not.
describe('chunk (DP1)', () => {
  it('should not copy a list that fits in one slice, and split one that does not', () => {
    const items = [1, 2, 3];
    expect(chunk(items, 3)[0]).toBe(items);
    expect(chunk(items, 2)).toEqual([[1, 2], [3]]);
    expect(chunk([], 2)).toEqual([[]]);
  });
});
