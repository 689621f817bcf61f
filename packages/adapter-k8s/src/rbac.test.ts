import { describe, expect, it } from 'vitest';
import { assertAllowed } from './kube/rest.js';
import { CORE_TYPES } from './kube/resources.js';
import { GATEWAY_KINDS } from './cache/discovery.js';
import { RBAC_RULES, rbacAllows } from './rbac.js';

describe('RBAC_RULES', () => {
  it('should let the operator list and watch every input it caches (R2)', () => {
    const inputs: [string, string][] = [
      ['', 'namespaces'],
      ['', 'services'],
      ['', 'configmaps'],
      ['discovery.k8s.io', 'endpointslices'],
      ...Object.values(GATEWAY_KINDS).map((k): [string, string] => ['gateway.networking.k8s.io', k.resource]),
    ];
    for (const [group, resource] of inputs) {
      expect(rbacAllows(group, resource, 'list'), `${group}/${resource} list`).toBe(true);
      expect(rbacAllows(group, resource, 'watch'), `${group}/${resource} watch`).toBe(true);
    }
  });

  it('should grant status updates on exactly the kinds l4gw reports on (GC, GW, RT)', () => {
    for (const r of ['gatewayclasses', 'gateways', 'tcproutes', 'udproutes']) {
      expect(rbacAllows('gateway.networking.k8s.io', `${r}/status`, 'update')).toBe(true);
    }
    expect(rbacAllows('gateway.networking.k8s.io', 'referencegrants/status', 'update')).toBe(false);
  });

  it('should be least privilege: no wildcards, no secrets, no writes to routes or ConfigMaps (R6)', () => {
    for (const rule of RBAC_RULES) {
      expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain('*');
      expect(rule.resources).not.toContain('secrets');
    }
    expect(rbacAllows('gateway.networking.k8s.io', 'tcproutes', 'update')).toBe(false);
    expect(rbacAllows('', 'configmaps', 'update')).toBe(false);
    expect(rbacAllows('', 'namespaces', 'delete')).toBe(false);
  });

  it('should make the REST client refuse a request the rules do not cover', () => {
    expect(() => assertAllowed(CORE_TYPES.configMaps, undefined, 'delete')).toThrow(/RBAC_RULES do not grant delete/);
    expect(() => assertAllowed(CORE_TYPES.leases, undefined, 'update')).not.toThrow();
    expect(() => assertAllowed(CORE_TYPES.events, undefined, 'create')).not.toThrow();
  });
});
