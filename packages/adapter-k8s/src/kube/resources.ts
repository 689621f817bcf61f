// The resource types l4gw touches, and how an (apiVersion, kind) maps to a REST path. The list is
// closed on purpose: every kind here also appears in RBAC_RULES.

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  /** Plural resource name used in URLs and RBAC. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

const PLURALS: Readonly<Record<string, { resource: string; namespaced: boolean }>> = {
  GatewayClass: { resource: 'gatewayclasses', namespaced: false },
  Gateway: { resource: 'gateways', namespaced: true },
  ListenerSet: { resource: 'listenersets', namespaced: true },
  TCPRoute: { resource: 'tcproutes', namespaced: true },
  UDPRoute: { resource: 'udproutes', namespaced: true },
  ReferenceGrant: { resource: 'referencegrants', namespaced: true },
  Namespace: { resource: 'namespaces', namespaced: false },
  Service: { resource: 'services', namespaced: true },
  ConfigMap: { resource: 'configmaps', namespaced: true },
  EndpointSlice: { resource: 'endpointslices', namespaced: true },
  Lease: { resource: 'leases', namespaced: true },
  Event: { resource: 'events', namespaced: true },
  CustomResourceDefinition: { resource: 'customresourcedefinitions', namespaced: false },
};

/** Resolves `apiVersion` + `kind` to a resource type, or undefined for kinds l4gw never touches. */
export function resourceFor(apiVersion: string, kind: string): ResourceType | undefined {
  const plural = PLURALS[kind];
  if (!plural) return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return { group, version, kind, ...plural };
}

/** `group/version`, or just `version` for the core group. */
export function apiVersionOf(rt: ResourceType): string {
  return rt.group === '' ? rt.version : `${rt.group}/${rt.version}`;
}

/** The REST path of a collection (no name) or of one object, optionally a subresource. */
export function resourcePath(
  rt: ResourceType,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  const prefix = rt.group === '' ? `/api/${rt.version}` : `/apis/${rt.group}/${rt.version}`;
  const ns = rt.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  let path = `${prefix}${ns}/${rt.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

export const CORE_TYPES = {
  namespaces: resourceFor('v1', 'Namespace')!,
  services: resourceFor('v1', 'Service')!,
  configMaps: resourceFor('v1', 'ConfigMap')!,
  endpointSlices: resourceFor('discovery.k8s.io/v1', 'EndpointSlice')!,
  leases: resourceFor('coordination.k8s.io/v1', 'Lease')!,
  events: resourceFor('events.k8s.io/v1', 'Event')!,
  crds: resourceFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition')!,
} as const;
