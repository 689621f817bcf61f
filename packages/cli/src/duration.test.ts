import { describe, expect, it } from 'vitest';
import { parseDurationMs } from './duration.js';

describe('parseDurationMs', () => {
  it.each([
    ['0', 0],
    ['5s', 5_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['10m', 600_000],
  ])('should read %s as %d ms', (text, ms) => {
    expect(parseDurationMs('address-hold', text)).toBe(ms);
  });

  it.each(['', '5', 's', '5x', '1m30', '-5s', '5s ', '1m3O'])('should refuse %j naming the flag', (text) => {
    expect(() => parseDurationMs('address-hold', text)).toThrow(`for flag -address-hold`);
  });
});
