// The hand-off between the two halves of reconcile:
//
//   resolveGraph(snapshot, options) ──► ResolvedGraph ──► dataplane (Services, EndpointSlices)
//                                             │                    │
//                                             │            RouteFeedback[] (DP2, DP5)
//                                             ▼                    ▼
//                                   buildStatuses(graph, feedback, options) ──► StatusIntent[]
//
// The front half decides everything Gateway API says (classes, listeners, attachment, backends,
// addresses); the dataplane half only realises the graph. Problems the dataplane discovers that
// belong in a route's status come back as RouteFeedback, so every status is computed exactly once.

import type { EventRecord, Diagnostic, PoolUsage } from './desired.js';
import type { Condition, KubeObject, ObjectRef } from './kube.js';
import type { ExternalTrafficPolicy, LbAnnotations, ServiceBehaviour } from './options.js';
import type {
  ParsedBackendRef,
  ParsedConfigMap,
  ParsedEndpointSlice,
  ParsedGateway,
  ParsedGatewayClass,
  ParsedListenerSet,
  ParsedNamespace,
  ParsedReferenceGrant,
  ParsedRoute,
  ParsedService,
  ParsedServicePort,
  GroupKind,
  RouteKind,
} from './parsed.js';

/** `namespace/name`; the key of every namespaced map in the graph. */
export type ObjectKey = string;

/** Builds the `namespace/name` key used by every index. */
export function objectKey(namespace: string, name: string): ObjectKey {
  return `${namespace}/${name}`;
}

/** Identifies a route across kinds: `TCPRoute/namespace/name`. */
export type RouteKey = string;

/** Builds the route key; kinds are distinct, so a TCPRoute and a UDPRoute may share a name. */
export function routeKey(kind: RouteKind, namespace: string, name: string): RouteKey {
  return `${kind}/${namespace}/${name}`;
}

/** What a GatewayClass's parametersRef ConfigMap configures (GC2, IP1, DP). */
export interface ClassParameters {
  readonly serviceBehaviour?: ServiceBehaviour;
  readonly loadBalancerClass?: string;
  /** DP6: the announcer style of this class's Services, overriding `options.lbAnnotations`. */
  readonly lbAnnotations?: LbAnnotations;
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /** The ConfigMap itself; its pool keys are read by IPAM (IP1). */
  readonly configMap?: ParsedConfigMap;
}

/** A GatewayClass of ours (GC1) with its verdict. */
export interface ResolvedClass {
  readonly class: ParsedGatewayClass;
  /** GC2: Accepted=True (possibly with SupportedVersion=False, GC3). */
  readonly accepted: boolean;
  readonly parameters: ClassParameters;
  /** GC2/GC3 conditions, before GW7 bookkeeping. */
  readonly conditions: readonly ConditionDraft[];
  /** GC4: sorted by name. */
  readonly supportedFeatures: readonly string[];
}

/** One backendRef of the route rule in use, in spec order. */
export interface ResolvedBackend {
  /** Position in the rule's `backendRefs`. */
  readonly index: number;
  readonly ref: ParsedBackendRef;
  /** RT6: weight 0 gets no traffic. */
  readonly weight: number;
  /** Present only when the ref resolved (RT4): a core, non-ExternalName Service with that port, permitted. */
  readonly target?: BackendTarget;
}

export interface BackendTarget {
  readonly service: ParsedService;
  /** The Service port named by `backendRef.port`. */
  readonly servicePort: ParsedServicePort;
  /**
   * The target port when it is a number (given, or defaulted to the service port). `undefined`
   * for a named targetPort: then each EndpointSlice port whose `name` equals `servicePort.name`
   * carries the number (DP1 mirrors it from there).
   */
  readonly targetPort?: number;
  /** Set for a named targetPort. */
  readonly targetPortName?: string;
  // The Service's EndpointSlices are not here: the dataplane looks them up in
  // `SnapshotIndex.endpointSlicesByService`, so that the rest of the graph does not depend on them
  // (gateway/resolve.ts remembers it while they change).
}

