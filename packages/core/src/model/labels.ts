// Well-known label, annotation and finalizer keys. One place, so that the generator (DP*), the
// garbage collector (DP8), IPAM's recovery of addresses from generated Services (IP3, IP4) and
// the adapter's label selectors cannot drift apart.

/** GW8: on every generated object. */
export const LABEL_GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';
export const LABEL_GATEWAY_CLASS_NAME = 'gateway.networking.k8s.io/gateway-class-name';
/** Not a Gateway API label: l4gw also records the Gateway's namespace, because generated objects
 * of DP2/DP3 live in the backend's namespace, not the Gateway's. */
export const LABEL_GATEWAY_NAMESPACE = 'l4gw.io/gateway-namespace';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'l4gw';

/** DP1: EndpointSlices l4gw mirrors. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_ENDPOINTSLICE_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const ENDPOINTSLICE_MANAGED_BY_VALUE = 'l4gw';

/** The prototype's route labels (DP2–DP4). */
export const ROUTE_LABEL_SELECTOR_KEY = 'selectorkey';
export const ROUTE_LABEL_SELECTOR_VALUE = 'selectorvalue';
export const ROUTE_LABEL_SERVICE_BEHAVIOUR = 'serviceBehaviour';

/** GW8: which `spec.infrastructure` label and annotation keys l4gw put on a generated object. */
export const ANNOTATION_INFRASTRUCTURE_KEYS = 'l4gw.io/infrastructure-keys';

/** DP4: the fields l4gw changed on a user's Service, saved before the first change. */
export const ANNOTATION_UPDATE_ORIGINAL = 'l4gw.io/original';

/** DP6: where announcers read the VIP. */
export const ANNOTATION_KUBE_VIP_IPS = 'kube-vip.io/loadbalancerIPs';
export const ANNOTATION_METALLB_IPS = 'metallb.io/loadBalancerIPs';
export const ANNOTATION_METALLB_SHARED = 'metallb.io/allow-shared-ip';
export const ANNOTATION_CILIUM_IPS = 'lbipam.cilium.io/ips';
export const ANNOTATION_CILIUM_SHARING_KEY = 'lbipam.cilium.io/sharing-key';

/**
 * Every annotation key an announcer style may write (DP6). On Services l4gw generates they are
 * l4gw's alone, so a key the current style does not write is removed (a style switched); on
 * update-mode Services (DP4) they are saved before the first change and restored.
 */
export const VIP_ANNOTATION_KEYS: readonly string[] = [
  ANNOTATION_KUBE_VIP_IPS,
  ANNOTATION_METALLB_IPS,
  ANNOTATION_METALLB_SHARED,
  ANNOTATION_CILIUM_IPS,
  ANNOTATION_CILIUM_SHARING_KEY,
];

/**
 * Annotations of generated objects that are l4gw's alone (GW8's record, DP6's announcer keys):
 * plan compares them exactly, not as a subset, and leaves them out of an update body before laying
 * the desired ones over it, so a key l4gw no longer writes is removed.
 */
export const OWNED_ANNOTATION_KEYS: readonly string[] = [ANNOTATION_INFRASTRUCTURE_KEYS, ...VIP_ANNOTATION_KEYS];

/** GC5. */
export const FINALIZER_GATEWAY_EXISTS = 'gateway-exists-finalizer.gateway.networking.k8s.io';

/** GC3: the annotation every Gateway API CRD carries. */
export const ANNOTATION_BUNDLE_VERSION = 'gateway.networking.k8s.io/bundle-version';
