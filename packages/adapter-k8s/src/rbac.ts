// R6: the one list of (group, resource, verbs) the operator uses. The CLI generates the
// ClusterRole from it, and the REST client refuses any request it does not cover
// (kube/rest.ts `assertAllowed`), so the list cannot drift from the code. Nothing more is granted:
// informers only list and watch (no `get`), status is only replaced (`update`), Events are only
// created.

export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const CACHE = ['list', 'watch'] as const;

/** Least-privilege rules of the l4gw ClusterRole (R6 in docs/rules.md). */
export const RBAC_RULES: readonly RbacRule[] = [
  // Inputs (GC/GW/RT). Classes carry the gateway-exists finalizer (GC5) and Gateways get their
  // address pinned in spec with -pin-addresses (GW5): both are updates with resourceVersion.
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['gatewayclasses', 'gateways'],
    verbs: [...CACHE, 'update'],
  },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['listenersets', 'tcproutes', 'udproutes', 'referencegrants'],
    verbs: [...CACHE],
  },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['gatewayclasses/status', 'gateways/status', 'listenersets/status', 'tcproutes/status', 'udproutes/status'],
    verbs: ['update'],
  },
  // allowedRoutes namespace selectors (RT2) and IPAM / class parameters (IP1, GC2).
  { apiGroups: [''], resources: ['namespaces', 'configmaps'], verbs: [...CACHE] },
  // Generated Services: server-side apply (`patch`, plus `create` which the API server also
  // checks when an apply creates the object); update-mode user Services (DP4: `update`); garbage
  // collection (DP8: `delete`). Every Service is read for IPAM in-use detection (IP3).
  {
    apiGroups: [''],
    resources: ['services'],
    verbs: [...CACHE, 'create', 'patch', 'update', 'delete'],
  },
  // Backend slices are read; the mirrored slices behind generated Services are applied (DP1).
  {
    apiGroups: ['discovery.k8s.io'],
    resources: ['endpointslices'],
    verbs: [...CACHE, 'create', 'patch', 'delete'],
  },
  // GC3: bundle-version of the installed Gateway API CRDs, and re-discovery when they change;
  // optional (the operator degrades when denied).
  {
    apiGroups: ['apiextensions.k8s.io'],
    resources: ['customresourcedefinitions'],
    verbs: [...CACHE],
  },
  // R4: leader election.
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  // Events for failures users must act on.
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create'] },
];

/** True when RBAC_RULES grant `verb` on `group`/`resource` (resource may be `name/subresource`). */
export function rbacAllows(group: string, resource: string, verb: string): boolean {
  return RBAC_RULES.some(
    (r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb),
  );
}
