import { describe, expect, it } from 'vitest';
import { fnv1aHex, fnv1aHexOfParts } from './hash.js';

describe('fnv1aHexOfParts', () => {
  it('should hash parts exactly as fnv1aHex hashes them joined with NUL (GW8 names must not change)', () => {
    const cases: string[][] = [[], [''], ['a'], ['', ''], ['gw', 'kube-vip', 'tcp-a', 'ns-1', 'app', '80', 'ipv4', '8080'], ['ü', '\u0000', 'x']];
    for (const parts of cases) expect(fnv1aHexOfParts(parts)).toBe(fnv1aHex(parts.join('\u0000')));
  });

  it('should give 8 lower-case hex digits', () => {
    expect(fnv1aHexOfParts(['a', 'b'])).toMatch(/^[0-9a-f]{8}$/);
  });
});