/** The route that a listener realises (RT5 winner), with everything the dataplane needs. */
export interface WinningRoute {
  readonly route: ParsedRoute;
  readonly key: RouteKey;
  /** DP: route label `serviceBehaviour` > class parameters > `options.serviceBehaviour`. */
  readonly behaviour: ServiceBehaviour;
  /** The prototype's selector labels (DP2); `undefined` when the label is absent. */
  readonly selectorKey?: string;
  readonly selectorValue?: string;
  /**
   * backendRefs of the rule in use (the first rule, RT1), resolved or not.
   * NOTE (dataplane): with behaviour `create` (DP2) the backendRef names the Service l4gw is to
   * create, which does not exist before the first write (and afterwards is l4gw's own, with the
   * listener port, not backendRef.port). The front half should not report BackendNotFound for
   * it; the dataplane reports create problems (selector labels, name clash) as RouteFeedback.
   */
  readonly backends: readonly ResolvedBackend[];
}

/** An Accepted listener of an Accepted Gateway: what becomes a Service port (DP1) or Service (DP2–DP4). */
export interface RealisedListener {
  readonly name: string;
  readonly protocol: 'TCP' | 'UDP';
  readonly port: number;
  /** Routes Accepted on this listener, winner first (RT5). */
  readonly attachedRoutes: readonly RouteKey[];
  readonly winner?: WinningRoute;
}

/** How the Gateway's address is obtained. */
export type AddressAssignment =
  /**
   * Addresses assigned (from a pool, held, or requested and usable). `problem` is set when some
   * wanted address is missing (GW4 Programmed=False) while others are assigned: the assigned ones
   * are still realised, so a bad new request never takes a working address offline.
   */
  | {
      readonly kind: 'assigned';
      readonly addresses: readonly string[];
      readonly problem?: { readonly reason: 'AddressNotAssigned' | 'AddressNotUsable'; readonly message: string };
    }
  /**
   * DP7: a DHCP pool. Generated Services request `0.0.0.0`; `addresses` holds what was read back
   * from the Services' `status.loadBalancer.ingress` (empty while pending).
   */
  | { readonly kind: 'dhcp'; readonly addresses: readonly string[] }
  /** GW4: AddressNotAssigned or AddressNotUsable; nothing to put on a Service. */
  | { readonly kind: 'none'; readonly reason: 'AddressNotAssigned' | 'AddressNotUsable'; readonly message: string };

/** The addresses to publish in `status.addresses` (GW5). */
export function statusAddresses(assignment: AddressAssignment): readonly string[] {
  return assignment.kind === 'none' ? [] : assignment.addresses;
}

/** A Gateway of ours (GW1) with its verdict and, when Accepted, what to realise. */
export interface ResolvedGateway {
  readonly gateway: ParsedGateway;
  readonly key: ObjectKey;
  readonly className: string;
  /** GW3 `Accepted` status. */
  readonly accepted: boolean;
  readonly assignment: AddressAssignment;
  /**
   * True when the dataplane should generate objects for this Gateway: Accepted and either
   * addresses are assigned or the pool is DHCP.
   */
  readonly realisable: boolean;
  /** `spec.loadBalancerClass` for generated Services: class parameters, else `options.loadBalancerClass`. */
  readonly loadBalancerClass?: string;
  /** The class's announcer style when its parameters set one; else `options.lbAnnotations` applies (`announcerStyle`). */
  readonly lbAnnotations?: LbAnnotations;
  /** `spec.externalTrafficPolicy` for generated Services, from the class parameters. */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /**
   * Listeners to realise, in spec order: those Accepted that admit a route kind. Empty when the
   * Gateway is not Accepted.
   */
  readonly listeners: readonly RealisedListener[];
  /** GW3/GW4 conditions, before GW7 bookkeeping. */
  readonly conditions: readonly ConditionDraft[];
  /** GW6: one entry per spec listener, in spec order. */
  readonly listenerStatuses: readonly ListenerStatusDraft[];
  /** LS1–LS3: the ListenerSets naming this Gateway, admitted or not, by `namespace/name`. */
  readonly listenerSets: readonly ResolvedListenerSet[];
  /** `status.attachedListenerSets`: how many of them are Accepted. */
  readonly attachedListenerSets: number;
}

/** A ListenerSet of one of our Gateways with its status drafts (LS3). */
export interface ResolvedListenerSet {
  readonly listenerSet: ParsedListenerSet;
  readonly key: ObjectKey;
  /** `Accepted` and `Programmed`, before GW7 bookkeeping. */
  readonly conditions: readonly ConditionDraft[];
  /** One entry per spec listener, in spec order. */
  readonly listenerStatuses: readonly ListenerStatusDraft[];
}

