// R6: the operator's RBAC, generated from the adapter's own list of (group, resources, verbs).
// The Lease rule is split into a Role in the operator's namespace: leader election (R4) needs
// one Lease there, not every Lease in the cluster.

import type { KubeObject } from '@l4gw/core';

/** The shape of the adapter's RBAC_RULES entries. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export interface RbacNames {
  /** Name of the ClusterRole, the Role and their bindings. */
  readonly name: string;
  /** The operator's namespace (ServiceAccount, Role, Lease). */
  readonly namespace: string;
  readonly serviceAccount: string;
}

function isLeaseRule(rule: PolicyRule): boolean {
  return rule.apiGroups.length === 1 && rule.apiGroups[0] === 'coordination.k8s.io' && rule.resources.every((r) => r === 'leases');
}

function plain(rule: PolicyRule): PolicyRule {
  return { apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] };
}

/**
 * The ClusterRole (every rule but leases), a Role for leases in the operator's namespace, and
 * the two bindings to the operator's ServiceAccount.
 */
export function rbacManifests(rules: readonly PolicyRule[], names: RbacNames): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': 'l4gw', 'app.kubernetes.io/component': 'controller' };
  const subjects = [{ kind: 'ServiceAccount', name: names.serviceAccount, namespace: names.namespace }];
  const roleRef = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
  const leaderElection = `${names.name}-leader-election`;
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: names.name, labels },
      rules: rules.filter((rule) => !isLeaseRule(rule)).map(plain),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: names.name, labels },
      roleRef: roleRef('ClusterRole', names.name),
      subjects,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: leaderElection, namespace: names.namespace, labels },
      rules: rules.filter(isLeaseRule).map(plain),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: leaderElection, namespace: names.namespace, labels },
      roleRef: roleRef('Role', leaderElection),
      subjects,
    },
  ];
}
