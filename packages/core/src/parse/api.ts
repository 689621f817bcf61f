// Gateway API groups, kinds and versions core reads (RT1: v1 routes when served, else v1alpha2).

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_API_V1 = `${GATEWAY_GROUP}/v1`;
export const GATEWAY_API_V1BETA1 = `${GATEWAY_GROUP}/v1beta1`;
export const GATEWAY_API_V1ALPHA2 = `${GATEWAY_GROUP}/v1alpha2`;

export const KIND_GATEWAY_CLASS = 'GatewayClass';
export const KIND_GATEWAY = 'Gateway';
export const KIND_LISTENER_SET = 'ListenerSet';
export const KIND_TCP_ROUTE = 'TCPRoute';
export const KIND_UDP_ROUTE = 'UDPRoute';
export const KIND_REFERENCE_GRANT = 'ReferenceGrant';
export const KIND_SERVICE = 'Service';
export const KIND_CONFIG_MAP = 'ConfigMap';

/** Versions read for routes, most preferred first (RT1). */
export const ROUTE_VERSIONS: readonly string[] = [GATEWAY_API_V1, GATEWAY_API_V1ALPHA2];
/** Versions read for ReferenceGrants, most preferred first. */
export const REFERENCE_GRANT_VERSIONS: readonly string[] = [GATEWAY_API_V1, GATEWAY_API_V1BETA1];
/** Versions read for classes and Gateways. */
export const GATEWAY_VERSIONS: readonly string[] = [GATEWAY_API_V1, GATEWAY_API_V1BETA1];