/** GW6: a `status.listeners` entry before GW7 bookkeeping. */
export interface ListenerStatusDraft {
  readonly name: string;
  readonly supportedKinds: readonly GroupKind[];
  readonly attachedRoutes: number;
  readonly conditions: readonly ConditionDraft[];
}

/**
 * A problem found while realising a route (DP2 missing selector labels or a name collision,
 * DP5 extra backends dropped). `buildStatuses` merges it into the route's parent entry for
 * `gateway` (all entries of ours for that Gateway when several parentRefs point at it).
 */
export interface RouteFeedback {
  readonly route: RouteKey;
  readonly gateway: ObjectKey;
  /** `ResolvedRefs` turns False with `reason`; `PartiallyInvalid` becomes True with `reason`. */
  readonly condition: 'ResolvedRefs' | 'PartiallyInvalid';
  readonly reason: string;
  readonly message: string;
}

/** Condition drafts for one route parent entry, before feedback is merged. */
export interface RouteParentDraft {
  readonly parentRef: Readonly<Record<string, unknown>>;
  /**
   * The parentRef's identity (group/kind/namespace/name/sectionName/port with defaults), which
   * matches the draft to the route's existing entry of ours (RT3). Derived from `parentRef` when absent.
   */
  readonly identity?: string;
  /** The Gateway this entry is about. */
  readonly gateway: ObjectKey;
  /** Conditions without `lastTransitionTime`/`observedGeneration`; status helpers fill those in. */
  readonly conditions: readonly ConditionDraft[];
}

/** A condition as decided by a rule, before GW7 bookkeeping. */
export type ConditionDraft = Pick<Condition, 'type' | 'status' | 'reason' | 'message'>;

/** A route with at least one parentRef to a Gateway of ours. */
export interface ResolvedRoute {
  readonly route: ParsedRoute;
  readonly key: RouteKey;
  readonly target: ObjectRef;
  readonly parents: readonly RouteParentDraft[];
}

/**
 * Indexes over the parsed snapshot, built once, that the dataplane half may reuse. They are for
 * lookups: their iteration order follows the input lists, so sort before iterating (or output
 * would depend on input order).
 */
export interface SnapshotIndex {
  readonly namespaces: ReadonlyMap<string, ParsedNamespace>;
  readonly services: ReadonlyMap<ObjectKey, ParsedService>;
  /**
   * Namespace → Service name → its EndpointSlices (label `kubernetes.io/service-name`), sorted
   * by name. Nested rather than keyed by `namespace/name` so a lookup builds no key string.
   */
  readonly endpointSlicesByService: ReadonlyMap<string, ReadonlyMap<string, readonly ParsedEndpointSlice[]>>;
  /** Every EndpointSlice except those l4gw manages (DP1 mirrors), which resolution never reads. */
  readonly endpointSlices: ReadonlyMap<ObjectKey, ParsedEndpointSlice>;
  readonly configMaps: ReadonlyMap<ObjectKey, ParsedConfigMap>;
  readonly referenceGrants: readonly ParsedReferenceGrant[];
}

/** What the front half hands the dataplane half. Every list is sorted by a stable key. */
export interface ResolvedGraph {
  /** Our classes (GC1), by name. */
  readonly classes: readonly ResolvedClass[];
  /**
   * Label values (GW8 `gateway-class-name`) of existing classes that belong to another controller,
   * e.g. another l4gw instance: objects labelled with them are that controller's to collect or
   * restore (DP4, DP8), never ours.
   */
  readonly foreignClassLabels: ReadonlySet<string>;
  /** Our Gateways (GW1), by `namespace/name`. */
  readonly gateways: readonly ResolvedGateway[];
  /** Routes with at least one parent entry of ours (RT3), by route key. */
  readonly routes: readonly ResolvedRoute[];
  readonly index: SnapshotIndex;
  /**
   * Whole objects the front half wants written besides statuses: classes with the GC5 finalizer
   * added or removed, Gateways with pinned `spec.addresses` (GW5 `-pin-addresses`).
   */
  readonly objects: readonly KubeObject[];
  readonly events: readonly EventRecord[];
  readonly diagnostics: readonly Diagnostic[];
  readonly poolUsage: readonly PoolUsage[];
  readonly addresses: readonly { readonly gateway: ObjectRef; readonly address: string }[];
}
