// R6: the one list of (group, resource, verbs) the operator uses. The CLI generates the
// ClusterRole from it, and the REST client refuses any request it does not cover
// (kube/rest.ts `assertAllowed`), so the list cannot drift from the code.

export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'] as const;

/** Least-privilege rules of the l4gw ClusterRole (DESIGN.md R6). */
export const RBAC_RULES: readonly RbacRule[] = [
  // Inputs (GC/GW/RT). Classes carry the gateway-exists finalizer (GC5) and Gateways get their
  // address pinned in spec with -pin-addresses (GW5): both are updates with resourceVersion.
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['gatewayclasses', 'gateways'],
    verbs: [...READ, 'update'],
  },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['tcproutes', 'udproutes', 'referencegrants'],
    verbs: [...READ],
  },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['gatewayclasses/status', 'gateways/status', 'tcproutes/status', 'udproutes/status'],
    verbs: ['get', 'update'],
  },
  // allowedRoutes namespace selectors (RT2) and IPAM / class parameters (IP1, GC2).
  { apiGroups: [''], resources: ['namespaces', 'configmaps'], verbs: [...READ] },
  // Generated Services (server-side apply = patch), update-mode user Services (DP4 = update),
  // garbage collection (DP8). Every Service is read for IPAM in-use detection (IP3).
  {
    apiGroups: [''],
    resources: ['services'],
    verbs: [...READ, 'create', 'update', 'patch', 'delete'],
  },
  // Backends are read; the mirrored slices behind generated Services are written (DP1).
  {
    apiGroups: ['discovery.k8s.io'],
    resources: ['endpointslices'],
    verbs: [...READ, 'create', 'update', 'patch', 'delete'],
  },
  // GC3: bundle-version of the installed Gateway API CRDs; optional (degrades when denied).
  {
    apiGroups: ['apiextensions.k8s.io'],
    resources: ['customresourcedefinitions'],
    verbs: [...READ],
  },
  // R4: leader election.
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  // Events for failures users must act on.
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
];

/** True when RBAC_RULES grant `verb` on `group`/`resource` (resource may be `name/subresource`). */
export function rbacAllows(group: string, resource: string, verb: string): boolean {
  return RBAC_RULES.some(
    (r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb),
  );
}
