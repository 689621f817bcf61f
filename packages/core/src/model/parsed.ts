// Narrow, plain, readonly views of the input objects. Every parser in parse/ turns an
// `unknown` JSON value into one of these (or into a diagnostic), so nothing past the boundary
// ever has to ask "is this field really a string?". Defaults of the Gateway API schema (parentRef
// group/kind, backendRef weight, allowedRoutes Same, …) are filled in here, once.

import type { Condition, KubeObject } from './kube.js';

/** The metadata fields core reads. Cluster-scoped objects have `namespace: ''`. */
export interface ParsedMeta {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  /** `metadata.generation`; 0 when absent (objects read from files). */
  readonly generation: number;
  /** RFC 3339, or '' when absent (sorts first, i.e. counts as oldest). */
  readonly creationTimestamp: string;
  readonly resourceVersion: string;
  readonly deletionTimestamp?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly finalizers: readonly string[];
}

/** `metav1.LabelSelector`. */
export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values: readonly string[];
  }[];
}

/** A `{group, kind}` pair; `group` is '' for the core API group. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

export interface ParametersRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface ParsedGatewayClass {
  readonly apiVersion: string;
  readonly meta: ParsedMeta;
  readonly controllerName: string;
  readonly parametersRef?: ParametersRef;
  /** Current `status.conditions` (for GW7 merging). */
  readonly conditions: readonly Condition[];
  /** The object as received, for finalizer updates (GC5). */
  readonly raw: KubeObject;
}

export type FromNamespaces = 'Same' | 'All' | 'Selector';

export interface ParsedAllowedRoutes {
  /** Unknown enum values are kept as the string so validation can report them. */
  readonly from: FromNamespaces | string;
  readonly selector?: LabelSelector;
  /** `undefined` when the spec gives no kinds (then the protocol decides, GW2). */
  readonly kinds?: readonly GroupKind[];
}

export interface ParsedListener {
  readonly name: string;
  /** 0 when the spec's port is missing or out of range (then `problem` is `port`). */
  readonly port: number;
  /** Set when the listener is unusable as written; validation turns it into a condition (GW6). */
  readonly problem?: 'port' | 'protocol';
  /** As written (`TCP`, `UDP`, `HTTP`, `INVALID`, …). */
  readonly protocol: string;
  readonly hostname?: string;
  readonly allowedRoutes: ParsedAllowedRoutes;
}

export interface ParsedSpecAddress {
  /** Defaulted to `IPAddress`. */
  readonly type: string;
  /** `undefined` or '' means "assign one" (IP5). */
  readonly value?: string;
}

export interface ParsedListenerStatus {
  readonly name: string;
  readonly conditions: readonly Condition[];
}

/** `spec.allowedListeners.namespaces` (LS1): which namespaces' ListenerSets may attach. */
export interface ParsedAllowedListeners {
  /** `None` (the default), `Same`, `All`, `Selector`; unknown values kept so validation can treat them as `None`. */
  readonly from: string;
  readonly selector?: LabelSelector;
}

export interface ParsedGateway {
  readonly apiVersion: string;
  readonly meta: ParsedMeta;
  readonly className: string;
  readonly allowedListeners: ParsedAllowedListeners;
  /** In spec order; listeners without a name are dropped (no status entry can name them). */
  readonly listeners: readonly ParsedListener[];
  readonly addresses: readonly ParsedSpecAddress[];
  readonly infrastructure: {
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    readonly parametersRef?: { readonly group: string; readonly kind: string; readonly name: string };
  };
  /** `status.addresses[].value` as currently written (IP4 held addresses). */
  readonly statusAddresses: readonly string[];
  readonly conditions: readonly Condition[];
  readonly listenerStatuses: readonly ParsedListenerStatus[];
  readonly raw: KubeObject;
}

/** A ListenerSet (LS1–LS4): listeners another namespace adds to a Gateway. */
export interface ParsedListenerSet {
  readonly apiVersion: string;
  readonly meta: ParsedMeta;
  /** `spec.parentRef` with defaults (group gateway.networking.k8s.io, kind Gateway, the ListenerSet's namespace). */
  readonly parent: { readonly group: string; readonly kind: string; readonly namespace: string; readonly name: string; readonly key: string };
  /** In spec order; parsed as a Gateway's listeners are. */
  readonly listeners: readonly ParsedListener[];
  readonly conditions: readonly Condition[];
  readonly listenerStatuses: readonly ParsedListenerStatus[];
  readonly raw: KubeObject;
}

