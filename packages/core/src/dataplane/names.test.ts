import { describe, expect, it } from 'vitest';
import { fnv1aHex } from './hash.js';
import { dns1035Name, labelValueFor } from './names.js';

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

describe('fnv1aHex', () => {
  it('should match the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1aHex('')).toBe('811c9dc5');
    expect(fnv1aHex('a')).toBe('e40c292c');
    expect(fnv1aHex('foobar')).toBe('bf9cf968');
  });
});

describe('dns1035Name (GW8)', () => {
  it('should keep a short valid name readable', () => {
    expect(dns1035Name(['demo', 'kube-vip'])).toBe('demo-kube-vip');
  });

  it('should shorten a 253-character Gateway name to a valid label with a hash', () => {
    const gateway = `${'a'.repeat(120)}.${'b'.repeat(132)}`;
    const name = dns1035Name([gateway, 'class']);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(DNS1035);
    expect(name).toBe(dns1035Name([gateway, 'class']));
  });

  it('should give different names to inputs that differ only after the cut', () => {
    const a = dns1035Name([`${'x'.repeat(80)}1`, 'c']);
    const b = dns1035Name([`${'x'.repeat(80)}2`, 'c']);
    expect(a).not.toBe(b);
  });

  it('should make names that start with a digit or contain dots valid', () => {
    expect(dns1035Name(['1gw.example', 'c'])).toMatch(DNS1035);
  });

  it('should separate parts that would run together when asked to always hash', () => {
    expect(dns1035Name(['a-b', 'c'], true)).not.toBe(dns1035Name(['a', 'b-c'], true));
  });
});

describe('labelValueFor (GW8)', () => {
  it('should keep a valid value unchanged', () => {
    expect(labelValueFor('my.gateway-1')).toBe('my.gateway-1');
  });

  it('should shorten a 253-character name to a valid label value', () => {
    const value = labelValueFor('g'.repeat(253));
    expect(value.length).toBeLessThanOrEqual(63);
    expect(value).toMatch(LABEL_VALUE);
    expect(value).not.toBe(labelValueFor(`${'g'.repeat(252)}h`));
  });
});
