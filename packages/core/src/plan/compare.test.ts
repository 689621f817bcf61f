import { describe, expect, it } from 'vitest';
import { deepEqual, editedObjectMatches, isSubset, statusEqual } from './compare.js';

describe('isSubset', () => {
  it('should accept extra fields the server added, at any depth', () => {
    expect(isSubset({ spec: { ports: [{ port: 80 }] } }, { spec: { clusterIP: 'x', ports: [{ port: 80, nodePort: 30000 }] } })).toBe(true);
  });

  it('should reject a changed value and a list of another length', () => {
    expect(isSubset({ a: 1 }, { a: 2 })).toBe(false);
    expect(isSubset({ a: [1] }, { a: [1, 2] })).toBe(false);
  });
});

describe('deepEqual', () => {
  it('should treat an absent key and an undefined one alike', () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
  });

  it('should notice a key only one side has', () => {
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });
});

describe('statusEqual (GW7)', () => {
  it('should ignore lastTransitionTime but nothing else', () => {
    const c = { type: 'Accepted', status: 'True', lastTransitionTime: 't1' };
    expect(statusEqual({ conditions: [c] }, { conditions: [{ ...c, lastTransitionTime: 't2' }] })).toBe(true);
    expect(statusEqual({ conditions: [c] }, { conditions: [{ ...c, status: 'False' }] })).toBe(false);
  });
});

describe('editedObjectMatches', () => {
  it('should ignore server metadata and status, and treat empty maps as absent', () => {
    const desired = { metadata: { name: 'x', labels: {} }, spec: { a: 1 } };
    const observed = { metadata: { name: 'x', uid: 'u', resourceVersion: '3' }, spec: { a: 1 }, status: { b: 2 } };
    expect(editedObjectMatches(desired, observed)).toBe(true);
    expect(editedObjectMatches({ ...desired, spec: { a: 2 } }, observed)).toBe(false);
  });
});
