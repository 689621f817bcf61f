// Human-readable condition messages, named so tests and docs can refer to them. Functions build
// the ones that name an object; they never name objects in other namespaces that the reader
// has no grant for (RT4, GW4).

export const Message = {
  classAccepted: 'GatewayClass is accepted',
  classParametersNotConfigMap: (group: string, kind: string) =>
    `parametersRef must refer to a core ConfigMap (group "", kind ConfigMap), not group "${group}" kind "${kind}"`,
  classParametersNoNamespace: 'parametersRef to a ConfigMap must set namespace',
  classParametersNotFound: (namespace: string, name: string) => `parametersRef ConfigMap ${namespace}/${name} does not exist`,
  classParametersBadValue: (key: string, value: string, allowed: readonly string[]) =>
    `parametersRef ConfigMap key ${key} has an unsupported value "${value}" (use one of ${allowed.join(', ')})`,
  versionSupported: 'Gateway API CRD versions are supported',
  versionUnsupported: (detected: string, supported: string) =>
    `installed Gateway API CRD versions (${detected}) are not all supported (supported: ${supported})`,

  gatewayAccepted: 'Gateway is accepted',
  gatewaySomeListenersInvalid: (names: readonly string[]) => `some listeners are not valid: ${names.join(', ')}`,
  gatewayNoValidListeners: 'no listener is valid',
  gatewayUnsupportedAddressType: (type: string) => `address type "${type}" is not supported; only IPAddress is`,
  gatewayInvalidInfrastructureParameters: (group: string, kind: string, name: string) =>
    `infrastructure.parametersRef ${group}/${kind} ${name} is not supported`,
  gatewayProgrammed: (addresses: readonly string[]) => `Gateway is programmed with address ${addresses.join(', ')}`,
  gatewayNotAccepted: 'Gateway is not accepted',
  dhcpPending: 'waiting for the load balancer to report the DHCP address',

  listenerAccepted: 'Listener is accepted',
  listenerUnsupportedProtocol: (protocol: string) => `protocol ${protocol} is not supported; use TCP or UDP`,
  listenerInvalid: (problem: string) => `listener is invalid: ${problem}`,
  listenerUnsupportedFrom: (from: string) => `allowedRoutes.namespaces.from "${from}" is not supported`,
  listenerResolvedRefs: 'all references are resolved',
  listenerInvalidKinds: (kinds: readonly string[]) => `route kinds not supported by this listener: ${kinds.join(', ')}`,
  listenerProgrammed: 'Listener is programmed',
  listenerNotProgrammedGatewayNotAccepted: 'the Gateway is not accepted',
  listenerNotProgrammedNotAccepted: 'the listener is not accepted',
  listenerNotProgrammedNoRouteKinds: 'the listener admits no route kind l4gw supports (see ResolvedRefs)',
  listenerAddressPending: 'waiting for an address',
  listenerConflict: (protocol: string, port: number) => `another listener uses ${protocol} port ${port}`,

  listenerSetAccepted: 'ListenerSet is accepted',
  listenerSetNotAllowed: 'the parent Gateway does not allow ListenerSets from this namespace (spec.allowedListeners)',
  listenerSetParentNotAccepted: 'the parent Gateway is not accepted',
  listenerSetProgrammed: 'ListenerSet is programmed on the Gateway address',
  listenerSetAddressPending: 'waiting for the Gateway address',
  // Names no other ListenerSet: the reader may have no access to it (GEP-1713 conflicts).
  listenerSetConflict: (protocol: string, port: number) => `${protocol} port ${port} is taken by a listener of the Gateway or of an older ListenerSet`,

  routeAccepted: 'Route is accepted',
  routeNoMatchingParent: 'no listener matches the parentRef sectionName/port',
  routeNotAllowed: 'no matching listener allows this route (namespace, kind or protocol)',
  routeResolvedRefs: 'all backend references are resolved',
  backendInvalidKind: (group: string, kind: string) => `backendRef kind ${group === '' ? kind : `${kind}.${group}`} is not supported; only Service is`,
  backendExternalName: (name: string) => `Service ${name} is of type ExternalName, which is not supported`,
  backendNotFound: (namespace: string, name: string) => `Service ${namespace}/${name} not found`,
  backendPortMissing: (name: string) => `backendRef to Service ${name} has no port`,
  backendPortNotFound: (namespace: string, name: string, port: number) => `Service ${namespace}/${name} has no port ${port}`,
  backendRefNotPermitted: (namespace: string, name: string) =>
    `backendRef to Service ${namespace}/${name} is not permitted: no ReferenceGrant in namespace ${namespace} allows it`,
  rulesDropped: (count: number) => `Dropped Rule(s): only the first rule is used; ${count} further rule(s) ignored`,
} as const;
