import { describe, expect, it } from 'vitest';
import { parseIpamConfigMap } from './config.js';
import { lookupKeys, poolsForNamespace } from './selection.js';
import { kubevip } from './test-support.js';

const ALL = {
  'cidr-team': '10.1.0.0/24',
  'cidr-global': '10.2.0.0/24',
  'range-team': '10.3.0.1-10.3.0.9',
  'range-global': '10.4.0.1-10.4.0.9',
};

function chosen(data: Record<string, string>, namespace = 'team'): string | undefined {
  return poolsForNamespace([kubevip(data)], namespace).pools[0]?.key;
}

describe('poolsForNamespace (B.3 lookup order, IP2)', () => {
  it('should try cidr-<ns>, cidr-global, range-<ns>, range-global in that order', () => {
    expect(lookupKeys('team')).toEqual(['cidr-team', 'cidr-global', 'range-team', 'range-global']);
  });

  it('should take the first key present and never merge keys', () => {
    expect(chosen(ALL)).toBe('cidr-team');
    const { 'cidr-team': _a, ...withoutCidrNs } = ALL;
    expect(chosen(withoutCidrNs)).toBe('cidr-global');
    expect(poolsForNamespace([kubevip(ALL)], 'team').pools).toHaveLength(1);
  });

  it('should let cidr-global win over range-<ns> (the cloud provider order)', () => {
    expect(chosen({ 'range-team': '10.3.0.1-10.3.0.9', 'cidr-global': '10.2.0.0/24' })).toBe('cidr-global');
  });

  it('should fall back to range-<ns>, then range-global', () => {
    expect(chosen({ 'range-team': '10.3.0.1-10.3.0.9', 'range-global': '10.4.0.1-10.4.0.9' })).toBe('range-team');
    expect(chosen({ 'range-global': '10.4.0.1-10.4.0.9', 'cidr-other': '10.9.0.0/24' })).toBe('range-global');
  });

  it("should not use another namespace's keys", () => {
    const selection = poolsForNamespace([kubevip({ 'cidr-other': '10.9.0.0/24' })], 'team');
    expect(selection.pools).toEqual([]);
    expect(selection.unavailable).toEqual({ keepHeld: false, message: expect.stringContaining('no IPAM pool for namespace "team"') });
    expect(selection.unavailable?.message).toContain('kube-system/kubevip');
  });

  it('should skip a malformed key and go on to the next key in order (the key is ignored, as its message says)', () => {
    const selection = poolsForNamespace([kubevip({ 'cidr-global': '10.0.0.0/33,banana', 'range-global': '10.4.0.1 - 10.4.0.9' })], 'team');
    expect(selection.pools.map((p) => p.key)).toEqual(['range-global']);
    expect(selection.unavailable).toBeUndefined();
    expect(chosen({ 'cidr-team': '10.1.0.0/99', 'cidr-global': '10.2.0.0/24' })).toBe('cidr-global');
  });

  it('should report a broken configuration, keeping held addresses, only when every present key is malformed', () => {
    const selection = poolsForNamespace([kubevip({ 'cidr-team': '10.1.0.0/99', 'range-global': 'banana' })], 'team');
    expect(selection.pools).toEqual([]);
    expect(selection.unavailable?.keepHeld).toBe(true);
    expect(selection.unavailable?.message).toContain('cidr-team');
    expect(selection.unavailable?.message).toContain('10.1.0.0/99');
  });

  it('should go on to the global ConfigMap when the class ConfigMap only has a malformed key', () => {
    const classPools = parseIpamConfigMap({ namespace: 'infra', name: 'internal' }, { 'range-global': '172.16.0.9-172.16.0.1' });
    const selection = poolsForNamespace([classPools, kubevip(ALL)], 'team');
    expect(selection.pools.map((p) => p.id)).toEqual(['kube-system/kubevip#cidr-team']);
  });

  it('should give class pools precedence over the global ConfigMap (IP1)', () => {
    const classPools = parseIpamConfigMap({ namespace: 'infra', name: 'internal' }, { 'range-global': '172.16.0.1-172.16.0.9' });
    const global = kubevip(ALL);
    const selection = poolsForNamespace([classPools, global], 'team');
    expect(selection.pools.map((p) => p.id)).toEqual(['infra/internal#range-global']);
  });

  it('should fall back to the next source when the class ConfigMap has no key for the namespace', () => {
    const classPools = parseIpamConfigMap({ namespace: 'infra', name: 'internal' }, { 'cidr-other': '172.16.0.0/24' });
    const selection = poolsForNamespace([classPools, kubevip(ALL)], 'team');
    expect(selection.pools.map((p) => p.id)).toEqual(['kube-system/kubevip#cidr-team']);
  });
});