export type RouteKind = 'TCPRoute' | 'UDPRoute';

/** A parentRef with Gateway API defaults applied (group, kind, namespace). */
export interface ParsedParentRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  /** True when the spec wrote `namespace` (RT3 copies the parentRef as written, group and kind filled in). */
  readonly namespaceGiven?: boolean;
  readonly name: string;
  readonly sectionName?: string;
  readonly port?: number;
  /**
   * Derived once at parse time (routes are parsed once per object, then remembered): the
   * identity that matches status entries to parentRefs (RT3), `group/kind/namespace/name/section/port`.
   */
  readonly identity: string;
  /** `namespace/name` of the parent, the key Gateways are looked up by. */
  readonly parentKey: string;
  /** The parentRef as written into `status.parents[].parentRef`: group and kind filled in (RT3). Read-only, shared. */
  readonly statusRef: Readonly<Record<string, unknown>>;
}

/** A backendRef with defaults applied (group '', kind Service, namespace of the route, weight 1). */
export interface ParsedBackendRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly port?: number;
  readonly weight: number;
  /** `namespace/name` of the backend, the key Services are looked up by; derived once at parse time. */
  readonly backendKey: string;
}

export interface ParsedRouteRule {
  readonly name?: string;
  readonly backendRefs: readonly ParsedBackendRef[];
}

/** One existing `status.parents` entry, kept as raw JSON so other controllers' entries survive untouched (RT3). */
export interface ParsedRouteParentStatus {
  readonly controllerName: string;
  /** Undefined when the entry's parentRef is malformed (ours are then dropped as stale). */
  readonly parentRef?: ParsedParentRef;
  readonly conditions: readonly Condition[];
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface ParsedRoute {
  readonly kind: RouteKind;
  /** `gateway.networking.k8s.io/v1` or `…/v1alpha2` (RT1). */
  readonly apiVersion: string;
  readonly meta: ParsedMeta;
  readonly parentRefs: readonly ParsedParentRef[];
  readonly rules: readonly ParsedRouteRule[];
  readonly statusParents: readonly ParsedRouteParentStatus[];
}

export interface ParsedReferenceGrant {
  readonly meta: ParsedMeta;
  readonly from: readonly { readonly group: string; readonly kind: string; readonly namespace: string }[];
  readonly to: readonly { readonly group: string; readonly kind: string; readonly name?: string }[];
}

export interface ParsedNamespace {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ParsedServicePort {
  readonly name: string;
  readonly port: number;
  /** `TCP` unless given. */
  readonly protocol: string;
  /** Number, name, or undefined (then it equals `port`). */
  readonly targetPort?: number | string;
  readonly nodePort?: number;
  readonly appProtocol?: string;
}

export interface ParsedService {
  readonly meta: ParsedMeta;
  /** `ClusterIP` unless given. */
  readonly type: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly ParsedServicePort[];
  readonly externalName?: string;
  readonly loadBalancerIP?: string;
  readonly loadBalancerClass?: string;
  /** `status.loadBalancer.ingress[].ip` (DP7, IP3). */
  readonly ingressIPs: readonly string[];
  readonly raw: KubeObject;
}

export interface ParsedEndpoint {
  readonly addresses: readonly string[];
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
  readonly hostname?: string;
  readonly nodeName?: string;
  readonly zone?: string;
  readonly targetRef?: Readonly<Record<string, unknown>>;
}

export interface ParsedEndpointSlicePort {
  readonly name: string;
  readonly port?: number;
  readonly protocol: string;
  readonly appProtocol?: string;
}

export interface ParsedEndpointSlice {
  readonly meta: ParsedMeta;
  /** Label `kubernetes.io/service-name`; '' when missing. */
  readonly serviceName: string;
  /** `IPv4`, `IPv6` or `FQDN`. */
  readonly addressType: string;
  readonly ports: readonly ParsedEndpointSlicePort[];
  readonly endpoints: readonly ParsedEndpoint[];
  readonly raw: KubeObject;
}

export interface ParsedConfigMap {
  readonly meta: ParsedMeta;
  readonly data: Readonly<Record<string, string>>;
}
