// Condition types and reasons of the Gateway API, as named constants (spec §1, §2.6, §2.7, §3.3).
// Only the ones docs/rules.md uses are listed; a reason string never appears as a literal elsewhere.

export const ConditionType = {
  Accepted: 'Accepted',
  SupportedVersion: 'SupportedVersion',
  Programmed: 'Programmed',
  ResolvedRefs: 'ResolvedRefs',
  Conflicted: 'Conflicted',
  PartiallyInvalid: 'PartiallyInvalid',
} as const;

/** GC2, GC3. */
export const ClassReason = {
  Accepted: 'Accepted',
  InvalidParameters: 'InvalidParameters',
  SupportedVersion: 'SupportedVersion',
  UnsupportedVersion: 'UnsupportedVersion',
} as const;

/** GW3, GW4. */
export const GatewayReason = {
  Accepted: 'Accepted',
  ListenersNotValid: 'ListenersNotValid',
  UnsupportedAddress: 'UnsupportedAddress',
  InvalidParameters: 'InvalidParameters',
  Programmed: 'Programmed',
  Invalid: 'Invalid',
  AddressNotAssigned: 'AddressNotAssigned',
  AddressNotUsable: 'AddressNotUsable',
} as const;

/** GW2, GW6. */
export const ListenerReason = {
  Accepted: 'Accepted',
  UnsupportedProtocol: 'UnsupportedProtocol',
  PortUnavailable: 'PortUnavailable',
  UnsupportedValue: 'UnsupportedValue',
  ResolvedRefs: 'ResolvedRefs',
  InvalidRouteKinds: 'InvalidRouteKinds',
  Programmed: 'Programmed',
  Invalid: 'Invalid',
  Pending: 'Pending',
  ProtocolConflict: 'ProtocolConflict',
} as const;

/** LS1–LS3: a ListenerSet's own conditions (`ListenersNotValid` is GatewayReason's, shared, GW3). */
export const ListenerSetReason = {
  Accepted: 'Accepted',
  NotAllowed: 'NotAllowed',
  ParentNotAccepted: 'ParentNotAccepted',
  Programmed: 'Programmed',
  Pending: 'Pending',
} as const;

/** RT1–RT4, DP2, DP5. */
export const RouteReason = {
  Accepted: 'Accepted',
  NoMatchingParent: 'NoMatchingParent',
  NotAllowedByListeners: 'NotAllowedByListeners',
  ResolvedRefs: 'ResolvedRefs',
  InvalidKind: 'InvalidKind',
  BackendNotFound: 'BackendNotFound',
  RefNotPermitted: 'RefNotPermitted',
  UnsupportedValue: 'UnsupportedValue',
} as const;
