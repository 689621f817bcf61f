import { describe, expect, it } from 'vitest';
import { ReleasedAddresses } from './released-addresses.js';

const held = (...addresses: string[]) => addresses.map((address) => ({ address }));

describe('ReleasedAddresses (IP8)', () => {
  it('should hold back an address from its release until the hold ends, as one unchanged list meanwhile', () => {
    const released = new ReleasedAddresses(5_000);
    released.observe(held('10.0.0.1', '10.0.0.2'), 0);
    expect(released.heldBack(0)).toEqual([]);
    released.observe(held('10.0.0.2'), 1_000);
    const during = released.heldBack(1_000);
    expect(during).toEqual(['10.0.0.1']);
    expect(released.heldBack(5_999)).toBe(during);
    expect(released.nextRelease()).toBe(6_000);
    expect(released.heldBack(6_000)).toEqual([]);
    expect(released.nextRelease()).toBeUndefined();
  });

  it('should stop holding back an address that is held again', () => {
    const released = new ReleasedAddresses(5_000);
    released.observe(held('10.0.0.1'), 0);
    released.observe(held(), 1_000);
    expect(released.heldBack(1_000)).toEqual(['10.0.0.1']);
    released.observe(held('10.0.0.1'), 2_000);
    expect(released.heldBack(2_000)).toEqual([]);
  });

  it('should hold nothing back with a hold of 0', () => {
    const released = new ReleasedAddresses(0);
    released.observe(held('10.0.0.1'), 0);
    released.observe(held(), 1);
    expect(released.heldBack(1)).toEqual([]);
    expect(released.nextRelease()).toBeUndefined();
  });
});
