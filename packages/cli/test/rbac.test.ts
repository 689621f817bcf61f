import { describe, expect, it } from 'vitest';
import { rbacManifests } from '../src/rbac.js';

const RULES = [
  { apiGroups: [''], resources: ['services'], verbs: ['list', 'watch', 'patch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
];

describe('rbacManifests', () => {
  const [clusterRole, clusterBinding, role, roleBinding] = rbacManifests(RULES, { name: 'l4gw', namespace: 'ops', serviceAccount: 'sa' });

  it('should keep the Lease rule out of the ClusterRole and put it in a Role of the operator\'s namespace (R4, R6)', () => {
    expect(clusterRole).toMatchObject({ kind: 'ClusterRole', metadata: { name: 'l4gw' }, rules: [RULES[0]] });
    expect(role).toMatchObject({ kind: 'Role', metadata: { name: 'l4gw-leader-election', namespace: 'ops' }, rules: [RULES[1]] });
  });

  it('should bind both roles to the operator\'s ServiceAccount', () => {
    const subjects = [{ kind: 'ServiceAccount', name: 'sa', namespace: 'ops' }];
    expect(clusterBinding).toMatchObject({ kind: 'ClusterRoleBinding', roleRef: { kind: 'ClusterRole', name: 'l4gw' }, subjects });
    expect(roleBinding).toMatchObject({ kind: 'RoleBinding', metadata: { namespace: 'ops' }, roleRef: { kind: 'Role', name: 'l4gw-leader-election' }, subjects });
  });

  it('should not split a rule that mixes leases with other resources', () => {
    const mixed = [{ apiGroups: ['coordination.k8s.io'], resources: ['leases', 'other'], verbs: ['get'] }];
    const [cluster, , namespaced] = rbacManifests(mixed, { name: 'x', namespace: 'n', serviceAccount: 's' });
    expect(cluster).toMatchObject({ rules: mixed });
    expect(namespaced).toMatchObject({ rules: [] });
  });
});
